package io.strata.provisioner.openstack;

import io.strata.api.Os;
import io.strata.provisioner.cloud.CloudException;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.cloud.NodeOperation;
import io.strata.provisioner.cloud.NodeProgress;
import io.strata.provisioner.cloud.NodeRequest;
import io.strata.provisioner.cloud.TaggedResource;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.Flavor;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.network.AttachInterfaceType;
import org.openstack4j.model.network.IPVersionType;
import org.openstack4j.model.network.NetFloatingIP;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.Resource;
import org.openstack4j.model.network.options.PortListOptions;
import org.openstack4j.openstack.OSFactory;

/**
 * OpenStack through openstack4j (Keystone v3): a network, subnet and router uplinked to the
 * external network, a security group and a keypair per cluster; per machine a server booted with
 * user data (cloud-init on Linux; on Windows the PowerShell script, which cloudbase-init runs for
 * its {@code #ps1_sysnative} first line), and a floating IP for allocators. Neutron resources carry
 * the tag {@code strata-cluster=<name>}, servers the same key in their metadata; keypairs cannot be
 * tagged and are found by their name, {@code <cluster>-key}.
 */
public final class OpenStackProvider implements CloudProvider {
  private final ClusterSpec spec;
  private final OpenStackCalls calls;
  private final Duration pollInterval;
  private final String tag;
  private final String adminKey;
  private final Map<String, String> flavorIds = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> imageIds = new java.util.concurrent.ConcurrentHashMap<>();

  public OpenStackProvider(
      ClusterSpec spec, CloudGate gate, Secrets secrets, Duration pollInterval) {
    this.spec = spec;
    var o = spec.openstack();
    OSClientV3 os =
        gate.write(
            "authenticate with Keystone",
            () -> {
              try {
                return OSFactory.builderV3()
                    .endpoint(o.authUrl())
                    .credentials(
                        o.userName(),
                        secrets.resolve("openstack.password", o.password()),
                        Identifier.byName(o.userDomain()))
                    .scopeToProject(
                        Identifier.byName(o.projectName()), Identifier.byName(o.projectDomain()))
                    .authenticate();
              } catch (org.openstack4j.api.exceptions.ResponseException e) {
                throw new CloudException(e.getStatus(), null, "Keystone: " + e.getMessage(), e);
              }
            });
    this.calls = new OpenStackCalls(gate, os.getToken(), spec.location());
    this.pollInterval = pollInterval;
    this.tag = TAG + "=" + spec.name();
    this.adminKey = secrets.resolve("access.sshPublicKey", spec.access().sshPublicKey());
  }

  private String name(String what) {
    return spec.name() + "-" + what;
  }

  @Override
  public List<String> preflight(List<Machine> creating) {
    List<String> problems = new ArrayList<>();
    if (creating.isEmpty()) {
      return problems;
    }
    Map<String, Integer> vcpus = new HashMap<>();
    for (Flavor f : calls.read("list flavors", os -> List.copyOf(os.compute().flavors().list()))) {
      vcpus.put(f.getName(), f.getVcpus());
      flavorIds.put(f.getName(), f.getId());
    }
    int needed = 0;
    Set<String> images = new LinkedHashSet<>();
    for (Machine m : creating) {
      Integer c = vcpus.get(m.size());
      if (c == null) {
        problems.add(
            "flavor " + m.size() + " (" + m.pool() + ") does not exist in " + spec.location());
      } else {
        needed += c;
      }
      images.add(m.image());
    }
    var limits = calls.read("read limits", os -> os.compute().quotaSets().limits().getAbsolute());
    int left = limits.getMaxTotalCores() - limits.getTotalCoresUsed();
    if (limits.getMaxTotalCores() >= 0 && needed > left) {
      problems.add(
          "the plan needs "
              + needed
              + " cores; the project's quota has "
              + left
              + " of "
              + limits.getMaxTotalCores()
              + " left");
    }
    for (String image : images) {
      if (imageId(image) == null) {
        problems.add("image " + image + " does not exist in " + spec.location());
      }
    }
    return problems;
  }

  private String imageId(String image) {
    return imageIds.computeIfAbsent(
        image,
        i ->
            calls.read("find image " + i, os -> os.imagesV2().list(Map.of("name", i))).stream()
                .findFirst()
                .map(img -> img.getId())
                .orElse(null));
  }

