package io.strata.allocator.server.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.allocator.authz.Acls;
import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.authz.Grantee;
import io.strata.allocator.ha.HaConfig;
import io.strata.api.Roles;
import io.strata.api.json.Checks;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an allocator runs. Read from YAML or JSON ({@link #load}); every field but {@code dataDir}
 * has a default. Invalid values are reported with their field names.
 *
 * @param dataDir where the journal, snapshots and generated tokens live
 * @param host the address to bind (default 127.0.0.1: reachable from this machine only)
 * @param port the HTTP port (default 5050; 0 picks a free one)
 * @param joinToken the bearer token agents present; generated on first start if absent
 * @param principals framework and operator identities with their tokens and allowed roles; an
 *     {@code admin} principal (operator, every role) is generated on first start if absent
 * @param agentHeartbeatIntervalMillis how often agents heartbeat (default 5 s)
 * @param agentUnreachableAfterMillis silence after which an agent is UNREACHABLE (default 15 s)
 * @param agentGoneAfterMillis time UNREACHABLE after which an agent is GONE (default 10 min)
 * @param frameworkHeartbeatIntervalMillis HEARTBEAT events on framework streams (default 15 s)
 * @param allocationIntervalMillis the least time between allocation cycles (default 50 ms)
 * @param offerTimeoutMillis offers not answered in this time are rescinded (default: never)
 * @param snapshotEvery journal batches between snapshots (default 10000)
 * @param maxRequestBytes larger request bodies are refused with 413 (default 4 MiB)
 * @param storeMaxValueBytes the largest value in a framework's store (default 256 KiB, at most
 *     {@code maxRequestBytes})
 * @param storeMaxKeys the most keys in one framework's store (default 10000)
 * @param allocationSeed seeds the allocator's agent shuffle (default: random, logged)
 * @param removedIdsMaxAgeMillis the ids of GONE agents and removed frameworks are refused this
 *     long, then forgotten (default 14 days, as Mesos' {@code registry_max_agent_age})
 * @param removedIdsMaxCount at most this many GONE agent ids, and as many removed framework ids,
 *     are kept; the oldest are forgotten first (default 102400, as Mesos' {@code
 *     registry_max_agent_count})
 * @param cluster the cluster's name, if it has one (logged, and named in the server certificate)
 * @param caFile the cluster CA certificate (PEM). With {@code caKeyFile}, the allocator serves
 *     HTTPS with a certificate it issues itself at every start, signed by this CA; with {@code
 *     tlsCertFile}, it is appended to that certificate's chain. Without any of these: plain HTTP
 * @param caKeyFile the cluster CA's private key (PEM): signs the server certificate and keys the
 *     agents' credentials and issued join tokens, so every allocator of the cluster accepts them
 * @param tlsCertFile a server certificate (PEM, its chain after it) to serve HTTPS with, instead of
 *     issuing one; needs {@code tlsKeyFile}
 * @param tlsKeyFile the private key of {@code tlsCertFile} (PEM)
 * @param joinTokenFile a file holding the join token (instead of {@code joinToken})
 * @param joinTokenExpiresAt when the configured join token stops being accepted for joining (RFC
 *     3339); default never. Agents already registered hold their own credential
 * @param operatorTokenFile a file holding the token of the {@code admin} principal (operator, every
 *     role), as a provisioner hands it over
 * @param acls the operator's ACLs, as Mesos' {@code --acls} (one list per action, {@code
 *     permissive}); checked before what the principals' {@code operator}, {@code viewer} and {@code
 *     roles} imply. Default: none, not permissive
 * @param dnsPort the port (UDP and TCP) of the {@code strata.} DNS zone (default 8600; 0 when
 *     {@code port} is 0, so that allocators on free ports never contend for it; 0 picks a free one)
 * @param dnsEnabled false: no DNS server (default true)
 * @param dnsTtlSeconds the TTL of every DNS answer, negative ones included (default 5)
 * @param dnsUpstream {@code ip:port} to forward names outside the zone to; absent: REFUSED
 */
