package io.strata.agent.linux.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.http.AgentHttpServer;
import io.strata.agent.testing.TestEndpoint;
import io.strata.testkit.RequiresRoot;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux agent's endpoint against a task that races symlinks, FIFOs, device nodes and hard links
 * against the file routes: nothing outside the sandbox is ever served, and /health stays up.
 */
class HostileSandboxEndpointTest {
  static final String SECRET = "top secret: the host's shadow file";
  static final int GETS = 4000;
  @TempDir Path work;
  TestEndpoint endpoint;
  Path secret;
  final HttpClient client = TestEndpoint.client("127.0.0.1");

  @BeforeEach
  void start() throws IOException {
    endpoint = new TestEndpoint(work, new LinuxSandboxFiles(), AgentHttpServer.Limits.DEFAULT);
    secret = Files.writeString(work.resolve("shadow"), SECRET);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  @Test
  void aFileFlippedToASymlinkIsNeverServedOverHttp() throws Exception {
    Path name = endpoint.sandbox.resolve("flip");
    AtomicBoolean stop = new AtomicBoolean();
    Thread flipper =
        Thread.ofPlatform()
            .start(
                () -> {
                  Path link = endpoint.sandbox.resolve(".l");
                  Path regular = endpoint.sandbox.resolve(".r");
                  while (!stop.get()) {
                    try {
                      Files.deleteIfExists(link);
                      Files.createSymbolicLink(link, secret);
                      Files.move(link, name, StandardCopyOption.ATOMIC_MOVE);
                      Files.writeString(regular, "harmless");
                      Files.move(regular, name, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                      // keep flipping
                    }
                  }
                });
    int leaks = 0;
    int served = 0;
    int refused = 0;
    int gets = 0;
    try {
      // GETS at least, and on until both sides of the race were seen (bounded): how the threads
      // interleave is the scheduler's choice.
      while (gets < GETS || ((served == 0 || refused == 0) && gets < 25 * GETS)) {
        gets++;
        HttpResponse<String> r = endpoint.send(client, endpoint.file("flip"));
        if (r.body().contains("top secret")) {
          leaks++;
        } else if (r.statusCode() == 200) {
          served++;
        } else {
          assertThat(r.statusCode()).isIn(403, 404);
          refused++;
        }
      }
    } finally {
      stop.set(true);
      flipper.join();
    }
    System.out.printf(
        "symlink flip: %d GETs, %d leaks, %d served the regular file, %d refused%n",
        gets, leaks, served, refused);
    assertThat(leaks).isZero();
    assertThat(served).isPositive();
    assertThat(refused).isPositive();
  }

  @Test
  void twoHundredFifoReadsNeitherBlockNorStarveHealth() throws Exception {
    Process p = new ProcessBuilder("mkfifo", endpoint.sandbox.resolve("fifo").toString()).start();
    assertThat(p.waitFor()).isZero();
    List<CompletableFuture<HttpResponse<String>>> hostile = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      hostile.add(
          client.sendAsync(
              endpoint.get(endpoint.file("fifo")), HttpResponse.BodyHandlers.ofString()));
    }
    long t0 = System.nanoTime();
    HttpResponse<String> health =
        TestEndpoint.client("127.0.0.2")
            .send(endpoint.get(endpoint.uri("/health")), HttpResponse.BodyHandlers.ofString());
    long healthMillis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(health.body()).isEqualTo("ok\n");
    int fifoRefused = 0;
    for (CompletableFuture<HttpResponse<String>> f : hostile) {
      HttpResponse<String> r =
          f.get(60, TimeUnit.SECONDS); // a hang guard: a blocked open never ends
      // 403: not a regular file; 429: over this client's share at that moment.
      assertThat(r.statusCode()).isIn(403, 429);
      fifoRefused += r.statusCode() == 403 ? 1 : 0;
    }
    System.out.printf(
        "FIFO: 200 concurrent GETs, %d refused as not regular, /health in %d ms%n",
        fifoRefused, healthMillis);
    assertThat(fifoRefused).isPositive();
  }

  @Test
  void hardLinksToHostFilesAreRefused() throws Exception {
    Files.createLink(endpoint.sandbox.resolve("shadow"), secret);
    HttpResponse<String> r = endpoint.send(client, endpoint.file("shadow"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("hard links").doesNotContain("top secret");
  }

  @Test
  @RequiresRoot
  void deviceNodesAreRefusedUnopened() throws Exception {
    Process p =
        new ProcessBuilder("mknod", endpoint.sandbox.resolve("zero").toString(), "c", "1", "5")
            .start();
    assertThat(p.waitFor()).isZero();
    HttpResponse<String> r = endpoint.send(client, endpoint.file("zero"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("not a regular file");
  }

  @Test
  void directorySymlinksInAMiddleComponentAndDotDotAreRefused() throws Exception {
    Files.createDirectories(work.resolve("host-dir"));
    Files.writeString(work.resolve("host-dir").resolve("f"), SECRET);
    Files.createSymbolicLink(endpoint.sandbox.resolve("d"), work.resolve("host-dir"));
    for (String path : List.of("d/f", "d/", "..%2F..%2Fshadow", "%2Fetc%2Fshadow")) {
      HttpResponse<String> r = endpoint.send(client, endpoint.file(path));
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).as(path).doesNotContain("top secret");
    }
  }
}
