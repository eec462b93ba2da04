package io.strata.provisioner.spec;

import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Resolves {@link SecretRef}s at apply time, from the environment or from files. */
public final class Secrets {
  private final Map<String, String> env;

  public Secrets(Map<String, String> env) {
    this.env = env;
  }

  public static Secrets fromSystem() {
    return new Secrets(System.getenv());
  }

  /**
   * The secret's value, trailing newline removed.
   *
   * @param field where the reference sits in the spec, for the error message
   */
  public String resolve(String field, SecretRef ref) {
    if (ref.env() != null) {
      String value = env.get(ref.env());
      if (value == null || value.isBlank()) {
        throw new ValidationException(field, "environment variable " + ref.env() + " is not set");
      }
      return value;
    }
    Path path = Path.of(expandHome(ref.file()));
    try {
      return Files.readString(path, StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException e) {
      throw new ValidationException(field, "cannot read " + path + ": " + e.getMessage());
    }
  }

  private String expandHome(String file) {
    if (file.startsWith("~/")) {
      return env.getOrDefault("HOME", System.getProperty("user.home")) + file.substring(1);
    }
    return file;
  }
}
