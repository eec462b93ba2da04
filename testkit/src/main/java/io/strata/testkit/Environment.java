package io.strata.testkit;

import io.strata.host.HostOs;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the machine running the tests offers: root, cgroups, a Docker engine, Windows. Each probe
 * returns empty when the capability is there, or the reason it is not.
 */
public final class Environment {
  /** Set by {@code .ci/run}: a missing root/cgroup/Docker capability fails instead of skipping. */
  public static final String REQUIRE_PRIVILEGED = "STRATA_REQUIRE_PRIVILEGED";

  /** Set by the Windows workflow: a Windows-only test that cannot run there fails. */
  public static final String REQUIRE_WINDOWS = "STRATA_REQUIRE_WINDOWS";

  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  private Environment() {}

  public static boolean isLinux() {
    return HostOs.linux();
  }

  public static boolean isWindows() {
    return HostOs.windows();
  }

  /** Empty if we run as root on Linux, otherwise why not. */
  public static Optional<String> missingRoot() {
    if (!isLinux()) {
      return Optional.of("not Linux (" + HostOs.describe() + ")");
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String effective = line.substring(4).trim().split("\\s+")[1];
          return effective.equals("0")
              ? Optional.empty()
              : Optional.of("not running as root (euid " + effective + ")");
        }
      }
      return Optional.of("cannot read the effective uid from /proc/self/status");
    } catch (IOException e) {
      return Optional.of("cannot read /proc/self/status: " + e.getMessage());
    }
  }

  /** Empty if cgroup v1 controllers cpu, memory and pids are mounted and writable. */
  public static Optional<String> missingCgroupV1() {
    Optional<String> root = missingRoot();
    if (root.isPresent()) {
      return root;
    }
    for (String controller : new String[] {"cpu", "memory", "pids", "freezer"}) {
      Path dir = CGROUP_ROOT.resolve(controller);
      if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("cgroup.procs"))) {
        return Optional.of("cgroup v1 controller '" + controller + "' not mounted at " + dir);
      }
      if (!Files.isWritable(dir)) {
        return Optional.of("cgroup v1 controller '" + controller + "' not writable at " + dir);
      }
    }
    return Optional.empty();
  }

  /** The mount point of the cgroup2 hierarchy, if any. */
  public static Optional<Path> cgroupV2Mount() {
    if (Files.exists(CGROUP_ROOT.resolve("cgroup.controllers"))) {
      return Optional.of(CGROUP_ROOT);
    }
    Path unified = CGROUP_ROOT.resolve("unified");
    if (Files.exists(unified.resolve("cgroup.controllers"))) {
      return Optional.of(unified);
    }
    return Optional.empty();
  }

  /** Empty if a cgroup2 hierarchy is mounted and writable. */
  public static Optional<String> missingCgroupV2() {
    Optional<String> root = missingRoot();
    if (root.isPresent()) {
      return root;
    }
    Optional<Path> mount = cgroupV2Mount();
    if (mount.isEmpty()) {
      return Optional.of("no cgroup2 hierarchy at /sys/fs/cgroup or /sys/fs/cgroup/unified");
    }
    return Files.isWritable(mount.get())
        ? Optional.empty()
        : Optional.of("cgroup2 hierarchy at " + mount.get() + " is not writable");
  }

  /** The Docker engine's unix socket, from DOCKER_HOST or the default. */
  public static Path dockerSocket() {
    String host = System.getenv("DOCKER_HOST");
    if (host != null && host.startsWith("unix://")) {
      return Path.of(host.substring("unix://".length()));
    }
    return Path.of("/var/run/docker.sock");
  }

  /** Empty if a Docker engine answers {@code GET /_ping} on its unix socket. */
  public static Optional<String> missingDocker() {
    if (!isLinux()) {
      return Optional.of("Linux containers need a Linux Docker engine");
    }
    Path socket = dockerSocket();
    if (!Files.exists(socket)) {
      return Optional.of("no Docker socket at " + socket);
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(
          ByteBuffer.wrap(
              "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer answer = ByteBuffer.allocate(256);
      channel.read(answer);
      String status = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
      return status.startsWith("HTTP/1.") && status.contains(" 200 ")
          ? Optional.empty()
          : Optional.of("Docker at " + socket + " did not answer _ping with 200");
    } catch (IOException e) {
      return Optional.of("Docker at " + socket + " unreachable: " + e.getMessage());
    }
  }

  /**
   * Where tests find a static busybox to build their container image from: {@code
   * STRATA_TEST_BUSYBOX} (.ci/run extracts Debian's busybox-static into a directory of its own and
   * names the binary there; nothing is installed on the host), else {@code /bin/busybox}.
   */
  public static final String TEST_BUSYBOX = "STRATA_TEST_BUSYBOX";

  /** The static busybox for the tests' container image, if there is one. */
  public static Optional<Path> busybox() {
    String named = System.getenv(TEST_BUSYBOX);
    Path path = named != null && !named.isBlank() ? Path.of(named) : Path.of("/bin/busybox");
    return Files.isRegularFile(path) && Files.isExecutable(path)
        ? Optional.of(path)
        : Optional.empty();
  }

  /** Empty if {@link #busybox()} finds one, otherwise why not. */
  public static Optional<String> missingBusybox() {
    if (busybox().isPresent()) {
      return Optional.empty();
    }
    String named = System.getenv(TEST_BUSYBOX);
    return Optional.of(
        named != null && !named.isBlank()
            ? TEST_BUSYBOX + "=" + named + " is not an executable file"
            : "no static busybox for the test image (/bin/busybox, or set "
                + TEST_BUSYBOX
                + "; .ci/run extracts Debian's busybox-static)");
  }

  /** {@code dig} on the PATH, if there is one. */
  public static Optional<Path> dig() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
      Path candidate = dir.isEmpty() ? null : Path.of(dir, "dig");
      if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Empty if {@link #dig()} finds one, otherwise why not. */
  public static Optional<String> missingDig() {
    return dig().isPresent()
        ? Optional.empty()
        : Optional.of("no dig on the PATH (apt-get install dnsutils; .ci/run installs it)");
  }

  /** Empty on Windows. */
  public static Optional<String> missingWindows() {
    return isWindows()
        ? Optional.empty()
        : Optional.of("needs Windows (" + HostOs.describe() + ")");
  }

  static boolean flag(String name) {
    String value = System.getenv(name);
    if (value == null) {
      value = System.getProperty(name);
    }
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }
}
