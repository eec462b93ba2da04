package io.strata.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, when run from the distribution. */
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"strata " + (v == null ? "0.1.0-SNAPSHOT" : v)};
  }
}
