package io.strata.provisioner.spec;

import io.strata.api.Os;
import io.strata.api.json.Checks;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A group of identical agent machines.
 *
 * @param name short name, part of every node's name ({@code <cluster>-<pool>-<index>})
 * @param os linux or windows
 * @param count how many nodes (0 keeps the pool with no machines)
 * @param size VM size (Azure) or flavor (OpenStack)
 * @param image image URN (Azure) or name (OpenStack)
 * @param diskGb OS disk size in GiB
 * @param attributes agent attributes for placement constraints
 * @param spot spot (Azure) / preemptible capacity where the cloud has it
 */
public record PoolSpec(
    String name,
    Os os,
    int count,
    String size,
    String image,
    Integer diskGb,
    Map<String, String> attributes,
    Boolean spot) {

  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");

  public PoolSpec {
    diskGb = diskGb == null ? 64 : diskGb;
    spot = spot != null && spot;
    Checks c =
        new Checks()
            .notBlank("name", name)
            .matches(
                "name",
                name,
                NAME,
                "must be 1-20 lowercase letters, digits and dashes, starting with a letter")
            .notNull("os", os)
            .range("count", count, 0, 1000)
            .range("diskGb", diskGb, 8, 4096)
            .noNullValues("attributes", attributes);
    TreeMap<String, String> attrs = new TreeMap<>();
    if (attributes != null) {
      attributes.forEach(
          (k, v) -> {
            c.require(k != null && KEY.matcher(k).matches(), "attributes." + k, "invalid key");
            if (k != null && v != null) {
              attrs.put(k, v);
            }
          });
    }
    attributes = java.util.Collections.unmodifiableMap(attrs);
    c.done();
  }
}
