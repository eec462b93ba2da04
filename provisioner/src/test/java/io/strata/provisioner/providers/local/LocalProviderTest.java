package io.strata.provisioner.providers.local;

import io.strata.provisioner.contract.CloudFixture;
import io.strata.provisioner.contract.CloudProviderContract;

/** The local provider, over the real launcher and real processes, passes the contract. */
class LocalProviderTest extends CloudProviderContract {
  @Override
  protected CloudFixture newFixture() {
    return new LocalFixture();
  }
}
