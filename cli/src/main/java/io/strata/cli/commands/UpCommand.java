package io.strata.cli.commands;

import io.strata.agent.linux.LinuxAgentMain;
import io.strata.api.Quantities;
import io.strata.api.client.ApiException;
import io.strata.api.json.ValidationException;
import io.strata.cli.client.Contexts;
import io.strata.cli.client.StrataClient;
import io.strata.cli.client.Target;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.provisioner.providers.local.ClusterState;
import io.strata.provisioner.providers.local.LocalCluster;
import io.strata.provisioner.providers.local.LocalClusterSpec;
import io.strata.provisioner.providers.local.ProcessTemplate;
import io.strata.workloads.spec.Specs;
import io.strata.workloads.spec.WorkloadSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "up",
    description = {
      "Bring a cluster up on this machine: an allocator (with the built-in frameworks) and N Linux"
          + " agents, each a separate process with its own work dir, resource slice, task ports"
          + " and cgroup parent. Waits until every agent registered, then prints where the API,"
          + " the token and the logs are. Running it again is harmless: what runs is kept.",
      "Agents isolate tasks with cgroups: run as root."
    },
    footer = {
      "%nExamples:",
      "  strata up                          # 3 agents, 1 CPU and 1 GiB each",
      "  strata up --example mixed          # and run the sample mixed workload from examples/mixed",
      "  strata up --agents 5 --cpus 0.5 --mem 512Mi --port 6060",
      "  strata up --ha --example mixed     # 3 allocators on a 3-server ZooKeeper ensemble"
    })
