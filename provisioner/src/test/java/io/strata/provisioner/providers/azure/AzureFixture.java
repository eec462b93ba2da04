package io.strata.provisioner.providers.azure;

import com.azure.core.management.AzureEnvironment;
import io.strata.fakes.azure.FakeArm;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** The real azure-resourcemanager SDK against the fake ARM on 127.0.0.1. */
public final class AzureFixture implements CloudFixture {
  public static final Secrets SECRETS =
      new Secrets(
          Map.of(
              "AZURE_CLIENT_SECRET", "not-used-with-the-fake",
              "STRATA_SSH_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest strata@test",
              "STRATA_WIN_PASSWORD", "Test-Passw0rd!"));

  public final FakeArm arm;

  public AzureFixture() {
    arm =
        FakeArm.start()
            .vmSize("Standard_D2s_v5", 2)
            .vmSize("Standard_D4s_v5", 4)
            .image("canonical:ubuntu-24_04-lts:server:1.0.0")
            .image("MicrosoftWindowsServer:WindowsServer:2022-datacenter:1.0.0")
            .vmLatency(Duration.ofMillis(50));
  }

  public static String yaml(String name, int linux, int windows) {
    return """
        name: %s
        cloud: azure
        location: westeurope
        strataVersion: 0.1.0
        artifactUrl: https://downloads.example.invalid/strata-0.1.0.tar.gz
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          tenantId: 00000000-0000-0000-0000-000000000002
          clientId: strata-test
          clientSecret: {env: AZURE_CLIENT_SECRET}
        allocator: {count: 1, size: Standard_D2s_v5, image: "canonical:ubuntu-24_04-lts:server:latest"}
        pools:
          - name: linux
            os: linux
            count: %d
            size: Standard_D4s_v5
            image: "canonical:ubuntu-24_04-lts:server:latest"
            attributes: {tier: web}
          - name: win
            os: windows
            count: %d
            size: Standard_D4s_v5
            image: "MicrosoftWindowsServer:WindowsServer:2022-datacenter:1.0.0"
        network: {addressSpace: 10.40.0.0/16, adminCidrs: [198.51.100.0/24]}
        access:
          sshPublicKey: {env: STRATA_SSH_KEY}
          windowsAdminPassword: {env: STRATA_WIN_PASSWORD}
        """
        .formatted(name, linux, windows);
  }

  @Override
  public ClusterSpec spec(String name, int linux, int windows) {
    return ClusterSpec.parse(yaml(name, linux, windows));
  }

  public static AzureEnvironment environment(FakeArm arm) {
    // Every endpoint of the public cloud's profile points at the fake: nothing else is reachable.
    Map<String, String> endpoints = new java.util.HashMap<>();
    AzureEnvironment.AZURE.getEndpoints().keySet().forEach(k -> endpoints.put(k, arm.endpoint()));
    return new AzureEnvironment(endpoints);
  }

  @Override
  public CloudProvider provider(ClusterSpec spec, CloudGate gate) {
    var azure =
        AzureProvider.connect(
            spec, SECRETS, environment(arm), FakeArm.credential(), gate, FakeArm.loopbackPolicy());
    return new AzureProvider(spec, azure, gate, SECRETS, Duration.ofMillis(10));
  }

  @Override
  public List<String> booted() {
    return arm.runningVms();
  }

  @Override
  public List<String> tagged(String cluster) {
    return arm.tagged(CloudProvider.TAG, cluster).stream()
        .map(n -> n.path("name").asText())
        .toList();
  }

  @Override
  public List<String> machines(String cluster) {
    return arm.resources("Microsoft.Compute/virtualMachines").stream()
        .filter(n -> cluster.equals(n.path("tags").path(CloudProvider.TAG).asText()))
        .map(n -> n.path("name").asText())
        .toList();
  }

  @Override
  public long writes() {
    return arm.requests("PUT") + arm.requests("DELETE") + arm.requests("POST");
  }

  @Override
  public void throttleWrites(int burst, double perSecond) {
    arm.writeLimit(burst, perSecond);
  }

  @Override
  public void failNext(int n, int status) {
    arm.failNext(n, status);
  }

  @Override
  public void failBoot(String node) {
    arm.failBoot(node);
  }

  /**
   * What the machine boots with: its custom data, or on Windows the script inside the protected
   * command of its bootstrap extension.
   */
  @Override
  public String userData(String node) {
    String data = arm.customData(node);
    if (data != null) {
      return data;
    }
    var settings = arm.protectedSettings(node, "strata-bootstrap");
    return settings == null ? null : scriptOf(settings.path("commandToExecute").asText());
  }

  /**
   * The script a Windows bootstrap command carries (gzipped, base64), as PowerShell inflates it.
   */
  public static String scriptOf(String command) {
    Matcher packed = Pattern.compile("FromBase64String\\('([A-Za-z0-9+/=]+)'\\)").matcher(command);
    if (!packed.find()) {
      throw new AssertionError("no packed script in " + command);
    }
    try (var in =
        new GZIPInputStream(
            new ByteArrayInputStream(Base64.getDecoder().decode(packed.group(1))))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    arm.close();
  }
}
