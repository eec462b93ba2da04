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
import java.util.List;
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

  private final Map<String, Template> templates = new LinkedHashMap<>();

  public BootstrapScripts() {
    for (String name : new String[] {ALLOCATOR, LINUX_AGENT, WINDOWS_AGENT}) {
      templates.put(name, Template.parse(name, load(name)));
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

  /** ZooKeeper's client port on every allocator machine of an HA group. */
  public static final int ZOOKEEPER_PORT = 2181;

  /** The ZooKeeper root of a cluster's state, in the allocators' {@code zookeeper} URL. */
  public static final String ZOOKEEPER_ROOT = "/strata";

  private static final java.util.regex.Pattern IPV4 =
      java.util.regex.Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  /** The variables of a machine of a cluster with one allocator. */
  public static Map<String, Object> variables(
      ClusterSpec spec, ClusterSecrets secrets, Machine machine, String allocatorUrl) {
    return variables(spec, secrets, machine, allocatorUrl, List.of());
  }

  /**
   * The variables passed to a machine's template.
   *
   * @param allocatorUrl the allocator's address for agents: {@code https://IP:PORT}, or with
   *     several allocators their comma-separated list; unused for allocators
   * @param allocatorAddresses the private IPv4 address of every allocator machine, by index; needed
   *     for an allocator of an HA group (count 3 or 5), which runs a ZooKeeper server of the
   *     ensemble of all of them; ignored otherwise
   * @throws IllegalArgumentException if an HA allocator's addresses are missing or not IPv4
   */
  public static Map<String, Object> variables(
      ClusterSpec spec,
      ClusterSecrets secrets,
      Machine machine,
      String allocatorUrl,
      List<String> allocatorAddresses) {
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
      v.putAll(ensemble(spec, machine, allocatorAddresses));
    } else {
      v.put("pool_name", machine.pool());
      v.put("allocator_url", allocatorUrl);
      v.put("attributes", machine.attributes());
    }
    return v;
  }

  /**
   * An allocator's part in the HA group: its advertised URL, the ZooKeeper URL of the ensemble of
   * all allocator machines, the servers of that ensemble by id (1 to N, the allocators' index + 1)
   * and its own id. A single allocator has none (empty strings, no servers): it keeps the embedded
   * journal.
   */
  static Map<String, Object> ensemble(ClusterSpec spec, Machine machine, List<String> addresses) {
    Map<String, Object> v = new LinkedHashMap<>();
    int count = spec.allocator().count();
    if (count == 1) {
      v.put("advertise_url", "");
      v.put("zookeeper_url", "");
      v.put("zookeeper_servers", Map.of());
      v.put("zookeeper_myid", 1);
      return v;
    }
    if (addresses == null || addresses.size() != count) {
      throw new IllegalArgumentException(
          "the "
              + count
              + " allocators of an HA group need their private addresses before they boot; got "
              + addresses);
    }
    Map<String, Object> servers = new LinkedHashMap<>();
    List<String> clients = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      String a = addresses.get(i);
      if (a == null || !IPV4.matcher(a).matches()) {
        throw new IllegalArgumentException(
            "allocator " + i + "'s private address must be an IPv4 address, was " + a);
      }
      servers.put(Integer.toString(i + 1), a);
      clients.add(a + ":" + ZOOKEEPER_PORT);
    }
    v.put(
        "advertise_url",
        "https://" + addresses.get(machine.index()) + ":" + spec.allocator().port());
    v.put("zookeeper_url", "zk://" + String.join(",", clients) + ZOOKEEPER_ROOT);
    v.put("zookeeper_servers", servers);
    v.put("zookeeper_myid", machine.index() + 1);
    return v;
  }

  public Bootstrap render(
      ClusterSpec spec, ClusterSecrets secrets, Machine machine, String allocatorUrl) {
    return render(spec, secrets, machine, allocatorUrl, List.of());
  }

  /**
   * Renders a machine's script; see {@link #variables(ClusterSpec, ClusterSecrets, Machine, String,
   * List)}.
   */
  public Bootstrap render(
      ClusterSpec spec,
      ClusterSecrets secrets,
      Machine machine,
      String allocatorUrl,
      List<String> allocatorAddresses) {
    String name = templateOf(machine);
    String script =
        templates
            .get(name)
            .render(variables(spec, secrets, machine, allocatorUrl, allocatorAddresses));
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
