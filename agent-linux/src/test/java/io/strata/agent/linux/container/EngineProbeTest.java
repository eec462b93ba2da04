package io.strata.agent.linux.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import io.strata.agent.linux.plan.DockerRun;
import io.strata.testkit.Environment;
import io.strata.testkit.RequiresDocker;
import io.strata.testkit.RequiresRoot;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's ping and container list without docker-java: over a fake socket and the real one.
 */
class EngineProbeTest {
  @TempDir Path dir;

  /** Answers each connection with {@code answer} and records the request line. */
  private static final class FakeEngine implements AutoCloseable {
    final ServerSocketChannel server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final Thread thread;

    FakeEngine(Path socket, String answer) throws IOException {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (server.isOpen()) {
                      try (SocketChannel c = server.accept()) {
                        ByteBuffer in = ByteBuffer.allocate(8192);
                        String request = "";
                        while (!request.contains("\r\n\r\n") && c.read(in) > 0) {
                          request =
                              new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
                        }
                        requests.add(request.lines().findFirst().orElse(""));
                        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void anEngineThatAnswersItsPingIsReachable() throws IOException {
    Path socket = dir.resolve("docker.sock");
    try (FakeEngine engine = new FakeEngine(socket, "HTTP/1.0 200 OK\r\n\r\nOK")) {
      assertThat(EngineProbe.of("unix://" + socket).unreachable()).isEmpty();
      assertThat(engine.requests).containsExactly("GET /_ping HTTP/1.0");
    }
  }

  @Test
  void saysWhyAnEngineIsUnreachable() throws IOException {
    assertThat(EngineProbe.of("unix://" + dir.resolve("none.sock")).unreachable())
        .hasValueSatisfying(why -> assertThat(why).containsIgnoringCase("no such file"));
    Path socket = dir.resolve("docker.sock");
    try (FakeEngine engine =
        new FakeEngine(socket, "HTTP/1.0 500 Internal Server Error\r\n\r\nshutting down")) {
      assertThat(EngineProbe.of("unix://" + socket).unreachable())
          .hasValue("ping answered 500: shutting down");
    }
    Path other = dir.resolve("other.sock");
    try (FakeEngine engine = new FakeEngine(other, "SSH-2.0-OpenSSH\r\n")) {
      assertThat(EngineProbe.of("unix://" + other).unreachable())
          .hasValueSatisfying(why -> assertThat(why).contains("is not HTTP"));
    }
  }

  @Test
  void listsTheContainersWithALabel() throws IOException {
    Path socket = dir.resolve("docker.sock");
    String body =
        "[{\"Id\":\"abc\",\"Labels\":{\"io.strata.agent\":\"k1\",\"io.strata.container-id\":\"t-1\"}},"
            + "{\"Id\":\"def\",\"Labels\":null}]";
    try (FakeEngine engine =
        new FakeEngine(
            socket, "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body)) {
      List<EngineProbe.Listed> listed =
          EngineProbe.of("unix://" + socket).containersLabelled("io.strata.agent", "k1");
      assertThat(listed)
          .containsExactly(
              new EngineProbe.Listed(
                  "abc", Map.of("io.strata.agent", "k1", "io.strata.container-id", "t-1")),
              new EngineProbe.Listed("def", Map.of()));
      assertThat(URLDecoder.decode(engine.requests.get(0), StandardCharsets.UTF_8))
          .isEqualTo(
              "GET /containers/json?all=1&filters={\"label\":[\"io.strata.agent=k1\"]} HTTP/1.0");
    }
  }

  @Test
  void aFailedListIsAnError() throws IOException {
    Path socket = dir.resolve("docker.sock");
    try (FakeEngine engine = new FakeEngine(socket, "HTTP/1.0 400 Bad Request\r\n\r\nbad filter")) {
      assertThatThrownBy(() -> EngineProbe.of("unix://" + socket).containersLabelled("a", "b"))
          .isInstanceOf(IOException.class)
          .hasMessage("listing containers answered 400: bad filter");
    }
  }

  @Test
  @RequiresDocker
  @RequiresRoot
  @io.strata.testkit.RequiresBusybox
  void asksTheRealEngine() throws Exception {
    String host = "unix://" + Environment.dockerSocket();
    EngineProbe probe = EngineProbe.of(host);
    assertThat(probe.unreachable()).isEmpty();
    String key = "probe-" + UUID.randomUUID();
    try (DockerClient docker = DockerContainerizer.client(host)) {
      BusyboxImage.ensure(docker);
      String id =
          docker
              .createContainerCmd(BusyboxImage.NAME)
              .withCmd("true")
              .withLabels(Map.of(DockerRun.LABEL_AGENT, key))
              .exec()
              .getId();
      try {
        assertThat(probe.containersLabelled(DockerRun.LABEL_AGENT, key))
            .containsExactly(new EngineProbe.Listed(id, Map.of(DockerRun.LABEL_AGENT, key)));
        assertThat(probe.containersLabelled(DockerRun.LABEL_AGENT, key + "-other")).isEmpty();
      } finally {
        docker.removeContainerCmd(id).withForce(true).exec();
      }
    }
  }
}
