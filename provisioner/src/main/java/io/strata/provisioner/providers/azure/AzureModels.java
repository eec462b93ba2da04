package io.strata.provisioner.providers.azure;

import com.azure.core.management.SubResource;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineExtensionInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.BillingProfile;
import com.azure.resourcemanager.compute.models.DeleteOptions;
import com.azure.resourcemanager.compute.models.DiskCreateOptionTypes;
import com.azure.resourcemanager.compute.models.DiskDeleteOptionTypes;
import com.azure.resourcemanager.compute.models.HardwareProfile;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.ManagedDiskParameters;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.SshPublicKey;
import com.azure.resourcemanager.compute.models.StorageAccountTypes;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineEvictionPolicyTypes;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.compute.models.WindowsConfiguration;
import com.azure.resourcemanager.network.fluent.models.BackendAddressPoolInner;
import com.azure.resourcemanager.network.fluent.models.FrontendIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancingRuleInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.ProbeInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import com.azure.resourcemanager.network.models.LoadBalancerSku;
import com.azure.resourcemanager.network.models.LoadBalancerSkuName;
import com.azure.resourcemanager.network.models.ProbeProtocol;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.network.models.TransportProtocol;
import io.strata.api.Os;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.spec.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The ARM documents the Azure provider sends, built from the spec. Pure construction. */
final class AzureModels {
  static final String EXTENSION = "strata-bootstrap";

  private AzureModels() {}

  /** Admin CIDRs may reach SSH, RDP and the allocator; the VNet reaches everything. */
  static NetworkSecurityGroupInner nsg(ClusterSpec spec, Map<String, String> tags) {
    List<SecurityRuleInner> rules = new ArrayList<>();
    if (!spec.network().adminCidrs().isEmpty()) {
      rules.add(
          new SecurityRuleInner()
              .withName("strata-admin")
              .withProtocol(SecurityRuleProtocol.TCP)
              .withSourceAddressPrefixes(spec.network().adminCidrs())
              .withSourcePortRange("*")
              .withDestinationAddressPrefix("*")
              .withDestinationPortRanges(
                  List.of("22", "3389", Integer.toString(spec.allocator().port())))
              .withAccess(SecurityRuleAccess.ALLOW)
              .withPriority(100)
              .withDirection(SecurityRuleDirection.INBOUND));
    }
    return new NetworkSecurityGroupInner()
        .withSecurityRules(rules)
        .withLocation(spec.location())
        .withTags(tags);
  }

  static VirtualNetworkInner vnet(ClusterSpec spec, String nsgId, Map<String, String> tags) {
    return new VirtualNetworkInner()
        .withAddressSpace(
            new AddressSpace().withAddressPrefixes(List.of(spec.network().addressSpace())))
        .withSubnets(
            List.of(
                new SubnetInner()
                    .withName("nodes")
                    .withAddressPrefix(spec.network().subnet())
                    .withNetworkSecurityGroup(new NetworkSecurityGroupInner().withId(nsgId))))
        .withLocation(spec.location())
        .withTags(tags);
  }

