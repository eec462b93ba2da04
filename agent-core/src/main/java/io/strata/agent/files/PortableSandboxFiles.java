package io.strata.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link SandboxFiles} with Java's file API alone: the Windows agent's (Java NIO there maps {@code
 * NOFOLLOW_LINKS} to {@code FILE_FLAG_OPEN_REPARSE_POINT}, and reports symbolic links as links and
 * junctions and other reparse points as "other").
 *
 * <p>Each component is looked at without following links and must be a directory (the last one a
 * directory or a regular file); the file is then opened without following a link in its last
 * component. Its limit, stated honestly: between the look and the open a task can swap an
 * <em>intermediate</em> directory for a link or junction, which the open then follows. That needs a
 * task able to win a race against the agent, and it is why the Linux agent does not use this class
 * but {@code LinuxSandboxFiles} (openat2 beneath the sandbox's descriptor, no such window). On
 * POSIX systems it also refuses files with more than one hard link (the {@code unix:nlink}
 * attribute); Windows' hard links are not detected.
 */
public final class PortableSandboxFiles implements SandboxFiles {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  @Override
  public Result read(Path sandbox, String relative, long offset, int maxLength) throws IOException {
    Optional<List<String>> names = SandboxPath.components(relative);
    if (names.isEmpty() || names.get().stream().anyMatch(n -> n.indexOf(':') >= 0)) {
      return new Refused("path '" + relative + "' leaves the sandbox");
    }
    Path path = sandbox;
    BasicFileAttributes attributes = attributes(sandbox);
    for (String name : names.get()) {
      if (attributes == null || !attributes.isDirectory()) {
        return new Missing("no file '" + relative + "' in the sandbox");
      }
      path = path.resolve(name);
      attributes = attributes(path);
      if (attributes != null && (attributes.isSymbolicLink() || attributes.isOther())) {
        return new Refused(
            "path '" + relative + "' leaves the sandbox: '" + name + "' is a link or special file");
      }
    }
    if (attributes == null) {
      return new Missing("no file '" + relative + "' in the sandbox");
    }
    if (attributes.isDirectory()) {
      return list(path);
    }
    if (!attributes.isRegularFile()) {
      return new Refused("'" + relative + "' is not a regular file");
    }
    if (links(path) > 1) {
      return new Refused("'" + relative + "' has other names (hard links): not served");
    }
    SeekableByteChannel in;
    try {
      in = Files.newByteChannel(path, StandardOpenOption.READ, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return new Missing("no file '" + relative + "' in the sandbox");
    } catch (IOException e) {
      // Most often ELOOP: the name became a link since it was looked at.
      return new Refused("'" + relative + "' changed while it was opened");
    }
    try (in) {
      long size = in.size();
      int length = (int) Math.max(0, Math.min(maxLength, size - offset));
      ByteBuffer buf = ByteBuffer.allocate(length);
      if (length > 0) {
        in.position(offset);
        while (buf.hasRemaining() && in.read(buf) > 0) {}
      }
      byte[] data = new byte[buf.position()];
      buf.flip().get(data);
      return new FileData(size, data);
    }
  }

  private static Result list(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (entries.size() >= MAX_ENTRIES) {
          break;
        }
        BasicFileAttributes a = attributes(p);
        if (a != null) {
          entries.add(
              new Entry(p.getFileName().toString(), type(a), a.isRegularFile() ? a.size() : 0));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return new Missing("the directory is gone");
    }
    entries.sort(Comparator.comparing(Entry::name));
    return new Listing(entries);
  }

  private static String type(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "symlink";
    }
    return a.isDirectory() ? "directory" : a.isRegularFile() ? "file" : "other";
  }

  private static BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (FileSystemException e) {
      // Missing, not a directory, a name too long, not accessible: nothing to serve.
      return null;
    }
  }

  private static int links(Path p) throws IOException {
    if (!p.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      return 1;
    }
    return (Integer) Files.getAttribute(p, "unix:nlink", NOFOLLOW);
  }
}
