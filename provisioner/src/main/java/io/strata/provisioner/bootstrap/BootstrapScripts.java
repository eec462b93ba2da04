package io.strata.provisioner.bootstrap;

import io.strata.api.Os;
import io.strata.provisioner.cloud.Bootstrap;
import io.strata.provisioner.core.ClusterSecrets;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.spec.ClusterSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Renders a machine's first-boot script from the one copy of the templates in {@code
 * terraform/templates/} (on the classpath under {@code strata/templates/}), with exactly the
 * variables {@code variables.json} lists for that template.
 */
public final class BootstrapScripts {
  public static final String ALLOCATOR = "allocator.cloud-init.yaml.tftpl";
  public static final String LINUX_AGENT = "linux-agent.cloud-init.yaml.tftpl";
  public static final String WINDOWS_AGENT = "windows-agent.ps1.tftpl";
  static final String RESOURCE_DIR = "strata/templates/";

  private final TemplateRenderer renderer = new TemplateRenderer();
  private final Map<String, String> templates = new LinkedHashMap<>();

  public BootstrapScripts() {
    for (String name : new String[] {ALLOCATOR, LINUX_AGENT, WINDOWS_AGENT}) {
      templates.put(name, renderer.check(load(name)));
    }
  }

  public static String load(String name) {
    try (InputStream in =
        BootstrapScripts.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("bootstrap template " + name + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The template a machine boots from. */
  public static String templateOf(Machine machine) {
    if (machine.role() == NodeRole.ALLOCATOR) {
      return ALLOCATOR;
    }
    return machine.os() == Os.WINDOWS ? WINDOWS_AGENT : LINUX_AGENT;
  }

  /**
   * The variables passed to a machine's template.
   *
   * @param allocatorUrl the allocator's address for agents ({@code https://IP:PORT}); unused for
   *     allocators
   */
  public static Map<String, Object> variables(
      ClusterSpec spec, ClusterSecrets secrets, Machine machine, String allocatorUrl) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("cluster_name", spec.name());
    v.put("strata_version", spec.strataVersion());
    v.put("artifact_url", spec.artifactUrl() == null ? "" : spec.artifactUrl());
    v.put("artifact_sha256", spec.artifactSha256());
    v.put("cluster_ca_pem", secrets.caCertPem());
    v.put("join_token", secrets.joinToken());
    if (machine.role() == NodeRole.ALLOCATOR) {
      v.put("allocator_port", spec.allocator().port());
      v.put("cluster_ca_key_pem", secrets.caKeyPem());
      v.put("join_token_expires_at", secrets.joinTokenExpiresAt());
      v.put("operator_token", secrets.operatorToken());
    } else {
      v.put("pool_name", machine.pool());
      v.put("allocator_url", allocatorUrl);
      v.put("attributes", machine.attributes());
    }
    return v;
  }

  public Bootstrap render(
      ClusterSpec spec, ClusterSecrets secrets, Machine machine, String allocatorUrl) {
    String name = templateOf(machine);
    String script =
        renderer.render(templates.get(name), variables(spec, secrets, machine, allocatorUrl));
    if (machine.os() == Os.WINDOWS) {
      return new Bootstrap(script, windowsCommand(script));
    }
    return new Bootstrap(script, null);
  }

  /** The longest command line cmd.exe runs, which the CustomScriptExtension goes through. */
  public static final int WINDOWS_COMMAND_LIMIT = 8191;

  /**
   * What the Azure CustomScriptExtension runs on Windows, sent in protectedSettings (encrypted to
   * the VM, never returned by the API): the rendered script itself, gzipped and base64-encoded,
   * inflated and run by PowerShell — the same command the Terraform module builds with {@code
   * base64gzip()}, so the script and the join token it carries never travel as custom data.
   *
   * @throws IllegalArgumentException if the command exceeds {@link #WINDOWS_COMMAND_LIMIT}
   */
  public static String windowsCommand(String script) {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(packed)) {
      gz.write(script.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    String command =
        "powershell.exe -NoProfile -ExecutionPolicy Bypass -Command \"$z = New-Object"
            + " IO.Compression.GZipStream((New-Object IO.MemoryStream(,"
            + " [Convert]::FromBase64String('"
            + Base64.getEncoder().encodeToString(packed.toByteArray())
            + "'))), [IO.Compression.CompressionMode]::Decompress); iex (New-Object"
            + " IO.StreamReader($z)).ReadToEnd()\"";
    if (command.length() > WINDOWS_COMMAND_LIMIT) {
      throw new IllegalArgumentException(
          "the Windows bootstrap command is "
              + command.length()
              + " characters, more than the "
              + WINDOWS_COMMAND_LIMIT
              + " cmd.exe runs: shorten the pool's attributes");
    }
    return command;
  }
}
