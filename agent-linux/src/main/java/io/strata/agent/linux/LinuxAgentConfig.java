package io.strata.agent.linux;

import io.strata.agent.AgentConfig;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.users.UidRange;
import io.strata.api.json.Checks;

/**
 * The Linux agent's config file: the common {@code agent} section, plus {@code linux} (cgroups) and
 * {@code docker}. Decoded strictly; a mistake is reported with its path ({@code
 * linux.cgroupParent}).
 *
 * <pre>
 * agent:
 *   workDir: /var/lib/strata/agent
 *   allocator: http://10.0.0.2:5050   # or a list: http://a:5050,http://b:5050; or zk://z1:2181/strata
 *   joinToken: ...
 * linux:
 *   cgroups: auto          # auto | v1 | v2
 *   cgroupParent: strata
 *   defaultPidsLimit: 4096
 *   taskUids: 10000-19999  # one uid per framework/app for tasks of the default user; off: none
 * docker:
 *   mode: auto             # auto | on | off
 *   host: unix:///var/run/docker.sock
 * </pre>
 */
public record LinuxAgentConfig(AgentConfig agent, Linux linux, Docker docker) {

  public LinuxAgentConfig {
    new Checks().notNull("agent", agent).done();
    linux = linux == null ? new Linux(null, null, null, null) : linux;
    docker = docker == null ? new Docker(null, null) : docker;
  }

  /**
   * @param cgroups which cgroup version to use; auto picks v2 when its controllers are there
   * @param cgroupParent the agent's cgroup under each hierarchy's root (a relative path)
   * @param defaultPidsLimit pids.max for tasks that set none; 0 for none
   * @param taskUids the uids ({@code FIRST-LAST}) given out, one per framework or app, to tasks
   *     that would run as the agent's {@code defaultUser}; {@code off} runs them as that user
   *     (docs/isolation.md)
   */
  public record Linux(
      CgroupLayout.Preference cgroups,
      String cgroupParent,
      Long defaultPidsLimit,
      String taskUids) {
    public static final String NO_TASK_UIDS = "off";

    public Linux {
      cgroups = cgroups == null ? CgroupLayout.Preference.AUTO : cgroups;
      cgroupParent = cgroupParent == null ? "strata" : cgroupParent;
      defaultPidsLimit = defaultPidsLimit == null ? 4096L : defaultPidsLimit;
      Checks c = new Checks().notBlank("cgroupParent", cgroupParent);
      c.require(
          !cgroupParent.startsWith("/") && !cgroupParent.contains(".."),
          "cgroupParent",
          "must be a relative path without '..' (was '" + cgroupParent + "')");
      c.range("defaultPidsLimit", defaultPidsLimit, 0, 4_194_304);
      taskUids = taskUids == null ? UidRange.DEFAULT.toString() : taskUids.strip();
      if (!taskUids.equals(NO_TASK_UIDS)) {
        try {
          UidRange.parse(taskUids);
        } catch (IllegalArgumentException e) {
          c.require(false, "taskUids", e.getMessage() + ", or off");
        }
      }
      c.done();
    }

    /** The fields before {@code taskUids}: it takes its default. */
    public Linux(CgroupLayout.Preference cgroups, String cgroupParent, Long defaultPidsLimit) {
      this(cgroups, cgroupParent, defaultPidsLimit, null);
    }

    /** The range tasks get their uids from; empty when {@code off}. */
    public java.util.Optional<UidRange> taskUidRange() {
      return taskUids.equals(NO_TASK_UIDS)
          ? java.util.Optional.empty()
          : java.util.Optional.of(UidRange.parse(taskUids));
    }
  }

  /**
   * @param mode on: Docker is required; auto: used if the engine answers at start; off: never
   * @param host the engine's address
   */
  public record Docker(Mode mode, String host) {
    /** See {@link Docker}. */
    public enum Mode {
      AUTO,
      ON,
      OFF;

      @com.fasterxml.jackson.annotation.JsonValue
      public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }

      /** Accepts auto, on, off in any case. */
      @com.fasterxml.jackson.annotation.JsonCreator
      public static Mode parse(String text) {
        for (Mode m : values()) {
          if (m.name().equalsIgnoreCase(text)) {
            return m;
          }
        }
        throw new IllegalArgumentException("must be one of [auto, on, off] (was '" + text + "')");
      }
    }

    public Docker {
      mode = mode == null ? Mode.AUTO : mode;
      host = host == null ? "unix:///var/run/docker.sock" : host;
      new Checks()
          .require(
              host.startsWith("unix://") || host.startsWith("tcp://"),
              "host",
              "must be unix:///path or tcp://host:port (was '" + host + "')")
          .done();
    }
  }
}
