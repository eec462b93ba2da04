package io.strata.provisioner.spec;

/**
 * The local cloud: nodes are processes on this machine.
 *
 * @param workDir where the nodes keep their work directories (default {@code .strata/<cluster>})
 */
public record LocalSpec(String workDir) {
  public static LocalSpec defaults() {
    return new LocalSpec(null);
  }
}
