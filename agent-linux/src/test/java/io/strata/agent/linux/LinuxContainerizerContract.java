package io.strata.agent.linux;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.testing.ContainerizerContract;
import io.strata.api.CommandInfo;
import java.util.List;

/**
 * The Containerizer contract with the commands it runs written for Linux (a POSIX shell, as in the
 * busybox image and on the host): what every Linux containerizer's contract test shares, whether
 * its tasks run in cgroups on the host or in Docker containers.
 */
public abstract class LinuxContainerizerContract extends ContainerizerContract {
  @Override
  protected CommandInfo exitWith(int code) {
    return LinuxTestSupport.sh("exit " + code);
  }

  @Override
  protected CommandInfo echo(String text) {
    return CommandInfo.argv("echo", text);
  }

  @Override
  protected CommandInfo printEnv(String name) {
    return LinuxTestSupport.sh("echo \"$" + name + "\"");
  }

  @Override
  protected CommandInfo sleepForever() {
    return LinuxTestSupport.sh(LinuxTestSupport.SLEEP_FOREVER);
  }

  @Override
  protected CommandInfo ignorePoliteStop() {
    return LinuxTestSupport.sh(LinuxTestSupport.IGNORE_TERM);
  }

  @Override
  protected CommandInfo processTree() {
    return LinuxTestSupport.sh(LinuxTestSupport.PROCESS_TREE);
  }

  @Override
  protected CommandInfo exitWhenFileAppears(String fileName, int code) {
    return LinuxTestSupport.sh(
        "while [ ! -e " + fileName + " ]; do sleep 0.05; done; exit " + code);
  }

  @Override
  protected CommandInfo memoryHog() {
    return LinuxTestSupport.sh("tail /dev/zero");
  }

  @Override
  protected List<Long> processesOf(ContainerId id) throws Exception {
    return LinuxTestSupport.processesWithContainerId(id);
  }

  @Override
  protected String taskUser() {
    return "nobody";
  }
}