public final class UpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--agents",
      paramLabel = "N",
      defaultValue = "3",
      description = "How many agents (default ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--cpus",
      paramLabel = "CPUS",
      defaultValue = "1",
      description = "CPUs each agent offers (default ${DEFAULT-VALUE}).")
  String cpus;

  @Option(
      names = "--mem",
      paramLabel = "SIZE",
      defaultValue = "1Gi",
      description = "Memory each agent offers (default ${DEFAULT-VALUE}).")
  String mem;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "5050",
      description = "The allocator's port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where state, tokens, logs and work dirs live (env STRATA_DATA_DIR; default ~/.strata).")
  Path dataDir;

  @Option(
      names = "--example",
      paramLabel = "NAME",
      description = "Then run the specs in examples/NAME (e.g. mixed).")
  String example;

  @Option(
      names = "--ha",
      description =
          "High availability: a ZooKeeper ensemble of 3 servers (ports PORT+101..103, peers"
              + " +111..113, election +121..123) and 3 allocators (PORT..PORT+2), one leading;"
              + " the agents and the context know all three.")
  boolean ha;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description = "How long to wait for the cluster (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir =
        (dataDir != null ? dataDir : Target.dataDir(Environment.get()))
            .toAbsolutePath()
            .normalize();
    long millicpus;
    long memory;
    try {
      millicpus = Quantities.parseMillicpus(cpus);
      memory = Quantities.parseBytes(mem, Quantities.MIB);
    } catch (ValidationException e) {
      throw new CliException(ExitCodes.USAGE, "--cpus/--mem: " + e.getMessage());
    }
    List<Path> examples = example == null ? List.of() : exampleFiles(example);
    Instant started = Instant.now();
    int ephemeralStart = ephemeralPortsStart();
    if (ha) {
      UpHa.refuseUnusable(port, ephemeralStart);
    }
    int[] taskPorts = taskPorts(agents, ephemeralStart);
    LocalClusterSpec clusterSpec =
        new LocalClusterSpec(
            dir,
            agents,
            millicpus,
            memory,
            "127.0.0.1",
            port,
            ha ? port + UpHa.ALLOCATORS : port + 1,
            taskPorts[0],
            taskPorts[1],
            ha ? UpHa.allocatorTemplate() : allocatorTemplate(),
            agentTemplate(),
            Duration.ofSeconds(timeoutSeconds),
            ha ? UpHa.spec(port) : null);
    ClusterState state =
        new LocalCluster(clusterSpec)
            .up(
                line -> {
                  out.println("  " + line);
                  out.flush();
                });
    String seconds = Duration.between(started, Instant.now()).toMillis() / 100 / 10.0 + " s";
    if (state.ha()) {
      UpHa.describe(state, seconds, out);
    } else {
      out.println(
          "Strata is up in "
              + seconds
              + ": allocator "
              + state.url()
              + " with "
              + state.agents().size()
              + " agent(s)");
    }
    String context = "local-" + port;
    String dns = dnsServers(port, state.ha() ? UpHa.ALLOCATORS : 1);
    Contexts.load(Environment.get())
        .withCurrent(
            new Contexts.Context(
                context, state.url(), state.adminTokenFile(), null, dir.toString(), dns))
        .save(Environment.get());
    out.println(
        "  context: "
            + context
            + "  (now current: other commands talk to this cluster; see strata context)");
    out.println("  token:   " + state.adminTokenFile() + "  (the CLI finds it by itself)");
    out.println(
        "  viewer:  "
            + dir.resolve(state.ha() ? "allocator-1" : "allocator").resolve("tokens.json")
            + "  (viewerToken: read-only, to hand out)");
    out.println(
        "  DNS:     "
            + dns
            + "  (zone strata.: dig @127.0.0.1 -p "
            + (port + DNS_PORT_OFFSET)
            + " web.services.strata; in the context)");
    out.println("  logs:    " + state.logDir());
    out.println("  state:   " + dir.resolve(LocalCluster.STATE_FILE));
    if (!examples.isEmpty()) {
      submit(
          examples,
          new StrataClient(
              new Target(URI.create(UpHa.submitUrl(state)), token(state), "strata up")),
          out);
    }
    out.println(
        "Try: strata ps | strata apps | strata jobs | strata nodes | strata why ID | strata down");
    out.flush();
    return ExitCodes.OK;
  }

  /** The allocators' DNS servers, {@code 127.0.0.1:P+53[,...]}, as the context records them. */
  static String dnsServers(int port, int allocators) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < allocators; i++) {
      out.add("127.0.0.1:" + (port + i + DNS_PORT_OFFSET));
    }
    return String.join(",", out);
  }

  /**
   * The agents' task port ranges, {@code {first port, ports per agent}}: from 31000 (as Mesos), 500
   * per agent, all below the kernel's ephemeral range, where the ports of client connections and of
   * servers on port 0 come from (this machine's other programs, tests). A task port there could be
   * held by anything at any moment; an agent leaves out those held when it starts and a task given
   * one taken since fails saying so, but below that range nothing takes them by chance. With many
   * agents the ranges shrink and start lower (never below 10000).
   */
  static int[] taskPorts(int agents, int ephemeralStart) {
    int n = Math.max(1, agents);
    int top = Math.max(ephemeralStart, 10_000 + n);
    int perAgent = Math.max(1, Math.min(500, (top - 10_000) / n));
    int base = Math.min(31_000, top - n * perAgent);
    return new int[] {base, perAgent};
  }

  /** The first port of this machine's ephemeral range (Linux's default when unknown). */
  static int ephemeralPortsStart() {
    try {
      // Not Files.readString: /proc files say they are empty, and it then reads a single byte.
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
      return Integer.parseInt(range.strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  /** The command lines of the cluster's processes: this same distribution, as separate JVMs. */
  public static ProcessTemplate allocatorTemplate() {
    return java(System.getProperty("strata.allocatorJvmFlags", ALLOCATOR_JVM_FLAGS))
        .plus(
            "io.strata.cli.Main",
            "allocator",
            "--data-dir",
            "{dataDir}",
            "--host",
            "{host}",
            "--port",
            "{port}",
            "--join-token-file",
            "{joinTokenFile}",
            "--admin-token-file",
            "{adminTokenFile}",
            // Relative: clusters on this machine (several allocators of one, several clusters)
            // never contend for one DNS port.
            "--dns-port",
            "+" + DNS_PORT_OFFSET);
  }

  /** The DNS port of a local allocator: its HTTP port plus this. */
  public static final int DNS_PORT_OFFSET = 53;

  public static ProcessTemplate agentTemplate() {
    return java(System.getProperty("strata.agentJvmFlags", AGENT_JVM_FLAGS), agentClasspath())
        .plus(
            "io.strata.agent.linux.LinuxAgentMain",
            "--allocator",
            "{url}",
            "--join-token-file",
            "{joinTokenFile}",
            "--work-dir",
            "{workDir}",
            "--hostname",
            "{hostname}",
            "--listen",
            "127.0.0.1:{port}",
            "--resources",
            "cpus:{cpus};mem:{mem}",
            "--ports",
            "[{ports}]",
            "--cgroup-parent",
            "{cgroupParent}",
            "--attribute",
            "local-agent={name}");
  }

  /** The allocator with the built-in frameworks: small heap, quick start. */
  static final String ALLOCATOR_JVM_FLAGS =
      "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

  /** Agents: the Linux agent's own flags (measured in BENCHMARKS.md, "Linux agent"). */
  static final String AGENT_JVM_FLAGS = String.join(" ", LinuxAgentMain.JVM_FLAGS);

  /** {@code java FLAGS -cp <this JVM's classpath>}. */
  static ProcessTemplate java(String flags) {
    return java(flags, System.getProperty("java.class.path"));
  }

  /**
   * The agent's classpath in the distribution: the Linux agent's jar, whose manifest names the
   * agent's own dependencies in the same lib/ directory, and nothing else (every jar on a classpath
   * costs the agent resident memory). Elsewhere (tests, the build's own jars or classes, where
   * those dependencies are not next to it), this JVM's whole classpath.
   */
  static String agentClasspath() {
    return agentClasspath(System.getProperty("java.class.path"));
  }

  static String agentClasspath(String full) {
    for (String entry : full.split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (name.startsWith("strata-agent-linux-") && name.endsWith(".jar")) {
        return dependenciesBeside(jar) ? entry : full;
      }
    }
    return full;
  }

  /** Whether every jar the manifest of {@code jar} names (Class-Path) is in its directory. */
  private static boolean dependenciesBeside(Path jar) {
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      java.util.jar.Manifest manifest = file.getManifest();
      String classPath =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
      if (classPath == null || classPath.isBlank()) {
        return false;
      }
      for (String dependency : classPath.trim().split("\\s+")) {
        if (!Files.isRegularFile(jar.resolveSibling(dependency))) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code java FLAGS -cp CLASSPATH}. */
  static ProcessTemplate java(String flags, String classpath) {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = new ArrayList<>();
    argv.add(javaBin);
    for (String f : flags.trim().split("\\s+")) {
      if (!f.isEmpty()) {
        argv.add(f);
      }
    }
    argv.add("--enable-native-access=ALL-UNNAMED"); // JNA (cgroups, Job Objects)
    String home = System.getProperty("strata.home");
    if (home != null) {
      argv.add("-Dstrata.home=" + home);
    }
    argv.add("-cp");
    argv.add(classpath);
    return new ProcessTemplate(argv);
  }

  private static List<Path> exampleFiles(String name) throws IOException {
    List<Path> roots = new ArrayList<>();
    String home = System.getProperty("strata.home");
    if (home != null) {
      roots.add(Path.of(home, "examples"));
    }
    roots.add(Path.of("examples"));
    for (Path root : roots) {
      Path dir = root.resolve(name);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          List<Path> files = s.filter(RunCommand::isSpec).sorted().toList();
          if (!files.isEmpty()) {
            return files;
          }
        }
      }
    }
    throw new CliException(ExitCodes.USAGE, "no example '" + name + "' (looked in " + roots + ")");
  }

  private void submit(List<Path> files, StrataClient client, PrintWriter out) throws IOException {
    List<WorkloadSpec> specs = new ArrayList<>();
    for (Path f : files) {
      specs.add(Specs.decode(f.toString(), Files.readAllBytes(f)));
    }
    Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
    for (WorkloadSpec s : specs) {
      while (true) {
        try {
          Map<String, Object> answer = client.submit(s);
          out.println("  " + s.kind() + " " + s.id() + ": " + answer.get("change"));
          break;
        } catch (ApiException e) {
          // 503 while the built-in frameworks subscribe after a fresh start.
          if (e.status() != 503 || Instant.now().isAfter(deadline)) {
            throw e;
          }
          sleep();
        }
      }
    }
  }

  private static String token(ClusterState state) throws IOException {
    return Files.readString(Path.of(state.adminTokenFile()), StandardCharsets.UTF_8).strip();
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.FAILURE, "interrupted");
    }
  }
}
