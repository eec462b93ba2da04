package io.strata.provisioner.providers.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command line with {@code {name}} placeholders, filled in per process: e.g. {@code [java, -cp,
 * /opt/strata/lib/*, io.strata.cli.Main, agent, --allocator, {url}, --work-dir, {workDir}]}. An
 * unknown placeholder is an error, so a typo never reaches a process.
 */
public record ProcessTemplate(List<String> argv) {
  private static final Pattern VAR = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

  public ProcessTemplate {
    if (argv == null || argv.isEmpty()) {
      throw new IllegalArgumentException("a process template needs a command");
    }
    argv = List.copyOf(argv);
  }

  public static ProcessTemplate of(String... argv) {
    return new ProcessTemplate(List.of(argv));
  }

  /** The template with {@code more} appended. */
  public ProcessTemplate plus(String... more) {
    List<String> all = new ArrayList<>(argv);
    all.addAll(List.of(more));
    return new ProcessTemplate(all);
  }

  public List<String> render(Map<String, String> vars) {
    List<String> out = new ArrayList<>(argv.size());
    for (String arg : argv) {
      Matcher m = VAR.matcher(arg);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String value = vars.get(m.group(1));
        if (value == null) {
          throw new IllegalArgumentException(
              "unknown placeholder {" + m.group(1) + "} in '" + arg + "'; known: " + vars.keySet());
        }
        m.appendReplacement(b, Matcher.quoteReplacement(value));
      }
      m.appendTail(b);
      out.add(b.toString());
    }
    return out;
  }
}
