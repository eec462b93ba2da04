package io.strata.provisioner.providers.openstack;

import io.strata.fakes.openstack.FakeOpenStack;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The real openstack4j client (okhttp connector) against the fake OpenStack on 127.0.0.1. */
public final class OpenStackFixture implements CloudFixture {
  static final Secrets SECRETS =
      new Secrets(
          Map.of(
              "OS_PASSWORD", "s3cret",
              "STRATA_SSH_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest strata@test",
              "STRATA_WIN_PASSWORD", "Test-Passw0rd!"));

  public final FakeOpenStack os;

  public OpenStackFixture() {
    os =
        FakeOpenStack.start()
            .user("strata", "s3cret")
            .flavor("m1.medium", 2)
            .flavor("m1.large", 4)
            .image("ubuntu-24.04")
            .image("windows-2022")
            .externalNetwork("public")
            .bootLatency(Duration.ofMillis(50));
  }

  @Override
  public ClusterSpec spec(String name, int linux, int windows) {
    return ClusterSpec.parse(
        """
        name: %s
        cloud: openstack
        location: RegionOne
        strataVersion: 0.1.0
        artifactUrl: https://downloads.example.invalid/strata-0.1.0.tar.gz
        openstack:
          authUrl: %s
          userName: strata
          projectName: strata
          password: {env: OS_PASSWORD}
          externalNetwork: public
        allocator: {count: 1, size: m1.medium, image: ubuntu-24.04}
        pools:
          - {name: linux, os: linux, count: %d, size: m1.large, image: ubuntu-24.04, attributes: {tier: web}}
          - {name: win, os: windows, count: %d, size: m1.large, image: windows-2022}
        network: {addressSpace: 10.50.0.0/16, adminCidrs: [198.51.100.0/24]}
        access:
          sshPublicKey: {env: STRATA_SSH_KEY}
          windowsAdminPassword: {env: STRATA_WIN_PASSWORD}
        """
            .formatted(name, os.authUrl(), linux, windows));
  }

  @Override
  public CloudProvider provider(ClusterSpec spec, CloudGate gate) {
    return new OpenStackProvider(spec, gate, SECRETS, Duration.ofMillis(10));
  }

  @Override
  public List<String> booted() {
    return os.activeServers();
  }

  @Override
  public List<String> tagged(String cluster) {
    return os.tagged(CloudProvider.TAG, cluster);
  }

  @Override
  public List<String> machines(String cluster) {
    return os.servers().stream()
        .filter(s -> cluster.equals(s.path("metadata").path(CloudProvider.TAG).asText()))
        .map(s -> s.path("name").asText())
        .toList();
  }

  @Override
  public long writes() {
    return os.requests("POST") + os.requests("PUT") + os.requests("DELETE") - authentications();
  }

  private long authentications() {
    return os.authentications();
  }

  @Override
  public void throttleWrites(int burst, double perSecond) {
    os.writeLimit(burst, perSecond);
  }

  @Override
  public void failNext(int n, int status) {
    os.failNext(n, status);
  }

  @Override
  public void failBoot(String node) {
    os.failBoot(node);
  }

  @Override
  public String userData(String node) {
    return os.userData(node);
  }

  @Override
  public void close() {
    os.close();
  }
}
