package io.strata.agent.linux;

import io.strata.api.json.Codec;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's settings given as flags instead of a config file ({@code strata agent --allocator URL
 * --join-token-file FILE --work-dir DIR ...}, how {@code strata up} starts its agents), written as
 * the config file {@code WORK_DIR/agent.yaml} (mode 0600: it holds the token). Read here rather
 * than by the command line's parser so that such an agent loads no more classes than one started
 * with a config file.
 */
public record AgentFlags(
    String allocator,
    Path joinTokenFile,
    Path workDir,
    String hostname,
    String listen,
    String resources,
    String reserved,
    String ports,
    String cgroupParent,
    Map<String, String> attributes,
    String docker,
    String defaultUser,
    String taskUidRange) {

  /** The flags {@link #parse} takes, each followed by its value. */
  public static final List<String> NAMES =
      List.of(
          "--allocator",
          "--join-token-file",
          "--work-dir",
          "--hostname",
          "--listen",
          "--resources",
          "--reserved",
          "--ports",
          "--cgroup-parent",
          "--attribute",
          "--docker",
          "--default-user",
          "--task-uid-range");

  public AgentFlags {
    attributes = Map.copyOf(attributes);
  }

  /**
   * Reads {@code --name value} pairs ({@code --attribute KEY=VALUE} repeatable).
   *
   * @throws IllegalArgumentException naming the flag that is unknown, lacks its value or repeats
   */
  public static AgentFlags parse(List<String> args) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown argument '" + name + "'");
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args.get(++i);
      if (name.equals("--attribute")) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--attribute needs KEY=VALUE, not '" + value + "'");
        }
        attributes.put(value.substring(0, eq), value.substring(eq + 1));
      } else if (values.put(name, value) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    return new AgentFlags(
        values.get("--allocator"),
        pathOrNull(values.get("--join-token-file")),
        pathOrNull(values.get("--work-dir")),
        values.get("--hostname"),
        values.get("--listen"),
        values.get("--resources"),
        values.get("--reserved"),
        values.get("--ports"),
        values.get("--cgroup-parent"),
        attributes,
        values.get("--docker"),
        values.get("--default-user"),
        values.get("--task-uid-range"));
  }

  private static Path pathOrNull(String value) {
    return value == null ? null : Path.of(value);
  }

  /**
   * Writes {@code WORK_DIR/agent.yaml} (atomically, mode 0600) and returns it.
   *
   * @throws IllegalArgumentException if --allocator, --join-token-file or --work-dir is missing
   */
  public Path writeConfig() throws IOException {
    if (allocator == null || joinTokenFile == null || workDir == null) {
      throw new IllegalArgumentException(
          "pass --config FILE, or --allocator, --join-token-file and --work-dir");
    }
    String token = Files.readString(joinTokenFile, StandardCharsets.UTF_8).strip();
    Map<String, Object> agent = new LinkedHashMap<>();
    agent.put("workDir", workDir.toAbsolutePath().toString());
    agent.put("allocator", allocator);
    agent.put("joinToken", token);
    putIf(agent, "hostname", hostname);
    putIf(agent, "listen", listen);
    putIf(agent, "resources", resources);
    putIf(
        agent, "reserved", reserved != null ? reserved : resources != null ? "cpus:0;mem:0" : null);
    putIf(agent, "ports", ports);
    putIf(agent, "defaultUser", defaultUser);
    if (!attributes.isEmpty()) {
      agent.put("attributes", attributes);
    }
    Map<String, Object> linux = new LinkedHashMap<>();
    putIf(linux, "cgroupParent", cgroupParent);
    putIf(linux, "taskUids", taskUidRange);
    Map<String, Object> dockerSection = new LinkedHashMap<>();
    putIf(dockerSection, "mode", docker);
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("agent", agent);
    file.put("linux", linux);
    file.put("docker", dockerSection);
    Files.createDirectories(workDir);
    Path out = workDir.resolve("agent.yaml");
    // Owner-only from its first instant: it holds the join token.
    DurableFiles.write(out, Codec.YAML.encode(file).getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private static void putIf(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
