package io.strata.provisioner.providers.openstack;

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
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.Flavor;
import org.openstack4j.model.compute.Server;
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
  private final OpenStackNetwork network;
  private final Map<String, String> flavorIds = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> imageIds = new java.util.concurrent.ConcurrentHashMap<>();

  /** How long a connection may take to open: an unreachable cloud fails in seconds. */
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  static final int READ_TIMEOUT_MILLIS = 60_000;

  /**
   * Authenticates with Keystone at once: the first call, which fails without retries (and names the
   * URL) when Keystone cannot be reached at all.
   */
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
                    .withConfig(
                        Config.newConfig()
                            .withConnectionTimeout(CONNECT_TIMEOUT_MILLIS)
                            .withReadTimeout(READ_TIMEOUT_MILLIS))
                    .endpoint(o.authUrl())
                    .credentials(
                        o.userName(),
                        secrets.resolve("openstack.password", o.password()),
                        Identifier.byName(o.userDomain()))
                    .scopeToProject(
                        Identifier.byName(o.projectName()), Identifier.byName(o.projectDomain()))
                    .authenticate();
              } catch (org.openstack4j.api.exceptions.ConnectionException e) {
                throw new CloudException(
                    0,
                    null,
                    "cannot reach OpenStack Keystone at " + o.authUrl() + ": " + rootCause(e),
                    e);
              } catch (org.openstack4j.api.exceptions.ResponseException e) {
                throw new CloudException(
                    e.getStatus(), null, "Keystone at " + o.authUrl() + ": " + e.getMessage(), e);
              }
            });
    this.calls = new OpenStackCalls(gate, os.getToken(), spec.location());
    this.pollInterval = pollInterval;
    this.network =
        new OpenStackNetwork(
            spec, calls, secrets.resolve("access.sshPublicKey", spec.access().sshPublicKey()));
  }

  /** The innermost message: "Connection refused", not the chain of wrappers. */
  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private String name(String what) {
    return network.name(what);
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
    return network.ensure();
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
          OpenStackNetwork.find(
                  calls.read("list networks", os -> List.copyOf(os.networking().network().list())),
                  name("net"),
                  Network::getName)
              .getId();
      String address = plannedAddress(m);
      var builder = Builders.server().name(m.name()).flavor(flavorId(m.size())).image(imageOf(m));
      if (address != null) {
        // Boots on a port made beforehand with the planned address (and the security group).
        builder = builder.addNetworkPort(network.fixedPort(m.name() + "-port", net, address));
      } else {
        builder = builder.networks(List.of(net)).addSecurityGroup(name("sg"));
      }
      var create =
          builder
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
        String ext = network.externalNetworkId();
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
        network.tag(Resource.FLOATING_IP, fipId);
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
    if (node.machine().role() == NodeRole.ALLOCATOR) {
      network.deletePort(node.name() + "-port");
    }
  }

  /**
   * The allocators of an HA group get fixed addresses, {@code .10} up (outside the DHCP pool, which
   * starts at {@code .20}, as in the Terraform module), on ports made before their servers, so each
   * one's ZooKeeper configuration can list all of them. A single allocator takes what DHCP gives
   * it.
   */
  @Override
  public String plannedAddress(Machine machine) {
    if (machine.role() != NodeRole.ALLOCATOR || spec.allocator().count() == 1) {
      return null;
    }
    String subnet = spec.network().subnet();
    return subnet.substring(0, subnet.lastIndexOf('.') + 1) + (10 + machine.index());
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
    network.delete();
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
    network.addTagged(out);
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
