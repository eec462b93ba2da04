package io.strata.provisioner.command;

import com.azure.core.management.AzureEnvironment;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.providers.azure.AzureProvider;
import io.strata.provisioner.providers.openstack.OpenStackProvider;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import java.time.Duration;

/** Makes the provider for a spec's cloud. Tests hand the command one that points at fakes. */
@FunctionalInterface
public interface ProviderFactory {
  CloudProvider create(ClusterSpec spec, CloudGate gate, Secrets secrets);

  /** The public clouds, and whatever provides {@code local}. */
  static ProviderFactory standard(ProviderFactory local) {
    return (spec, gate, secrets) ->
        switch (spec.cloud()) {
          case AZURE ->
              new AzureProvider(
                  spec,
                  AzureProvider.connect(spec, secrets, AzureEnvironment.AZURE, null, gate),
                  gate,
                  secrets,
                  Duration.ofSeconds(5));
          case OPENSTACK -> new OpenStackProvider(spec, gate, secrets, Duration.ofSeconds(5));
          case LOCAL -> local.create(spec, gate, secrets);
        };
  }
}
