package io.strata.api;

import io.strata.api.json.Checks;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an agent tells the allocator about itself when it registers.
 *
 * @param hostname the machine's name, shown to operators and used for unique-host placement
 * @param os linux or windows
 * @param arch e.g. {@code amd64}
 * @param resources what the agent offers in total; {@code reserved} holds its static reservations
 * @param attributes operator-set facts for placement constraints ({@code zone=eu-1})
 * @param capabilities what it can run: {@code cgroups-v2}, {@code docker}, {@code job-objects}...
 * @param endpoint the agent's own HTTP address (sandbox files, logs), e.g. {@code
 *     http://10.0.0.5:5051}
 * @param version the agent's software version
 */
public record AgentInfo(
    String hostname,
    Os os,
    String arch,
    ResourcePool resources,
    Map<String, String> attributes,
    Set<String> capabilities,
    String endpoint,
    String version) {

  public AgentInfo {
    Checks c =
        new Checks()
            .notBlank("hostname", hostname)
            .maxLength("hostname", hostname, 253)
            .notNull("os", os)
            .notBlank("arch", arch)
            .notNull("resources", resources);
    attributes = Attributes.keys(c, "attributes", attributes);
    c.noNullElements("capabilities", capabilities);
    capabilities =
        capabilities == null
            ? Set.of()
            : Collections.unmodifiableSet(
                new TreeSet<>(capabilities.stream().filter(x -> x != null).toList()));
    if (endpoint != null) {
      c.require(
          endpoint.startsWith("http://") || endpoint.startsWith("https://"),
          "endpoint",
          "must be an http:// or https:// URL");
    }
    version = version == null ? "unknown" : version;
    c.done();
  }

  public boolean hasCapability(String capability) {
    return capabilities.contains(capability);
  }
}
