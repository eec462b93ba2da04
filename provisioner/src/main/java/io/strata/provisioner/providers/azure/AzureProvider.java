package io.strata.provisioner.providers.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.HttpClientOptions;
import com.azure.core.util.polling.SyncPoller;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.UsageInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineSizeInner;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.resources.fluent.ResourceManagementClient;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Azure through azure-resourcemanager: a resource group per cluster holding a VNet with one subnet
 * behind an NSG, and per machine a NIC (plus a static public IP for allocators) and a VM whose NIC
 * and OS disk are deleted with it. Linux boots cloud-init from custom data; Windows gets the
 * PowerShell script as custom data and a CustomScriptExtension, whose command sits in
 * protectedSettings, runs it. Retries are the SDK's, configured ({@link ArmRetry}); the {@link
 * CloudGate} bounds and paces the calls without retrying them again.
 */
public final class AzureProvider implements CloudProvider {
  private final ClusterSpec spec;
  private final ComputeManagementClient compute;
  private final NetworkManagementClient network;
  private final ResourceManagementClient resources;
  private final AzureCalls calls;
  private final String subscription;
  private final String group;
  private final String adminKey;
  private final String windowsPassword;
  private final Map<String, String> tags;

  /** What a create in flight holds: the VM's poller, then the bootstrap extension's. */
  private static final class Creation {
    final Map<String, String> ids = new HashMap<>();
    SyncPoller<?, ?> vm;
    SyncPoller<?, ?> extension;
    String privateIp;
    String publicIp;
    String secrets;
  }

  /**
   * @param azure an authenticated client for the spec's subscription ({@link #connect}, whose retry
   *     policy reports to the same {@code gate})
   * @param lroPoll between two polls of a long-running operation this provider waits for
   */
  public AzureProvider(
      ClusterSpec spec,
      AzureResourceManager azure,
      CloudGate gate,
      Secrets secrets,
      Duration lroPoll) {
    this.spec = spec;
    this.compute = azure.virtualMachines().manager().serviceClient();
    this.network = azure.networks().manager().serviceClient();
    this.resources = azure.genericResources().manager().serviceClient();
    this.calls = new AzureCalls(gate, lroPoll, compute.getEndpoint());
    this.subscription = azure.subscriptionId();
    this.group =
        spec.azure().resourceGroup() != null
            ? spec.azure().resourceGroup()
            : "strata-" + spec.name();
    this.adminKey =
        spec.access().sshPublicKey() == null
            ? null
            : secrets.resolve("access.sshPublicKey", spec.access().sshPublicKey());
    boolean windows = spec.pools().stream().anyMatch(p -> p.os() == Os.WINDOWS && p.count() > 0);
    this.windowsPassword =
        windows
            ? secrets.resolve("access.windowsAdminPassword", spec.access().windowsAdminPassword())
            : null;
    this.tags = Map.of(TAG, spec.name());
  }

