package io.strata.provisioner.providers.openstack;

import io.strata.provisioner.cloud.CloudException;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.cloud.TaggedResource;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openstack4j.api.Builders;
import org.openstack4j.model.network.AttachInterfaceType;
import org.openstack4j.model.network.IPVersionType;
import org.openstack4j.model.network.NetFloatingIP;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.Resource;
import org.openstack4j.model.network.options.PortListOptions;

/**
 * A cluster's shared OpenStack resources: network, subnet, router (uplinked to the external
 * network), security group and keypair, each named {@code <cluster>-<what>} and, where Neutron
 * allows, tagged {@code strata-cluster=<cluster>}.
 */
final class OpenStackNetwork {
  private final ClusterSpec spec;
  private final OpenStackCalls calls;
  private final String tag;
  private final String adminKey;

  OpenStackNetwork(ClusterSpec spec, OpenStackCalls calls, String adminKey) {
    this.spec = spec;
    this.calls = calls;
    this.tag = CloudProvider.TAG + "=" + spec.name();
    this.adminKey = adminKey;
  }

  String name(String what) {
    return spec.name() + "-" + what;
  }

  /** Creates what is missing; finds what exists. */
  Map<String, String> ensure() {
    String netName = name("net");
    Network net =
        find(
            calls.read("list networks", os -> List.copyOf(os.networking().network().list())),
            netName,
            Network::getName);
    if (net == null) {
      net =
          calls.write(
              "create network",
              os ->
                  os.networking()
                      .network()
                      .create(Builders.network().name(netName).adminStateUp(true).build()));
    }
    String netId = net.getId();
    tag(Resource.NETWORK, netId);
    String subnetName = name("subnet");
    var subnet =
        find(
            calls.read("list subnets", os -> List.copyOf(os.networking().subnet().list())),
            subnetName,
            s -> s.getName());
    if (subnet == null) {
      subnet =
          calls.write(
              "create subnet",
              os ->
                  os.networking()
                      .subnet()
                      .create(
                          Builders.subnet()
                              .name(subnetName)
                              .networkId(netId)
                              .ipVersion(IPVersionType.V4)
                              .cidr(spec.network().subnet())
                              .addPool(host(20), host(254))
                              .enableDHCP(true)
                              .build()));
    }
    String subnetId = subnet.getId();
    tag(Resource.SUBNET, subnetId);
    String externalId = externalNetworkId();
    String routerName = name("router");
    var router =
        find(
            calls.read("list routers", os -> List.copyOf(os.networking().router().list())),
            routerName,
            r -> r.getName());
    if (router == null) {
      router =
          calls.write(
              "create router",
              os ->
                  os.networking()
                      .router()
                      .create(
                          Builders.router()
                              .name(routerName)
                              .adminStateUp(true)
                              .externalGateway(externalId)
                              .build()));
      String routerId = router.getId();
      calls.write(
          "attach router",
          os ->
              os.networking()
                  .router()
                  .attachInterface(routerId, AttachInterfaceType.SUBNET, subnetId));
    }
    String routerId = router.getId();
    tag(Resource.ROUTER, routerId);
    String sgName = name("sg");
    var sg =
        find(
            calls.read(
                "list security groups", os -> List.copyOf(os.networking().securitygroup().list())),
            sgName,
            g -> g.getName());
    if (sg == null) {
      sg =
          calls.write(
              "create security group",
              os ->
                  os.networking()
                      .securitygroup()
                      .create(
                          Builders.securityGroup()
                              .name(sgName)
                              .description("Strata cluster " + spec.name())
                              .build()));
      String sgId = sg.getId();
      List<String> sources = new ArrayList<>(spec.network().adminCidrs());
      for (String cidr : sources) {
        for (int port : new int[] {22, 3389, spec.allocator().port()}) {
          rule(sgId, cidr, port, port);
        }
      }
      rule(sgId, spec.network().subnet(), 1, 65535);
    }
    String sgId = sg.getId();
    tag(Resource.SECURITY_GROUP, sgId);
    String key = name("key");
    if (calls.read("get keypair", os -> os.compute().keypairs().get(key)) == null) {
      calls.write("create keypair", os -> os.compute().keypairs().create(key, adminKey));
    }
    return Map.of(
        "network",
        netId,
        "subnet",
        subnetId,
        "router",
        routerId,
        "securityGroup",
        sgId,
        "keypair",
        key,
        "externalNetwork",
        externalId);
  }

  private void rule(String sgId, String cidr, int from, int to) {
    calls.write(
        "create security group rule",
        os ->
            os.networking()
                .securityrule()
                .create(
                    Builders.securityGroupRule()
                        .securityGroupId(sgId)
                        .direction("ingress")
                        .ethertype("IPv4")
                        .protocol("tcp")
                        .portRangeMin(from)
                        .portRangeMax(to)
                        .remoteIpPrefix(cidr)
                        .build()));
  }

  /** The address {@code .n} of the nodes' subnet. */
  private String host(int n) {
    String subnet = spec.network().subnet();
    return subnet.substring(0, subnet.lastIndexOf('.') + 1) + n;
  }

  /**
   * The port named {@code portName} on the cluster's network, made with {@code address} and the
   * cluster's security group if it does not exist yet (an interrupted apply finds it); tagged.
   *
   * @return its id
   */
  String fixedPort(String portName, String networkId, String address) {
    Port existing = portNamed(portName);
    if (existing != null) {
      return existing.getId();
    }
    String subnetId =
        find(
                calls.read("list subnets", os -> List.copyOf(os.networking().subnet().list())),
                name("subnet"),
                s -> s.getName())
            .getId();
    String sgId =
        find(
                calls.read(
                    "list security groups",
                    os -> List.copyOf(os.networking().securitygroup().list())),
                name("sg"),
                g -> g.getName())
            .getId();
    Port port =
        calls.write(
            "create port " + portName,
            os ->
                os.networking()
                    .port()
                    .create(
                        Builders.port()
                            .name(portName)
                            .networkId(networkId)
                            .fixedIp(address, subnetId)
                            .securityGroup(sgId)
                            .build()));
    tag(Resource.PORT, port.getId());
    return port.getId();
  }