  private String flavorId(String flavor) {
    return flavorIds.computeIfAbsent(
        flavor,
        f ->
            calls.read("list flavors", os -> List.copyOf(os.compute().flavors().list())).stream()
                .filter(x -> x.getName().equals(f))
                .findFirst()
                .map(Flavor::getId)
                .orElseThrow(() -> new CloudException(404, "flavor " + f + " does not exist")));
  }

  @Override
  public Map<String, String> ensureNetwork() {
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

  private void tag(Resource type, String id) {
    calls.write("tag " + id, os -> os.networking().resourceTags().addSingle(type, id, tag));
  }

  private String externalNetworkId() {
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

  private static <T> T find(
      List<? extends T> items, String name, java.util.function.Function<T, String> nameOf) {
    return items.stream().filter(i -> name.equals(nameOf.apply(i))).findFirst().orElse(null);
  }

  @Override
  public NodeOperation startNode(NodeRequest request) {
    Machine m = request.machine();
    Server existing = serverNamed(m.name());
    String id;
    if (existing != null) {
      id = existing.getId();
    } else {
      String net =
          find(
                  calls.read("list networks", os -> List.copyOf(os.networking().network().list())),
                  name("net"),
                  Network::getName)
              .getId();
      var create =
          Builders.server()
              .name(m.name())
              .flavor(flavorId(m.size()))
              .image(imageOf(m))
              .networks(List.of(net))
              .addSecurityGroup(name("sg"))
              .keypairName(name("key"))
              .userData(
                  Base64.getEncoder()
                      .encodeToString(
                          request.bootstrap().userData().getBytes(StandardCharsets.UTF_8)))
              .addMetadata(Map.of(TAG, spec.name(), "strata-pool", m.pool()))
              .build();
      id = calls.write("boot " + m.name(), os -> os.compute().servers().boot(create)).getId();
    }
    return new NodeOperation(m, Map.of("server", id), id);
  }

  private String imageOf(Machine m) {
    String id = imageId(m.image());
    if (id == null) {
      throw new CloudException(404, "image " + m.image() + " does not exist");
    }
    return id;
  }

  private Server serverNamed(String name) {
    return calls
        .read(
            "find server " + name,
            os -> List.copyOf(os.compute().servers().list(Map.of("name", "^" + name + "$"))))
        .stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  @Override
  public NodeProgress poll(NodeOperation op) {
    String id = (String) op.handle();
    Server s =
        calls.read("get server " + op.machine().name(), os -> os.compute().servers().get(id));
    if (s == null) {
      return new NodeProgress.Failed("server " + op.machine().name() + " disappeared");
    }
    return switch (s.getStatus()) {
      case ACTIVE -> running(op.machine(), s);
      case ERROR ->
          new NodeProgress.Failed(
              "server "
                  + op.machine().name()
                  + " failed to boot: "
                  + (s.getFault() == null ? "ERROR" : s.getFault().getMessage()));
      default -> new NodeProgress.Pending("server " + s.getStatus());
    };
  }

  private NodeProgress running(Machine m, Server s) {
    String privateIp =
        s.getAddresses().getAddresses().values().stream()
            .flatMap(List::stream)
            .map(a -> a.getAddr())
            .findFirst()
            .orElse(null);
    Map<String, String> ids = new HashMap<>(Map.of("server", s.getId()));
    String publicIp = null;
    if (m.role() == NodeRole.ALLOCATOR) {
      NetFloatingIP fip = floatingIpOf(s.getId());
      if (fip == null) {
        Port port =
            calls
                .read(
                    "find port",
                    os ->
                        List.copyOf(
                            os.networking()
                                .port()
                                .list(PortListOptions.create().deviceId(s.getId()))))
                .stream()
                .findFirst()
                .orElseThrow(() -> new CloudException(404, "no port for " + m.name()));
        String ext = externalNetworkId();
        fip =
            calls.write(
                "create floating IP",
                os ->
                    os.networking()
                        .floatingip()
                        .create(
                            Builders.netFloatingIP()
                                .floatingNetworkId(ext)
                                .portId(port.getId())
                                .build()));
        String fipId = fip.getId();
        tag(Resource.FLOATING_IP, fipId);
      }
      publicIp = fip.getFloatingIpAddress();
      ids.put("floatingIp", fip.getId());
    }
    return new NodeProgress.Running(ids, privateIp, publicIp);
  }

  private NetFloatingIP floatingIpOf(String serverId) {
    Set<String> ports = new java.util.HashSet<>();
    calls
        .read(
            "find ports",
            os ->
                List.copyOf(
                    os.networking().port().list(PortListOptions.create().deviceId(serverId))))
        .forEach(p -> ports.add(p.getId()));
    return calls
        .read("list floating IPs", os -> List.copyOf(os.networking().floatingip().list()))
        .stream()
        .filter(f -> ports.contains(f.getPortId()))
        .findFirst()
        .orElse(null);
  }

  @Override
  public void deleteNode(NodeRecord node) {
    Server s = serverNamed(node.name());
    if (s == null) {
      return;
    }
    if (node.machine().role() == NodeRole.ALLOCATOR) {
      NetFloatingIP fip = floatingIpOf(s.getId());
      if (fip != null) {
        calls.delete("delete floating IP", os -> os.networking().floatingip().delete(fip.getId()));
      }
    }
    calls.delete("delete server " + node.name(), os -> os.compute().servers().delete(s.getId()));
    while (calls.read("get server " + node.name(), os -> os.compute().servers().get(s.getId()))
        != null) {
      sleep();
    }
  }

  @Override
  public void deleteNetwork(Map<String, String> ids) {
    // Servers of interrupted runs first: they hold ports on the subnet.
    for (Server s :
        calls.read("list servers", os -> List.copyOf(os.compute().servers().list(true)))) {
      if (spec.name().equals(s.getMetadata() == null ? null : s.getMetadata().get(TAG))) {
        Machine m =
            new Machine(
                s.getName(),
                s.getName().contains("-alloc-") ? NodeRole.ALLOCATOR : NodeRole.AGENT,
                "",
                0,
                Os.LINUX,
                "",
                "",
                8,
                Map.of(),
                false);
        deleteNode(new NodeRecord(m, null, Map.of(), null, null, null));
      }
    }
    for (NetFloatingIP f :
        calls.read("list floating IPs", os -> List.copyOf(os.networking().floatingip().list()))) {
      if (hasTag(Resource.FLOATING_IP, f.getId())) {
        calls.delete("delete floating IP", os -> os.networking().floatingip().delete(f.getId()));
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

  private boolean hasTag(Resource type, String id) {
    var tags = calls.read("list tags", os -> os.networking().resourceTags().list(type, id));
    return tags != null && tags.getTags() != null && tags.getTags().contains(tag);
  }

  @Override
  public List<TaggedResource> tagged() {
    List<TaggedResource> out = new ArrayList<>();
    for (Server s :
        calls.read("list servers", os -> List.copyOf(os.compute().servers().list(true)))) {
      if (s.getMetadata() != null && spec.name().equals(s.getMetadata().get(TAG))) {
        out.add(new TaggedResource("server", s.getId(), s.getName()));
      }
    }
    calls.read("list networks", os -> List.copyOf(os.networking().network().list())).stream()
        .filter(n -> hasTag(Resource.NETWORK, n.getId()))
        .forEach(n -> out.add(new TaggedResource("network", n.getId(), n.getName())));
    calls.read("list subnets", os -> List.copyOf(os.networking().subnet().list())).stream()
        .filter(n -> hasTag(Resource.SUBNET, n.getId()))
        .forEach(n -> out.add(new TaggedResource("subnet", n.getId(), n.getName())));
    calls.read("list routers", os -> List.copyOf(os.networking().router().list())).stream()
        .filter(n -> hasTag(Resource.ROUTER, n.getId()))
        .forEach(n -> out.add(new TaggedResource("router", n.getId(), n.getName())));
    calls
        .read("list security groups", os -> List.copyOf(os.networking().securitygroup().list()))
        .stream()
        .filter(n -> hasTag(Resource.SECURITY_GROUP, n.getId()))
        .forEach(n -> out.add(new TaggedResource("security group", n.getId(), n.getName())));
    if (calls.read("get keypair", os -> os.compute().keypairs().get(name("key"))) != null) {
      out.add(new TaggedResource("keypair", name("key"), name("key")));
    }
    return out;
  }

  @Override
  public String allocatorEndpoint(NodeRecord allocator, int port) {
    return "https://" + allocator.privateIp() + ":" + port;
  }

  @Override
  public String operatorEndpoint(NodeRecord allocator, int port) {
    return "https://" + allocator.publicIp() + ":" + port;
  }

  private void sleep() {
    try {
      Thread.sleep(pollInterval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(0, null, "interrupted", e);
    }
  }

  @Override
  public void close() {}
}
