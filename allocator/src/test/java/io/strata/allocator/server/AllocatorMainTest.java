package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.client.OperatorClient;
import io.strata.testkit.Loopback;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point as a process: prints where it serves, its tokens once, stops on SIGTERM. */
class AllocatorMainTest {
  @TempDir Path dir;
  final ChildAllocator children = new ChildAllocator();

  @AfterEach
  void stop() {
    children.close();
  }

  @Test
  void printsGeneratedTokensOnceAndStopsCleanlyOnSigterm() throws Exception {
    int port = Loopback.freePort();
    Path data = dir.resolve("data");
    String[] args = {"--data-dir", data.toString(), "--port", Integer.toString(port)};
    Path log1 = dir.resolve("run1.log");
    Process first = children.start(log1, args);
    String out = Files.readString(log1);
    assertThat(out).contains("listening on http://127.0.0.1:" + port);
    Matcher admin = Pattern.compile("principal admin token: (\\S+)").matcher(out);
    assertThat(admin.find()).as(out).isTrue();
    assertThat(out).contains("agent join token: ");
    OperatorClient operator =
        new OperatorClient(URI.create("http://127.0.0.1:" + port), admin.group(1));
    assertThat(operator.health()).contains("ok");
    assertThat(operator.agents()).isEmpty();

    first.destroy(); // SIGTERM
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(log1)).contains("allocator stopped");

    Path log2 = dir.resolve("run2.log");
    children.start(log2, args);
    String again = Files.readString(log2);
    assertThat(again).doesNotContain(admin.group(1)).contains("tokens: as configured, or in");
    assertThat(operator.health()).contains("ok");
  }

  @Test
  void badFlagsNameTheProblem() throws Exception {
    Path log = dir.resolve("bad.log");
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                AllocatorMain.class.getName(),
                "--data-dir",
                dir.toString(),
                "--port",
                "99999")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log))
        .contains("port: must be between 0 and 65535")
        .doesNotContain("\tat ");
  }
}