  /** Deletes the port named {@code portName}; gone is fine. */
  void deletePort(String portName) {
    Port port = portNamed(portName);
    if (port != null) {
      calls.delete("delete port " + portName, os -> os.networking().port().delete(port.getId()));
    }
  }

  private Port portNamed(String portName) {
    return find(
        calls.read(
            "find port " + portName,
            os ->
                List.copyOf(os.networking().port().list(PortListOptions.create().name(portName)))),
        portName,
        Port::getName);
  }

  void tag(Resource type, String id) {
    calls.write("tag " + id, os -> os.networking().resourceTags().addSingle(type, id, tag));
  }

  String externalNetworkId() {
    Network ext =
        find(
            calls.read("list networks", os -> List.copyOf(os.networking().network().list())),
            spec.openstack().externalNetwork(),
            Network::getName);
    if (ext == null) {
      throw new CloudException(
          404, "external network " + spec.openstack().externalNetwork() + " does not exist");
    }
    return ext.getId();
  }

  static <T> T find(
      List<? extends T> items, String name, java.util.function.Function<T, String> nameOf) {
    return items.stream().filter(i -> name.equals(nameOf.apply(i))).findFirst().orElse(null);
  }

  /** Deletes floating IPs, router, subnet, network, security group and keypair; gone is fine. */
  void delete() {
    for (NetFloatingIP f :
        calls.read("list floating IPs", os -> List.copyOf(os.networking().floatingip().list()))) {
      if (hasTag(Resource.FLOATING_IP, f.getId())) {
        calls.delete("delete floating IP", os -> os.networking().floatingip().delete(f.getId()));
      }
    }
    // Allocators' ports left by interrupted runs hold addresses on the subnet.
    for (Port p : calls.read("list ports", os -> List.copyOf(os.networking().port().list()))) {
      if (p.getName() != null
          && p.getName().endsWith("-port")
          && hasTag(Resource.PORT, p.getId())) {
        calls.delete("delete port " + p.getName(), os -> os.networking().port().delete(p.getId()));
      }
    }
    var router =
        find(
            calls.read("list routers", os -> List.copyOf(os.networking().router().list())),
            name("router"),
            r -> r.getName());
    var subnet =
        find(
            calls.read("list subnets", os -> List.copyOf(os.networking().subnet().list())),
            name("subnet"),
            s -> s.getName());
    if (router != null) {
      if (subnet != null) {
        calls.write(
            "detach router",
            os -> os.networking().router().detachInterface(router.getId(), subnet.getId(), null));
      }
      calls.delete("delete router", os -> os.networking().router().delete(router.getId()));
    }
    if (subnet != null) {
      calls.delete("delete subnet", os -> os.networking().subnet().delete(subnet.getId()));
    }
    var net =
        find(
            calls.read("list networks", os -> List.copyOf(os.networking().network().list())),
            name("net"),
            Network::getName);
    if (net != null) {
      calls.delete("delete network", os -> os.networking().network().delete(net.getId()));
    }
    var sg =
        find(
            calls.read(
                "list security groups", os -> List.copyOf(os.networking().securitygroup().list())),
            name("sg"),
            g -> g.getName());
    if (sg != null) {
      calls.delete(
          "delete security group", os -> os.networking().securitygroup().delete(sg.getId()));
    }
    calls.delete("delete keypair", os -> os.compute().keypairs().delete(name("key")));
  }

  boolean hasTag(Resource type, String id) {
    var tags = calls.read("list tags", os -> os.networking().resourceTags().list(type, id));
    return tags != null && tags.getTags() != null && tags.getTags().contains(tag);
  }

  /** The cluster's tagged network resources and its keypair. */
  void addTagged(List<TaggedResource> out) {
    calls.read("list networks", os -> List.copyOf(os.networking().network().list())).stream()
        .filter(n -> hasTag(Resource.NETWORK, n.getId()))
        .forEach(n -> out.add(new TaggedResource("network", n.getId(), n.getName())));
    calls.read("list subnets", os -> List.copyOf(os.networking().subnet().list())).stream()
        .filter(n -> hasTag(Resource.SUBNET, n.getId()))
        .forEach(n -> out.add(new TaggedResource("subnet", n.getId(), n.getName())));
    calls.read("list routers", os -> List.copyOf(os.networking().router().list())).stream()
        .filter(n -> hasTag(Resource.ROUTER, n.getId()))
        .forEach(n -> out.add(new TaggedResource("router", n.getId(), n.getName())));
    calls.read("list ports", os -> List.copyOf(os.networking().port().list())).stream()
        .filter(p -> p.getName() != null && p.getName().endsWith("-port"))
        .filter(p -> hasTag(Resource.PORT, p.getId()))
        .forEach(p -> out.add(new TaggedResource("port", p.getId(), p.getName())));
    calls
        .read("list security groups", os -> List.copyOf(os.networking().securitygroup().list()))
        .stream()
        .filter(n -> hasTag(Resource.SECURITY_GROUP, n.getId()))
        .forEach(n -> out.add(new TaggedResource("security group", n.getId(), n.getName())));
    if (calls.read("get keypair", os -> os.compute().keypairs().get(name("key"))) != null) {
      out.add(new TaggedResource("keypair", name("key"), name("key")));
    }
  }
}
