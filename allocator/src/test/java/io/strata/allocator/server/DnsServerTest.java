package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.allocator.server.auth.Credentials;
import io.strata.api.CommandInfo;
import io.strata.api.FrameworkId;
import io.strata.api.HealthCheck;
import io.strata.api.Offer;
import io.strata.api.Os;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.operator.ServiceEndpoints;
import io.strata.api.scheduler.Operation;
import io.strata.testkit.Environment;
import io.strata.testkit.RequiresDig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.naming.NameNotFoundException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The allocator's DNS server end to end: agents (one of them Windows) and frameworks over the real
 * protocol, queries over real UDP and TCP from dnsjava's resolver, {@code dig} and the JDK's own
 * JNDI DNS provider; instances leave the answers when unhealthy or killed.
 */
class DnsServerTest {
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent linux;
  FakeAgent windows;
  FakeFramework services;
  FakeFramework other;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "dnsTtlSeconds: 3\n").start();
    linux = allocator.agent("node-1", "cpus:4;mem:4096;ports:[31000-31999]");
    linux.endpoint = "http://127.0.0.1:5051";
    linux.register().connect();
    windows = allocator.agent("win-1.example", "cpus:4;mem:4096;ports:[31000-31999]");
    windows.endpoint = "http://127.0.0.2:5051";
    windows.os = Os.WINDOWS;
    windows.register().connect();
    String frameworksToken =
        allocator.server.credentials().byName(Credentials.FRAMEWORKS).orElseThrow().token();
    services = allocator.framework("strata-services", frameworksToken, "services").subscribe();
    other = allocator.framework("My Fw", TestAllocator.WEB, "web").subscribe();
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {other, services, windows, linux, allocator}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void servesHealthyInstancesOfLinuxAndWindowsAgentsOverUdpAndTcp() throws Exception {
    TaskInfo web1 = launch(services, linux, webTask("web-1", "[31000-31001]"));
    TaskInfo web2 = launch(services, windows, webTask("web-2", "[31500-31501]"));
    TaskInfo cache =
        launch(
            other,
            linux,
            new TaskInfo(
                TaskId.of("cache-7"),
                "cache.main",
                CommandInfo.shell("true"),
                null,
                Resources.parse("cpus:0.1;mem:32;ports:[31900-31900]"),
                null,
                null,
                null,
                null,
                Map.of("strata.app", "web"), // not believed: not the built-in framework
                null,
                null));
    running(linux, services.id(), web1, true);
    running(windows, services.id(), web2, true);
    running(linux, other.id(), cache, null);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> addresses("web.services.strata.", false).size() == 2);
    for (boolean tcp : new boolean[] {false, true}) {
      assertThat(addresses("web.services.strata.", tcp)).containsExactly("127.0.0.1", "127.0.0.2");
      Message srv = query("_web._tcp.services.strata.", Type.SRV, tcp);
      assertThat(srv.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(srvs(srv))
          .containsExactlyInAnyOrder(
              "31000 node-1.agents.strata.", "31500 win-1.example.agents.strata.");
      // the targets' addresses come along
      assertThat(srv.getSection(Section.ADDITIONAL).stream().filter(r -> r instanceof ARecord))
          .hasSize(2);
      assertThat(srvs(query("_port1._web._tcp.services.strata.", Type.SRV, tcp)))
          .containsExactlyInAnyOrder(
              "31001 node-1.agents.strata.", "31501 win-1.example.agents.strata.");
      assertThat(addresses("win-1.example.agents.strata.", tcp)).containsExactly("127.0.0.2");
      assertThat(addresses("cache-main.my-fw.frameworks.strata.", tcp))
          .containsExactly("127.0.0.1");
      assertThat(srvs(query("_cache-main._tcp.my-fw.frameworks.strata.", Type.SRV, tcp)))
          .containsExactly("31900 node-1.agents.strata.");
      Message missing = query("nope.services.strata.", Type.A, tcp);
      assertThat(missing.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(missing.getSection(Section.AUTHORITY).get(0).getType()).isEqualTo(Type.SOA);
      assertThat(missing.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(3);
      Message noData = query("web.services.strata.", Type.AAAA, tcp);
      assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(noData.getSection(Section.ANSWER)).isEmpty();
      assertThat(query("services.strata.", Type.A, tcp).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(query("example.com.", Type.A, tcp).getRcode()).isEqualTo(Rcode.REFUSED);
      assertThat(query("strata.", Type.SOA, tcp).getSection(Section.ANSWER)).hasSize(1);
      assertThat(query("strata.", Type.NS, tcp).getSection(Section.ANSWER)).hasSize(1);
    }
    assertThat(query("web.services.strata.", Type.A, false).getSection(Section.ANSWER))
        .allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(3));

    // The operator route shows the same, and why an instance is left out.
    List<ServiceEndpoints> endpoints = allocator.operator().endpoints("web");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo("service");
              assertThat(e.dnsName()).isEqualTo("web.services.strata.");
              assertThat(e.srvName()).isEqualTo("_web._tcp.services.strata.");
              assertThat(e.instances())
                  .extracting(i -> i.taskId().value())
                  .containsExactly("web-1", "web-2");
              assertThat(e.instances().get(1).ports()).containsExactly(31500, 31501);
              assertThat(e.instances().get(1).host()).isEqualTo("win-1.example");
              assertThat(e.instances().get(1).address()).isEqualTo("127.0.0.2");
              assertThat(e.instances()).allSatisfy(i -> assertThat(i.serving()).isTrue());
            });

    // Unhealthy: out of the answers at once (the next refresh), still listed by the route.
    running(windows, services.id(), web2, false);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> addresses("web.services.strata.", false), a -> a.equals(List.of("127.0.0.1")));
    assertThat(srvs(query("_web._tcp.services.strata.", Type.SRV, true)))
        .containsExactly("31000 node-1.agents.strata.");
    assertThat(allocator.operator().endpoints("web").get(0).instances().get(1))
        .satisfies(
            i -> {
              assertThat(i.healthy()).isFalse();
              assertThat(i.serving()).isFalse();
            });

    // Killed: gone, and with no instance left the name is unknown.
    linux.client.sendStatus(linux.id, status(services.id(), linux, web1, TaskState.KILLED, null));
    windows.client.sendStatus(
        windows.id, status(services.id(), windows, web2, TaskState.KILLED, null));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> query("web.services.strata.", Type.A, false).getRcode() == Rcode.NXDOMAIN);
    assertThat(allocator.operator().endpoints("web")).isEmpty();
    assertThat(addresses("node-1.agents.strata.", false)).containsExactly("127.0.0.1");
  }

  @Test
  void javasOwnResolverReadsTheZone() throws Exception {
    TaskInfo web1 = launch(services, linux, webTask("web-1", "[31000-31001]"));
    running(linux, services.id(), web1, true);
    Hashtable<String, String> env = new Hashtable<>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    env.put("java.naming.provider.url", "dns://127.0.0.1:" + allocator.server.dnsPort());
    InitialDirContext ctx = new InitialDirContext(env);
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .ignoreExceptions()
          .until(() -> attribute(ctx, "web.services.strata.", "A").equals(List.of("127.0.0.1")));
      assertThat(attribute(ctx, "_web._tcp.services.strata.", "SRV"))
          .containsExactly("0 1 31000 node-1.agents.strata.");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> ctx.getAttributes("nope.services.strata.", new String[] {"A"}))
          .isInstanceOf(NameNotFoundException.class);
    } finally {
      ctx.close();
    }
  }

  @Test
  @RequiresDig
  void digGetsTheSameAnswersOverUdpAndTcp() throws Exception {
    TaskInfo web1 = launch(services, linux, webTask("web-1", "[31000-31001]"));
    TaskInfo web2 = launch(services, windows, webTask("web-2", "[31500-31501]"));
    running(linux, services.id(), web1, true);
    running(windows, services.id(), web2, true);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> addresses("web.services.strata.", false).size() == 2);
    for (String transport : List.of("+notcp", "+tcp")) {
      assertThat(new TreeSet<>(dig(transport, "+short", "web.services.strata", "A")))
          .containsExactly("127.0.0.1", "127.0.0.2");
      assertThat(new TreeSet<>(dig(transport, "+short", "_web._tcp.services.strata", "SRV")))
          .containsExactly(
              "0 1 31000 node-1.agents.strata.", "0 1 31500 win-1.example.agents.strata.");
      assertThat(String.join("\n", dig(transport, "nope.services.strata", "A")))
          .contains("status: NXDOMAIN")
          .contains("flags: qr aa");
      assertThat(String.join("\n", dig(transport, "example.com", "A"))).contains("status: REFUSED");
    }
  }

  private List<String> dig(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Environment.dig().orElseThrow().toString());
    command.add("@127.0.0.1");
    command.add("-p");
    command.add(Integer.toString(allocator.server.dnsPort()));
    command.add("+time=2");
    command.add("+tries=1");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private static List<String> attribute(InitialDirContext ctx, String name, String type)
      throws Exception {
    Attribute a = ctx.getAttributes(name, new String[] {type}).get(type);
    List<String> out = new ArrayList<>();
    for (int i = 0; a != null && i < a.size(); i++) {
      out.add(a.get(i).toString());
    }
    out.sort(null);
    return out;
  }

  private static TaskInfo webTask(String id, String ports) {
    return new TaskInfo(
        TaskId.of(id),
        null,
        CommandInfo.shell("serve"),
        null,
        Resources.parse("cpus:0.1;mem:32;ports:" + ports),
        null,
        null,
        null,
        null,
        Map.of("strata.app", "web", "strata.version", "1"),
        HealthCheck.command("true", 1000),
        null);
  }

  private final Set<io.strata.api.OfferId> used = new java.util.HashSet<>();

  /** Launches {@code task} on an offer of {@code agent} not used yet. */
  private TaskInfo launch(FakeFramework fw, FakeAgent agent, TaskInfo task) {
    Offer offer =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    fw.all(io.strata.api.scheduler.SchedulerEvent.Offers.class).stream()
                        .flatMap(o -> o.offers().stream())
                        .filter(o -> o.hostname().equals(agent.hostname) && !used.contains(o.id()))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    used.add(offer.id());
    fw.client.accept(List.of(offer.id()), List.of(new Operation.Launch(List.of(task))), 0L);
    agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().equals(task.taskId()));
    return task;
  }

  private static void running(FakeAgent agent, FrameworkId fw, TaskInfo task, Boolean healthy) {
    agent.client.sendStatus(agent.id, status(fw, agent, task, TaskState.RUNNING, healthy));
  }

  private static TaskStatus status(
      FrameworkId fw, FakeAgent agent, TaskInfo task, TaskState state, Boolean healthy) {
    return new TaskStatus(
        task.taskId(),
        fw,
        agent.id,
        state,
        null,
        null,
        TaskStatus.Source.AGENT,
        UUID.randomUUID(),
        Instant.now(),
        healthy,
        null);
  }

  private Message query(String name, int type, boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver("127.0.0.1");
    resolver.setPort(allocator.server.dnsPort());
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  private List<String> addresses(String name, boolean tcp) throws IOException {
    List<String> out = new ArrayList<>();
    for (Record r : query(name, Type.A, tcp).getSection(Section.ANSWER)) {
      out.add(((ARecord) r).getAddress().getHostAddress());
    }
    out.sort(null);
    return out;
  }

  private static Set<String> srvs(Message m) {
    Set<String> out = new TreeSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      SRVRecord s = (SRVRecord) r;
      out.add(s.getPort() + " " + s.getTarget());
    }
    return out;
  }
}
