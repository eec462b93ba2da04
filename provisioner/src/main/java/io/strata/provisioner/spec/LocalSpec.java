package io.strata.provisioner.spec;

import io.strata.api.json.Checks;

/**
 * The local cloud: nodes are processes on this machine.
 *
 * @param workDir where the nodes keep their work directories (default {@code
 *     $STRATA_DATA_DIR/clusters/<cluster>})
 * @param port the allocator's port on 127.0.0.1 (its agents listen on the next ones); default: the
 *     first free one of 6000, 6100, ... 6900 that no other local cluster uses, kept from then on
 */
public record LocalSpec(String workDir, Integer port) {
  public LocalSpec {
    if (port != null) {
      new Checks().range("port", port, 1024, 65535 - 65).done();
    }
  }

  public static LocalSpec defaults() {
    return new LocalSpec(null, null);
  }
}
