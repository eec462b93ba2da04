package io.strata.agent.containerizer;

import io.strata.api.json.Checks;
import java.util.Map;

/**
 * What a restarted agent needs to find a container again. Returned by {@link Containerizer#launch},
 * written to disk (fsync) by agent-core before it reports RUNNING, and handed back to {@link
 * Containerizer#recover} after a restart. It must therefore be plain data: JSON-encodable, no live
 * handles.
 *
 * @param containerId the run's id
 * @param containerizer the {@link Containerizer#name()} that launched it
 * @param pid the host pid of the container's root process that the containerizer watches (Linux:
 *     the per-task supervisor; Windows: the task's first process); 0 when there is none (Docker:
 *     the engine tracks it)
 * @param processStartTime an OS-specific stamp of when {@code pid} started (Linux: field 22 of
 *     {@code /proc/pid/stat}, clock ticks since boot; Windows: creation FILETIME), so that a reused
 *     pid is never mistaken for the task; 0 when {@code pid} is 0
 * @param handle the isolation's own name: a cgroup path, a Docker container id, a Job Object name
 * @param details anything else the containerizer needs, as strings (e.g. the exit-status file)
 */
public record ContainerCheckpoint(
    ContainerId containerId,
    String containerizer,
    long pid,
    long processStartTime,
    String handle,
    Map<String, String> details) {

  public ContainerCheckpoint {
    new Checks()
        .notNull("containerId", containerId)
        .notBlank("containerizer", containerizer)
        .nonNegative("pid", pid)
        .nonNegative("processStartTime", processStartTime)
        .notNull("handle", handle)
        .noNullValues("details", details)
        .done();
    details = details == null ? Map.of() : Map.copyOf(details);
  }
}
