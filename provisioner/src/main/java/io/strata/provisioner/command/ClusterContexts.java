package io.strata.provisioner.command;

import io.strata.provisioner.spec.CloudKind;
import java.util.List;

/**
 * Where the CLI remembers the clusters it can talk to (its contexts). After an apply the command
 * hands over how to reach the new cluster, so that {@code strata apps} works with no flag or
 * environment variable; after a destroy, it says the cluster is gone. The provisioner does not know
 * how the CLI keeps them: the CLI supplies this when it mounts the command.
 */
public interface ClusterContexts {
  /**
   * How to reach a provisioned cluster's allocator from here.
   *
   * @param url its operator API
   * @param operatorToken the token with which the provisioner reached it (secret: store it
   *     owner-only, never print it)
   * @param caPem the cluster CA for an https URL, else null
   */
  record NewCluster(String name, CloudKind cloud, String url, String operatorToken, String caPem) {
    @Override
    public String toString() {
      return "NewCluster[" + name + ", " + cloud + ", " + url + "]";
    }
  }

  /**
   * Remembers {@code cluster} and makes it the current one. Returns the lines that tell the user
   * (which context, where the token is). May throw when it cannot write; the apply stays done.
   */
  List<String> added(NewCluster cluster);

  /** Forgets the cluster named {@code name}, if it is remembered. Returns lines for the user. */
  List<String> removed(String name);
}