public record AllocatorConfig(
    String dataDir,
    String host,
    Integer port,
    String joinToken,
    List<Principal> principals,
    Long agentHeartbeatIntervalMillis,
    Long agentUnreachableAfterMillis,
    Long agentGoneAfterMillis,
    Long frameworkHeartbeatIntervalMillis,
    Long allocationIntervalMillis,
    Long offerTimeoutMillis,
    Integer snapshotEvery,
    Integer maxRequestBytes,
    Integer storeMaxValueBytes,
    Integer storeMaxKeys,
    Long allocationSeed,
    Long removedIdsMaxAgeMillis,
    Integer removedIdsMaxCount,
    String cluster,
    String caFile,
    String caKeyFile,
    String tlsCertFile,
    String tlsKeyFile,
    String joinTokenFile,
    Instant joinTokenExpiresAt,
    String operatorTokenFile,
    Acls acls,
    String zookeeper,
    Long zookeeperSessionTimeoutMillis,
    String advertiseUrl,
    String tokenKeyFile,
    Integer dnsPort,
    Boolean dnsEnabled,
    Long dnsTtlSeconds,
    String dnsUpstream) {

  public static final int DEFAULT_PORT = 5050;
  public static final int DEFAULT_DNS_PORT = 8600;
  public static final long DEFAULT_DNS_TTL_SECONDS = 5;
  public static final long DEFAULT_REMOVED_IDS_MAX_AGE_MILLIS = 14L * 24 * 3600 * 1000;
  public static final int DEFAULT_REMOVED_IDS_MAX_COUNT = 100 * 1024;
  private static final int MIN_TOKEN_LENGTH = 16;

  /**
   * A framework or operator identity. What it may do: see {@link Authorizer}.
   *
   * @param roles roles its frameworks may register (subscribe) in, reserve and unreserve in (a role
   *     allows the roles below it; {@code *} allows every role)
   * @param operator an admin: may do everything
   * @param viewer may read every view of the operator API and the workloads, and change nothing
   */
  public record Principal(
      String name, String token, Set<String> roles, Boolean operator, Boolean viewer) {

    /** A principal that is no viewer. */
    public Principal(String name, String token, Set<String> roles, Boolean operator) {
      this(name, token, roles, operator, null);
    }

    public Principal {
      Checks c = new Checks().notBlank("name", name).maxLength("name", name, 128);
      c.notBlank("token", token);
      if (token != null && !token.isBlank()) {
        c.require(
            token.length() >= MIN_TOKEN_LENGTH,
            "token",
            "must be at least " + MIN_TOKEN_LENGTH + " characters");
      }
      roles = roles == null ? Set.of() : Set.copyOf(roles);
      for (String role : roles) {
        if (!"*".equals(role)) {
          c.nested("roles[" + role + "]", () -> Roles.check(role));
        }
      }
      operator = operator != null && operator;
      viewer = viewer != null && viewer;
      c.require(!(operator && viewer), "viewer", "an operator sees everything already");
      c.done();
    }

    /** How the authorizer sees it: admin, viewer or framework principal, with its roles. */
    public Grantee grantee() {
      Grantee.Kind kind =
          operator ? Grantee.Kind.ADMIN : viewer ? Grantee.Kind.VIEWER : Grantee.Kind.FRAMEWORK;
      return new Grantee(name, kind, roles);
    }
  }

  public AllocatorConfig {
    Checks c = new Checks().notBlank("dataDir", dataDir);
    host = host == null ? "127.0.0.1" : host;
    c.notBlank("host", host);
    port = port == null ? DEFAULT_PORT : port;
    c.range("port", port, 0, 65535);
    if (joinToken != null) {
      c.require(
          joinToken.length() >= MIN_TOKEN_LENGTH,
          "joinToken",
          "must be at least " + MIN_TOKEN_LENGTH + " characters");
    }
    c.noNullElements("principals", principals);
    principals =
        principals == null ? List.of() : principals.stream().filter(p -> p != null).toList();
    Set<String> names = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < principals.size(); i++) {
      Principal p = principals.get(i);
      c.require(names.add(p.name()), "principals[" + i + "].name", "duplicate name " + p.name());
      c.require(tokens.add(p.token()), "principals[" + i + "].token", "duplicate token");
      c.require(
          !p.token().equals(joinToken),
          "principals[" + i + "].token",
          "must differ from the join token");
    }
    c.require(
        joinToken == null || joinTokenFile == null,
        "joinTokenFile",
        "give the join token either inline (joinToken) or in a file, not both");
    c.require(
        joinTokenExpiresAt == null || joinToken != null || joinTokenFile != null,
        "joinTokenExpiresAt",
        "needs a configured join token (joinToken or joinTokenFile)");
    c.require(
        operatorTokenFile == null || principals.stream().noneMatch(p -> p.name().equals("admin")),
        "operatorTokenFile",
        "defines the principal admin, which principals names already");
    for (String[] file :
        new String[][] {
          {"caFile", caFile},
          {"caKeyFile", caKeyFile},
          {"tlsCertFile", tlsCertFile},
          {"tlsKeyFile", tlsKeyFile},
          {"joinTokenFile", joinTokenFile},
          {"operatorTokenFile", operatorTokenFile}
        }) {
      if (file[1] != null) {
        c.notBlank(file[0], file[1]);
      }
    }
    c.require(
        (tlsCertFile == null) == (tlsKeyFile == null),
        tlsCertFile == null ? "tlsCertFile" : "tlsKeyFile",
        "tlsCertFile and tlsKeyFile go together");
    c.require(
        caKeyFile == null || caFile != null, "caFile", "is required with caKeyFile (its key)");
    c.require(
        caFile == null || caKeyFile != null || tlsCertFile != null,
        "caKeyFile",
        "is required with caFile to issue the server certificate (or give tlsCertFile and"
            + " tlsKeyFile)");
    if (cluster != null) {
      c.notBlank("cluster", cluster).maxLength("cluster", cluster, 128);
    }
    agentHeartbeatIntervalMillis = orDefault(agentHeartbeatIntervalMillis, 5_000L);
    agentUnreachableAfterMillis = orDefault(agentUnreachableAfterMillis, 15_000L);
    agentGoneAfterMillis = orDefault(agentGoneAfterMillis, 600_000L);
    frameworkHeartbeatIntervalMillis = orDefault(frameworkHeartbeatIntervalMillis, 15_000L);
    allocationIntervalMillis = orDefault(allocationIntervalMillis, 50L);
    snapshotEvery = snapshotEvery == null ? 10_000 : snapshotEvery;
    maxRequestBytes = maxRequestBytes == null ? Codec.MAX_DOCUMENT_BYTES : maxRequestBytes;
    storeMaxValueBytes =
        storeMaxValueBytes == null ? Math.min(256 * 1024, maxRequestBytes) : storeMaxValueBytes;
    storeMaxKeys = storeMaxKeys == null ? 10_000 : storeMaxKeys;
    removedIdsMaxAgeMillis = orDefault(removedIdsMaxAgeMillis, DEFAULT_REMOVED_IDS_MAX_AGE_MILLIS);
    removedIdsMaxCount =
        removedIdsMaxCount == null ? DEFAULT_REMOVED_IDS_MAX_COUNT : removedIdsMaxCount;
    acls = acls == null ? Acls.NONE : acls;
    // A principal named in an ACL that no one is would match nobody, silently: refuse the typo.
    Set<String> known = new java.util.HashSet<>(names);
    known.addAll(
        Set.of(BuiltInPrincipals.ADMIN, BuiltInPrincipals.VIEWER, BuiltInPrincipals.FRAMEWORKS));
    for (io.strata.allocator.authz.Action a : io.strata.allocator.authz.Action.values()) {
      List<io.strata.allocator.authz.Acl> entries = acls.of(a);
      for (int i = 0; i < entries.size(); i++) {
        for (String name : entries.get(i).principals().values()) {
          c.require(
              known.contains(name),
              "acls." + a.key() + "[" + i + "].principals",
              "no principal is named '"
                  + name
                  + "' (configured: "
                  + new java.util.TreeSet<>(known)
                  + ")");
        }
      }
    }
    c.range("agentHeartbeatIntervalMillis", agentHeartbeatIntervalMillis, 10, 3_600_000);
    c.range("agentUnreachableAfterMillis", agentUnreachableAfterMillis, 10, 86_400_000);
    c.require(
        agentUnreachableAfterMillis > agentHeartbeatIntervalMillis,
        "agentUnreachableAfterMillis",
        "must be longer than agentHeartbeatIntervalMillis (" + agentHeartbeatIntervalMillis + ")");
    c.range("agentGoneAfterMillis", agentGoneAfterMillis, 0, 30L * 86_400_000);
    c.range("frameworkHeartbeatIntervalMillis", frameworkHeartbeatIntervalMillis, 10, 3_600_000);
    c.range("allocationIntervalMillis", allocationIntervalMillis, 1, 60_000);
    if (offerTimeoutMillis != null) {
      c.range("offerTimeoutMillis", offerTimeoutMillis, 10, 86_400_000);
    }
    c.range("snapshotEvery", snapshotEvery, 1, 10_000_000);
    c.range("maxRequestBytes", maxRequestBytes, 1024, Codec.MAX_DOCUMENT_BYTES);
    c.range("storeMaxValueBytes", storeMaxValueBytes, 16, maxRequestBytes);
    c.range("storeMaxKeys", storeMaxKeys, 1, 1_000_000);
    c.range("removedIdsMaxAgeMillis", removedIdsMaxAgeMillis, 60_000, 3650L * 86_400_000);
    c.range("removedIdsMaxCount", removedIdsMaxCount, 1, 10_000_000);
    if (tokenKeyFile != null) {
      c.notBlank("tokenKeyFile", tokenKeyFile);
      c.require(
          caKeyFile == null,
          "tokenKeyFile",
          "the token key is derived from caKeyFile already: give one of them, not both");
    }
    if (advertiseUrl != null) {
      String problem =
          HaConfig.advertiseUrlProblem(advertiseUrl, tlsCertFile != null || caKeyFile != null);
      c.require(problem == null, "advertiseUrl", problem);
    }
    if (zookeeper == null) {
      c.require(
          zookeeperSessionTimeoutMillis == null,
          "zookeeperSessionTimeoutMillis",
          "is used only with zookeeper, which is not set");
    } else {
      zookeeperSessionTimeoutMillis =
          orDefault(zookeeperSessionTimeoutMillis, HaConfig.DEFAULT_SESSION_TIMEOUT_MILLIS);
      c.range("zookeeperSessionTimeoutMillis", zookeeperSessionTimeoutMillis, 1_000, 600_000);
      HaConfig.check(
          c,
          zookeeper,
          advertiseUrl == null && HaConfig.wildcard(host),
          joinToken != null || joinTokenFile != null,
          operatorTokenFile != null || principals.stream().anyMatch(Principal::operator),
          caKeyFile != null || tokenKeyFile != null);
    }
    dnsEnabled = dnsEnabled == null || dnsEnabled;
    dnsPort = dnsPort == null ? (port == 0 ? 0 : DEFAULT_DNS_PORT) : dnsPort;
    c.range("dnsPort", dnsPort, 0, 65535);
    dnsTtlSeconds = orDefault(dnsTtlSeconds, DEFAULT_DNS_TTL_SECONDS);
    c.range("dnsTtlSeconds", dnsTtlSeconds, 0, 86_400);
    if (dnsUpstream != null) {
      c.require(
          io.strata.allocator.server.dns.Upstream.parse(dnsUpstream) != null,
          "dnsUpstream",
          "must be ip:port (an IP address, not a name: the upstream must not depend on DNS)");
    }
    c.done();
  }

  /** The configuration without the bounds on removed ids (they take their defaults). */
  public AllocatorConfig(
      String dataDir,
      String host,
      Integer port,
      String joinToken,
      List<Principal> principals,
      Long agentHeartbeatIntervalMillis,
      Long agentUnreachableAfterMillis,
      Long agentGoneAfterMillis,
      Long frameworkHeartbeatIntervalMillis,
      Long allocationIntervalMillis,
      Long offerTimeoutMillis,
      Integer snapshotEvery,
      Integer maxRequestBytes,
      Integer storeMaxValueBytes,
      Integer storeMaxKeys,
      Long allocationSeed) {
    this(
        dataDir,
        host,
        port,
        joinToken,
        principals,
        agentHeartbeatIntervalMillis,
        agentUnreachableAfterMillis,
        agentGoneAfterMillis,
        frameworkHeartbeatIntervalMillis,
        allocationIntervalMillis,
        offerTimeoutMillis,
        snapshotEvery,
        maxRequestBytes,
        storeMaxValueBytes,
        storeMaxKeys,
        allocationSeed,
        null,
        null);
  }

  /** The configuration without TLS and the bootstrap files (plain HTTP, tokens inline). */
  public AllocatorConfig(
      String dataDir,
      String host,
      Integer port,
      String joinToken,
      List<Principal> principals,
      Long agentHeartbeatIntervalMillis,
      Long agentUnreachableAfterMillis,
      Long agentGoneAfterMillis,
      Long frameworkHeartbeatIntervalMillis,
      Long allocationIntervalMillis,
      Long offerTimeoutMillis,
      Integer snapshotEvery,
      Integer maxRequestBytes,
      Integer storeMaxValueBytes,
      Integer storeMaxKeys,
      Long allocationSeed,
      Long removedIdsMaxAgeMillis,
      Integer removedIdsMaxCount) {
    this(
        dataDir,
        host,
        port,
        joinToken,
        principals,
        agentHeartbeatIntervalMillis,
        agentUnreachableAfterMillis,
        agentGoneAfterMillis,
        frameworkHeartbeatIntervalMillis,
        allocationIntervalMillis,
        offerTimeoutMillis,
        snapshotEvery,
        maxRequestBytes,
        storeMaxValueBytes,
        storeMaxKeys,
        allocationSeed,
        removedIdsMaxAgeMillis,
        removedIdsMaxCount,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static Long orDefault(Long value, long fallback) {
    return value == null ? fallback : value;
  }

  /** The defaults, with {@code dataDir}. */
  public static AllocatorConfig defaults(Path dataDir) {
    return new AllocatorConfig(
        dataDir.toString(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Reads a YAML or JSON file.
   *
   * @throws ValidationException listing every problem with its field path
   */
  public static AllocatorConfig load(Path file) {
    try {
      return Codec.YAML.decode(Files.readString(file), AllocatorConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML or JSON text (tests, the CLI). */
  public static AllocatorConfig parse(String text) {
    return Codec.YAML.decode(text, AllocatorConfig.class);
  }

  /** True if the allocator serves HTTPS. */
  public boolean tls() {
    return tlsCertFile != null || caKeyFile != null;
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  public AllocatorConfig withPort(int newPort) {
    return with(Map.of("port", newPort));
  }

  /** This configuration with the join token and principals given (the join token inline). */
  public AllocatorConfig withCredentials(String newJoinToken, List<Principal> newPrincipals) {
    Map<String, Object> changes = new HashMap<>();
    changes.put("joinToken", newJoinToken);
    changes.put("principals", newPrincipals);
    if (newJoinToken != null) {
      changes.put("joinTokenFile", null);
    }
    return with(changes);
  }

  /**
   * This configuration with the DNS port replaced, or the DNS server off ({@code enabled} false).
   */
  public AllocatorConfig withDns(Integer newDnsPort, boolean enabled) {
    Map<String, Object> changes = new HashMap<>();
    changes.put("dnsEnabled", enabled);
    if (newDnsPort != null) {
      changes.put("dnsPort", newDnsPort);
    }
    return with(changes);
  }

  public AllocatorConfig withDataDir(String newDataDir) {
    return with(Map.of("dataDir", newDataDir));
  }

  public AllocatorConfig withHost(String newHost) {
    return with(Map.of("host", newHost));
  }

  /**
   * This configuration with {@code zookeeper} and {@code advertiseUrl} replaced where not null (the
   * flags {@code --zookeeper} and {@code --advertise-url}), validated together.
   */
  public AllocatorConfig withHa(String newZookeeper, String newAdvertiseUrl) {
    Map<String, Object> changes = new HashMap<>();
    if (newZookeeper != null) {
      changes.put("zookeeper", newZookeeper);
    }
    if (newAdvertiseUrl != null) {
      changes.put("advertiseUrl", newAdvertiseUrl);
    }
    return with(changes);
  }

  /** The parsed {@code zookeeper} setting; empty for a single allocator on its journal. */
  public java.util.Optional<io.strata.allocator.ha.ZooKeeperUrl> zookeeperUrl() {
    return zookeeper == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(io.strata.allocator.ha.ZooKeeperUrl.parse(zookeeper).url());
  }

  /**
   * How clients reach this allocator: {@code advertiseUrl}, or {@code <scheme>://<host>:<port>}
   * with the port it is bound to.
   */
  public String advertisedUrl(int boundPort) {
    if (advertiseUrl != null) {
      return HaConfig.normalize(advertiseUrl);
    }
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (tls() ? "https" : "http") + "://" + h + ":" + boundPort;
  }

  /**
   * This configuration with some fields replaced, by their names in the file: the result is
   * validated exactly as a file with those values would be.
   */
  private AllocatorConfig with(Map<String, ?> changes) {
    ObjectNode tree = Codec.JSON.mapper().valueToTree(this);
    if (changes.containsKey("port")
        && !changes.containsKey("dnsPort")
        && dnsPort == (port == 0 ? 0 : DEFAULT_DNS_PORT)) {
      tree.remove("dnsPort"); // the default follows the new port (0: a free one too)
    }
    changes.forEach((field, value) -> tree.set(field, Codec.JSON.mapper().valueToTree(value)));
    return Codec.JSON.decode(Codec.JSON.encodeBytes(tree), AllocatorConfig.class);
  }
}