  /** How long a connection to Azure (sign-in or ARM) may take to open. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A client for the real Azure cloud, authenticated as the spec's service principal, with any
   * extra pipeline policies. Resource Manager calls are retried by the SDK's retry policy,
   * configured as {@link ArmRetry} (Retry-After honoured, bounded, reported to {@code gate}); the
   * sign-in is not retried (azure-identity's retries off: a refused or unreachable sign-in is
   * reported at once). A connection must open within {@link #CONNECT_TIMEOUT}: an unreachable Azure
   * fails the first call in seconds, with the endpoint named, instead of retrying for minutes.
   */
  public static AzureResourceManager connect(
      ClusterSpec spec,
      Secrets secrets,
      AzureEnvironment environment,
      TokenCredential credential,
      CloudGate gate,
      HttpPipelinePolicy... policies) {
    HttpClient http =
        HttpClient.createDefault(
            new HttpClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT)
                .setResponseTimeout(Duration.ofSeconds(60)));
    TokenCredential cred =
        credential != null
            ? credential
            : signIn(
                new ClientSecretCredentialBuilder()
                    .tenantId(spec.azure().tenantId())
                    .clientId(spec.azure().clientId())
                    .clientSecret(
                        secrets.resolve("azure.clientSecret", spec.azure().clientSecret()))
                    .authorityHost(environment.getActiveDirectoryEndpoint())
                    // Sign in at the environment's authority only: instance discovery would ask
                    // login.microsoftonline.com first, whatever the authority.
                    .disableInstanceDiscovery()
                    .httpClient(http)
                    .maxRetry(0)
                    .build(),
                environment.getActiveDirectoryEndpoint());
    var configurable =
        AzureResourceManager.configure()
            .withHttpClient(http)
            .withRetryPolicy(new RetryPolicy(new ArmRetry(gate)));
    for (HttpPipelinePolicy p : policies) {
      configurable = configurable.withPolicy(p);
    }
    return configurable
        .authenticate(
            cred,
            new AzureProfile(spec.azure().tenantId(), spec.azure().subscriptionId(), environment))
        .withSubscription(spec.azure().subscriptionId());
  }

  /** A credential whose failures say where signing in was tried (the gate's one error line). */
  private static TokenCredential signIn(TokenCredential credential, String authority) {
    return request ->
        credential
            .getToken(request)
            .onErrorMap(
                e -> !(e instanceof CloudException), e -> AzureCalls.signInFailed(authority, e));
  }

  private String groupId() {
    return "/subscriptions/" + subscription + "/resourceGroups/" + group;
  }

  /**
   * An HA group (3 or 5 allocators) gets an internal load balancer whose probe passes only on the
   * leader.
   */
  private boolean balanced() {
    return spec.allocator().count() > 1;
  }

  private String loadBalancerId() {
    return groupId() + "/providers/Microsoft.Network/loadBalancers/" + spec.name() + "-alloc-lb";
  }

  /** Below the allocators' own addresses (.254 down to .246). */
  private String balancerAddress() {
    String subnet = spec.network().subnet();
    return subnet.substring(0, subnet.lastIndexOf('.') + 1) + 245;
  }

  private String subnetId() {
    return groupId()
        + "/providers/Microsoft.Network/virtualNetworks/"
        + spec.name()
        + "-vnet/subnets/nodes";
  }

  @Override
  public List<String> preflight(List<Machine> creating) {
    List<String> problems = new ArrayList<>();
    if (creating.isEmpty()) {
      return problems;
    }
    String location = spec.location();
    Map<String, Integer> cores = new HashMap<>();
    for (VirtualMachineSizeInner s :
        calls.read(
            "list VM sizes",
            () -> compute.getVirtualMachineSizes().list(location).stream().toList())) {
      cores.put(s.name(), s.numberOfCores());
    }
    int needed = 0;
    Set<String> images = new LinkedHashSet<>();
    for (Machine m : creating) {
      Integer c = cores.get(m.size());
      if (c == null) {
        problems.add("VM size " + m.size() + " (" + m.pool() + ") is not offered in " + location);
      } else {
        needed += c;
      }
      images.add(m.image());
    }
    for (UsageInner u :
        calls.read("list usages", () -> compute.getUsages().list(location).stream().toList())) {
      if (u.name() != null && "cores".equalsIgnoreCase(u.name().value())) {
        long left = u.limit() - u.currentValue();
        if (needed > left) {
          problems.add(
              "the plan needs "
                  + needed
                  + " cores; the regional quota has "
                  + left
                  + " of "
                  + u.limit()
                  + " left in "
                  + location);
        }
      }
    }
    for (String image : images) {
      String[] urn = image.split(":");
      if (urn.length != 4) {
        problems.add("image " + image + " must be publisher:offer:sku:version");
        continue;
      }
      boolean found;
      try {
        found =
            urn[3].equalsIgnoreCase("latest")
                ? !calls
                    .read(
                        "list image versions",
                        () ->
                            compute
                                .getVirtualMachineImages()
                                .list(location, urn[0], urn[1], urn[2]))
                    .isEmpty()
                : calls.read(
                        "get image",
                        () ->
                            compute
                                .getVirtualMachineImages()
                                .get(location, urn[0], urn[1], urn[2], urn[3]))
                    != null;
      } catch (io.strata.provisioner.cloud.CloudException e) {
        if (e.status() != 404) {
          throw e;
        }
        found = false;
      }
      if (!found) {
        problems.add("image " + image + " does not exist in " + location);
      }
    }
    return problems;
  }

  @Override
  public Map<String, String> ensureNetwork() {
    calls.write(
        "create resource group " + group,
        () ->
            resources
                .getResourceGroups()
                .createOrUpdate(
                    group, new ResourceGroupInner().withLocation(spec.location()).withTags(tags)));
    String nsgId =
        calls
            .await(
                "create NSG",
                () ->
                    network
                        .getNetworkSecurityGroups()
                        .beginCreateOrUpdate(
                            group, spec.name() + "-nsg", AzureModels.nsg(spec, tags)))
            .id();
    String vnetId =
        calls
            .await(
                "create VNet",
                () ->
                    network
                        .getVirtualNetworks()
                        .beginCreateOrUpdate(
                            group, spec.name() + "-vnet", AzureModels.vnet(spec, nsgId, tags)))
            .id();
    Map<String, String> ids = new HashMap<>();
    ids.putAll(
        Map.of("resourceGroup", groupId(), "nsg", nsgId, "vnet", vnetId, "subnet", subnetId()));
    if (balanced()) {
      String lbId =
          calls
              .await(
                  "create allocator load balancer",
                  () ->
                      network
                          .getLoadBalancers()
                          .beginCreateOrUpdate(
                              group,
                              spec.name() + "-alloc-lb",
                              AzureModels.allocatorBalancer(
                                  spec, loadBalancerId(), subnetId(), balancerAddress(), tags)))
              .id();
      ids.put("loadBalancer", lbId);
    }
    return ids;
  }

  /**
   * Allocators get fixed addresses at the top of the subnet (.254, .253, ...): Azure hands out
   * dynamic addresses from the bottom, so agents never take them, and agents can be configured with
   * the allocator's address before it exists.
   */
  @Override
  public String plannedAddress(Machine machine) {
    if (machine.role() != NodeRole.ALLOCATOR) {
      return null;
    }
    String subnet = spec.network().subnet();
    String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
    return prefix + (254 - machine.index());
  }

  @Override
  public NodeOperation startNode(NodeRequest request) {
    Machine m = request.machine();
    Creation c = new Creation();
    String publicIpId = null;
    if (m.role() == NodeRole.ALLOCATOR) {
      var pip =
          calls.await(
              "create public IP of " + m.name(),
              () ->
                  network
                      .getPublicIpAddresses()
                      .beginCreateOrUpdate(
                          group, m.name() + "-ip", AzureModels.publicIp(spec, tags)));
      publicIpId = pip.id();
      c.publicIp = pip.ipAddress();
      c.ids.put("publicIp", publicIpId);
    }
    String pipId = publicIpId;
    var nic =
        calls.await(
            "create NIC of " + m.name(),
            () ->
                network
                    .getNetworkInterfaces()
                    .beginCreateOrUpdate(
                        group,
                        m.name() + "-nic",
                        AzureModels.nic(
                            spec,
                            subnetId(),
                            pipId,
                            plannedAddress(m),
                            m.role() == NodeRole.ALLOCATOR && balanced()
                                ? loadBalancerId()
                                    + "/backendAddressPools/"
                                    + AzureModels.BACKEND_POOL
                                : null,
                            tags)));
    c.privateIp = nic.ipConfigurations().get(0).privateIpAddress();
    c.ids.put("nic", nic.id());
    String secret = m.os() == Os.WINDOWS ? windowsPassword : adminKey;
    // Windows: the script travels inside the extension's protected command only (Bootstrap).
    String customData = m.os() == Os.WINDOWS ? null : request.bootstrap().userData();
    var vm = AzureModels.vm(spec, m, nic.id(), customData, secret, tags);
    c.vm =
        calls.write(
            "create VM " + m.name(),
            () -> compute.getVirtualMachines().beginCreateOrUpdate(group, m.name(), vm));
    c.ids.put("vm", groupId() + "/providers/Microsoft.Compute/virtualMachines/" + m.name());
    c.ids.put(HOSTNAME, AzureModels.computerName(m));
    c.secrets = request.bootstrap().secrets();
    return new NodeOperation(m, c.ids, c);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public NodeProgress poll(NodeOperation op) {
    Creation c = (Creation) op.handle();
    Machine m = op.machine();
    if (c.extension == null) {
      String vmState = calls.pollOnce("create VM " + m.name(), (SyncPoller) c.vm);
      if (vmState == null) {
        return new NodeProgress.Pending("VM provisioning");
      }
      if (!vmState.isEmpty()) {
        return new NodeProgress.Failed("VM " + m.name() + " failed to provision: " + vmState);
      }
      if (m.os() != Os.WINDOWS) {
        return new NodeProgress.Running(c.ids, c.privateIp, c.publicIp);
      }
      c.extension =
          calls.write(
              "bootstrap extension of " + m.name(),
              () ->
                  compute
                      .getVirtualMachineExtensions()
                      .beginCreateOrUpdate(
                          group,
                          m.name(),
                          AzureModels.EXTENSION,
                          AzureModels.bootstrapExtension(spec, c.secrets, tags)));
      return new NodeProgress.Pending("bootstrap extension");
    }
    String extState =
        calls.pollOnce("bootstrap extension of " + m.name(), (SyncPoller) c.extension);
    if (extState == null) {
      return new NodeProgress.Pending("bootstrap extension");
    }
    return extState.isEmpty()
        ? new NodeProgress.Running(c.ids, c.privateIp, c.publicIp)
        : new NodeProgress.Failed("bootstrap script on " + m.name() + " failed: " + extState);
  }

  @Override
  public void deleteNode(NodeRecord node) {
    String name = node.name();
    calls.await("delete VM " + name, () -> compute.getVirtualMachines().beginDelete(group, name));
    calls.await(
        "delete NIC of " + name,
        () -> network.getNetworkInterfaces().beginDelete(group, name + "-nic"));
    if (node.machine().role() == NodeRole.ALLOCATOR) {
      calls.await(
          "delete public IP of " + name,
          () -> network.getPublicIpAddresses().beginDelete(group, name + "-ip"));
    }
  }

  @Override
  public void deleteNetwork(Map<String, String> ids) {
    // Deleting the group deletes everything in it, including orphans of interrupted runs.
    calls.await(
        "delete resource group " + group, () -> resources.getResourceGroups().beginDelete(group));
  }

  @Override
  public List<TaggedResource> tagged() {
    String filter = "tagName eq '" + TAG + "' and tagValue eq '" + spec.name() + "'";
    List<TaggedResource> out = new ArrayList<>();
    calls
        .read(
            "list tagged groups",
            () ->
                resources
                    .getResourceGroups()
                    .list(filter, null, com.azure.core.util.Context.NONE)
                    .stream()
                    .toList())
        .forEach(g -> out.add(new TaggedResource(g.type(), g.id(), g.name())));
    calls
        .read(
            "list tagged resources",
            () ->
                resources
                    .getResources()
                    .list(filter, null, null, com.azure.core.util.Context.NONE)
                    .stream()
                    .toList())
        .forEach(r -> out.add(new TaggedResource(r.type(), r.id(), r.name())));
    return out;
  }

  /**
   * The allocator's own private address. With an HA group agents get every allocator's (the applier
   * joins them); the internal load balancer in front of them (a fixed address, {@code .245}) is for
   * clients that take a single URL, and sends traffic to the leader only.
   */
  @Override
  public String allocatorEndpoint(NodeRecord allocator, int port) {
    return "https://" + allocator.privateIp() + ":" + port;
  }

  @Override
  public String operatorEndpoint(NodeRecord allocator, int port) {
    return "https://" + allocator.publicIp() + ":" + port;
  }

  @Override
  public void close() {}
}
