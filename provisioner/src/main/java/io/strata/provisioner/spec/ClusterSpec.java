package io.strata.provisioner.spec;

import io.strata.api.Os;
import io.strata.api.json.Checks;
import io.strata.api.json.Codec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cluster as the operator wants it: the document {@code strata provision} reads (YAML). Every
 * field name matches the Terraform modules' variable of the same meaning (camelCase here,
 * snake_case there). The whole spec is validated, with field paths, before anything is created.
 *
 * @param name the cluster's name: tags every resource, prefixes every node name
 * @param cloud azure, openstack or local
 * @param location Azure location or OpenStack region (ignored by local)
 * @param strataVersion the Strata version the machines install
 * @param artifactUrl where machines download that version (a .tar.gz holding bin/ and lib/)
 * @param artifactSha256 the archive's SHA-256 (hex), or empty to skip the check
 * @param azure Azure references (required when cloud is azure)
 * @param openstack OpenStack references (required when cloud is openstack)
 * @param local local-cloud settings
 * @param allocator the allocator machines
 * @param pools the agent pools
 * @param network the private network
 * @param access how administrators log in
 */
public record ClusterSpec(
    String name,
    CloudKind cloud,
    String location,
    String strataVersion,
    String artifactUrl,
    String artifactSha256,
    AzureSpec azure,
    OpenStackSpec openstack,
    LocalSpec local,
    AllocatorSpec allocator,
    List<PoolSpec> pools,
    NetworkSpec network,
    AccessSpec access) {

  // The same constraints as the Terraform modules' variables (terraform/templates/README.md).
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,30}[a-z0-9]");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z._+-]+");
  private static final Pattern URL = Pattern.compile("https?://\\S+");
  private static final Pattern SHA256 = Pattern.compile("([0-9a-fA-F]{64})?");

  public ClusterSpec {
    pools = pools == null ? List.of() : pools;
    network = network == null ? NetworkSpec.defaults() : network;
    access = access == null ? AccessSpec.defaults() : access;
    local = local == null ? LocalSpec.defaults() : local;
    strataVersion = strataVersion == null ? "0.1.0" : strataVersion;
    artifactSha256 = artifactSha256 == null ? "" : artifactSha256;
    Checks c =
        new Checks()
            .notBlank("name", name)
            .matches("name", name, NAME, "must be 3-32 lowercase letters, digits and dashes")
            .matches("strataVersion", strataVersion, VERSION, "must be a version such as 0.1.0")
            .matches("artifactSha256", artifactSha256, SHA256, "must be 64 hex digits or empty")
            .notNull("cloud", cloud)
            .notNull("allocator", allocator)
            .noNullElements("pools", pools);
    c.require(!pools.isEmpty(), "pools", "at least one pool is required");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < pools.size(); i++) {
      PoolSpec pool = pools.get(i);
      if (pool != null) {
        c.require(seen.add(pool.name()), "pools[" + i + "].name", "duplicate pool name");
        c.require(!pool.name().equals("alloc"), "pools[" + i + "].name", "'alloc' is reserved");
      }
    }
    if (cloud != null) {
      // Fields are assigned only after a compact constructor ends: pass the values on.
      cloudChecks(c, cloud, location, artifactUrl, azure, openstack, allocator, pools, access);
    }
    c.done();
    pools = List.copyOf(pools);
  }

  private static void cloudChecks(
      Checks c,
      CloudKind kind,
      String location,
      String artifactUrl,
      AzureSpec azure,
      OpenStackSpec openstack,
      AllocatorSpec allocator,
      List<PoolSpec> pools,
      AccessSpec access) {
    switch (kind) {
      case AZURE -> {
        c.notNull("azure", azure).notBlank("location", location);
        requireMachines(c, artifactUrl, allocator, pools, access);
      }
      case OPENSTACK -> {
        c.notNull("openstack", openstack).notBlank("location", location);
        for (int i = 0; i < pools.size(); i++) {
          PoolSpec pool = pools.get(i);
          c.require(
              pool == null || !pool.spot(),
              "pools[" + i + "].spot",
              "OpenStack has no spot capacity; remove spot or use azure");
        }
        requireMachines(c, artifactUrl, allocator, pools, access);
      }
      case LOCAL -> {
        c.require(
            pools.size() <= 1,
            "pools",
            "the local cloud runs one pool of identical agents on this machine");
        for (int i = 0; i < pools.size(); i++) {
          PoolSpec pool = pools.get(i);
          c.require(
              pool == null || pool.os() != Os.WINDOWS,
              "pools[" + i + "].os",
              "the local cloud runs Linux agents on this machine; use azure or openstack for"
                  + " windows pools");
        }
      }
    }
  }

  /** Clouds with real machines need sizes, images, an artifact to download and login settings. */
  private static void requireMachines(
      Checks c,
      String artifactUrl,
      AllocatorSpec allocator,
      List<PoolSpec> pools,
      AccessSpec access) {
    c.notBlank("artifactUrl", artifactUrl)
        .matches("artifactUrl", artifactUrl, URL, "must be an http(s) URL");
    if (allocator != null) {
      c.notBlank("allocator.size", allocator.size()).notBlank("allocator.image", allocator.image());
    }
    boolean windows = false;
    for (int i = 0; i < pools.size(); i++) {
      PoolSpec pool = pools.get(i);
      if (pool != null) {
        c.notBlank("pools[" + i + "].size", pool.size());
        c.notBlank("pools[" + i + "].image", pool.image());
        windows |= pool.os() == Os.WINDOWS;
      }
    }
    c.notNull("access.sshPublicKey", access.sshPublicKey());
    if (windows) {
      c.notNull("access.windowsAdminPassword", access.windowsAdminPassword());
    }
  }

  /** Reads and validates a spec; every problem is reported with its field path. */
  public static ClusterSpec parse(String yaml) {
    return Codec.YAML.decode(yaml, ClusterSpec.class);
  }

  public ClusterSpec withPoolCount(String pool, int count) {
    List<PoolSpec> scaled =
        pools.stream()
            .map(
                p ->
                    p.name().equals(pool)
                        ? new PoolSpec(
                            p.name(),
                            p.os(),
                            count,
                            p.size(),
                            p.image(),
                            p.diskGb(),
                            p.attributes(),
                            p.spot())
                        : p)
            .toList();
    if (scaled.equals(pools) && pools.stream().noneMatch(p -> p.name().equals(pool))) {
      throw new io.strata.api.json.ValidationException("pool", "no pool named '" + pool + "'");
    }
    return new ClusterSpec(
        name,
        cloud,
        location,
        strataVersion,
        artifactUrl,
        artifactSha256,
        azure,
        openstack,
        local,
        allocator,
        scaled,
        network,
        access);
  }
}
