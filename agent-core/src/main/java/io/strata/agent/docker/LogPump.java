package io.strata.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Copies a container's stdout and stderr into the task's sandbox files, following them until the
 * container stops. After an agent restart it follows again from the second the files were last
 * written (a line written in that second may appear twice).
 */
public final class LogPump extends ResultCallback.Adapter<Frame> {
  private static final System.Logger LOG = System.getLogger(LogPump.class.getName());
  private final OutputStream out;
  private final OutputStream err;

  private LogPump(Path stdout, Path stderr) throws IOException {
    this.out = new FileOutputStream(stdout.toFile(), true);
    this.err = new FileOutputStream(stderr.toFile(), true);
  }

  public static LogPump follow(
      DockerClient docker, String containerId, Path stdout, Path stderr, Integer sinceEpochSecond)
      throws IOException {
    LogPump pump = new LogPump(stdout, stderr);
    var cmd =
        docker
            .logContainerCmd(containerId)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(true);
    if (sinceEpochSecond != null) {
      cmd = cmd.withSince(sinceEpochSecond);
    }
    cmd.exec(pump);
    return pump;
  }

  @Override
  public void onNext(Frame frame) {
    try {
      OutputStream target = frame.getStreamType() == StreamType.STDERR ? err : out;
      target.write(frame.getPayload());
      target.flush();
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot write container output to the sandbox: " + e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      out.close();
      err.close();
    }
  }
}
