package io.strata.provisioner.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.strata.api.json.Checks;
import io.strata.api.json.ValidationException;

/**
 * Where a secret lives: an environment variable ({@code {env: NAME}}) or a file ({@code {file:
 * PATH}}). A spec never holds a secret itself: a plain string in a secret's place is refused, so a
 * cluster.yaml can be committed and shared.
 */
public record SecretRef(String env, String file) {

  @JsonCreator
  public SecretRef(@JsonProperty("env") String env, @JsonProperty("file") String file) {
    Checks c = new Checks();
    c.require(
        (env == null) != (file == null), "", "give exactly one of env (variable name) or file");
    if (env != null) {
      c.matches(
          "env",
          env,
          java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*"),
          "must be an environment variable name");
    }
    if (file != null) {
      c.notBlank("file", file);
    }
    c.done();
    this.env = env;
    this.file = file;
  }

  /** A plain string where a reference belongs is an inline secret: refused. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static SecretRef inline(String value) {
    throw new ValidationException(
        "", "inline secrets are not allowed; reference one with {env: VARIABLE} or {file: PATH}");
  }

  public static SecretRef ofEnv(String name) {
    return new SecretRef(name, null);
  }

  public static SecretRef ofFile(String path) {
    return new SecretRef(null, path);
  }

  @Override
  public String toString() {
    return env != null ? "env:" + env : "file:" + file;
  }
}