  static PublicIpAddressInner publicIp(ClusterSpec spec, Map<String, String> tags) {
    return new PublicIpAddressInner()
        .withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD))
        .withPublicIpAllocationMethod(IpAllocationMethod.STATIC)
        .withLocation(spec.location())
        .withTags(tags);
  }

  /**
   * With an HA group, one private address in front of the allocators that forwards only to the
   * leader: the probe asks {@code GET /health/leader} over HTTPS (the allocators serve TLS; Azure's
   * HTTPS probe does not check the certificate), which only the leader answers with 200.
   */
  static LoadBalancerInner allocatorBalancer(
      ClusterSpec spec, String lbId, String subnetId, String address, Map<String, String> tags) {
    int port = spec.allocator().port();
    return new LoadBalancerInner()
        .withSku(new LoadBalancerSku().withName(LoadBalancerSkuName.STANDARD))
        .withFrontendIpConfigurations(
            List.of(
                new FrontendIpConfigurationInner()
                    .withName("agents")
                    .withSubnet(new SubnetInner().withId(subnetId))
                    .withPrivateIpAllocationMethod(IpAllocationMethod.STATIC)
                    .withPrivateIpAddress(address)))
        .withBackendAddressPools(List.of(new BackendAddressPoolInner().withName(BACKEND_POOL)))
        .withProbes(
            List.of(
                new ProbeInner()
                    .withName("allocator")
                    .withProtocol(ProbeProtocol.HTTPS)
                    .withPort(port)
                    .withRequestPath(LEADER_PROBE_PATH)
                    .withIntervalInSeconds(5)))
        .withLoadBalancingRules(
            List.of(
                new LoadBalancingRuleInner()
                    .withName("allocator")
                    .withProtocol(TransportProtocol.TCP)
                    .withFrontendPort(port)
                    .withBackendPort(port)
                    .withFrontendIpConfiguration(
                        new SubResource().withId(lbId + "/frontendIPConfigurations/agents"))
                    .withBackendAddressPool(
                        new SubResource().withId(lbId + "/backendAddressPools/" + BACKEND_POOL))
                    .withProbe(new SubResource().withId(lbId + "/probes/allocator"))))
        .withLocation(spec.location())
        .withTags(tags);
  }

  static final String BACKEND_POOL = "allocators";

  /** Answers 200 only on the leader of the HA group (503 on standbys). */
  static final String LEADER_PROBE_PATH = "/health/leader";

  static NetworkInterfaceInner nic(
      ClusterSpec spec,
      String subnetId,
      String publicIpId,
      String staticAddress,
      String backendPoolId,
      Map<String, String> tags) {
    NetworkInterfaceIpConfigurationInner ip =
        new NetworkInterfaceIpConfigurationInner()
            .withName("primary")
            .withPrimary(true)
            .withPrivateIpAllocationMethod(IpAllocationMethod.DYNAMIC)
            .withSubnet(new SubnetInner().withId(subnetId));
    if (publicIpId != null) {
      ip.withPublicIpAddress(new PublicIpAddressInner().withId(publicIpId));
    }
    if (backendPoolId != null) {
      ip.withLoadBalancerBackendAddressPools(
          List.of(new BackendAddressPoolInner().withId(backendPoolId)));
    }
    if (staticAddress != null) {
      ip.withPrivateIpAllocationMethod(IpAllocationMethod.STATIC)
          .withPrivateIpAddress(staticAddress);
    }
    return new NetworkInterfaceInner()
        .withIpConfigurations(List.of(ip))
        .withLocation(spec.location())
        .withTags(tags);
  }

  /**
   * The VM: image, size, disk, the NIC (deleted with it, as is the OS disk), the admin login, and
   * the bootstrap script as custom data (cloud-init on Linux; on Windows the script the
   * CustomScriptExtension then runs).
   */
  static VirtualMachineInner vm(
      ClusterSpec spec,
      Machine m,
      String nicId,
      String customData, // null: none
      String adminSecret,
      Map<String, String> tags) {
    String[] urn = m.image().split(":");
    String user = spec.access().adminUser();
    OSProfile os = new OSProfile().withComputerName(computerName(m)).withAdminUsername(user);
    if (customData != null) {
      os.withCustomData(
          Base64.getEncoder().encodeToString(customData.getBytes(StandardCharsets.UTF_8)));
    }
    if (m.os() == Os.WINDOWS) {
      os.withAdminPassword(adminSecret)
          .withWindowsConfiguration(new WindowsConfiguration().withProvisionVMAgent(true));
    } else {
      os.withLinuxConfiguration(
          new LinuxConfiguration()
              .withDisablePasswordAuthentication(true)
              .withSsh(
                  new SshConfiguration()
                      .withPublicKeys(
                          List.of(
                              new SshPublicKey()
                                  .withPath("/home/" + user + "/.ssh/authorized_keys")
                                  .withKeyData(adminSecret)))));
    }
    VirtualMachineInner vm =
        new VirtualMachineInner()
            .withHardwareProfile(
                new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString(m.size())))
            .withStorageProfile(
                new StorageProfile()
                    .withImageReference(
                        new ImageReference()
                            .withPublisher(urn[0])
                            .withOffer(urn[1])
                            .withSku(urn[2])
                            .withVersion(urn[3]))
                    .withOsDisk(
                        new OSDisk()
                            .withName(m.name() + "_OsDisk")
                            .withCreateOption(DiskCreateOptionTypes.FROM_IMAGE)
                            .withDiskSizeGB(m.diskGb())
                            .withDeleteOption(DiskDeleteOptionTypes.DELETE)
                            .withManagedDisk(
                                new ManagedDiskParameters()
                                    .withStorageAccountType(StorageAccountTypes.PREMIUM_LRS))))
            .withOsProfile(os)
            .withNetworkProfile(
                new NetworkProfile()
                    .withNetworkInterfaces(
                        List.of(
                            new NetworkInterfaceReference()
                                .withId(nicId)
                                .withPrimary(true)
                                .withDeleteOption(DeleteOptions.DELETE))));
    if (m.spot()) {
      vm.withPriority(VirtualMachinePriorityTypes.SPOT)
          .withEvictionPolicy(VirtualMachineEvictionPolicyTypes.DELETE)
          .withBillingProfile(new BillingProfile().withMaxPrice(-1.0));
    }
    vm.withLocation(spec.location()).withTags(tags);
    return vm;
  }

  /** Runs the bootstrap script carried by the command, which stays protected. */
  static VirtualMachineExtensionInner bootstrapExtension(
      ClusterSpec spec, String command, Map<String, String> tags) {
    return new VirtualMachineExtensionInner()
        .withPublisher("Microsoft.Compute")
        .withTypePropertiesType("CustomScriptExtension")
        .withTypeHandlerVersion("1.10")
        .withAutoUpgradeMinorVersion(true)
        .withProtectedSettings(Map.of("commandToExecute", command))
        .withLocation(spec.location())
        .withTags(tags);
  }

  /** Windows computer names have at most 15 characters; Linux host names up to 63. */
  static String computerName(Machine m) {
    if (m.os() != Os.WINDOWS || m.name().length() <= 15) {
      return m.name();
    }
    String suffix = "-" + m.index();
    String hash = Integer.toHexString(m.name().hashCode() & 0xfffff);
    String head = m.name().substring(0, Math.max(1, 15 - suffix.length() - hash.length()));
    return head + hash + suffix;
  }
}
