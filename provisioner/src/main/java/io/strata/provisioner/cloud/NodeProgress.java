package io.strata.provisioner.cloud;

import java.util.Map;

/** Where a create stands, as one poll saw it. */
public sealed interface NodeProgress {
  record Pending(String detail) implements NodeProgress {}

  /** The machine runs. */
  record Running(Map<String, String> cloudIds, String privateIp, String publicIp)
      implements NodeProgress {}

  /** The cloud gave up on it (failed to provision or boot). */
  record Failed(String reason) implements NodeProgress {}
}
