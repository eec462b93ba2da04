package io.strata.provisioner.spec;

import io.strata.api.json.Checks;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The cluster's private network.
 *
 * @param addressSpace IPv4 CIDR of the cluster network; nodes get addresses from its first /24
 * @param adminCidrs who may reach the allocator's API and SSH/RDP from outside
 */
public record NetworkSpec(String addressSpace, List<String> adminCidrs) {
  static final Pattern CIDR =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)/(\\d|[12]\\d|3[0-2])");

  public NetworkSpec {
    addressSpace = addressSpace == null ? "10.40.0.0/16" : addressSpace;
    adminCidrs = adminCidrs == null ? List.of() : adminCidrs;
    Checks c =
        new Checks()
            .matches(
                "addressSpace", addressSpace, CIDR, "must be an IPv4 CIDR such as 10.40.0.0/16")
            .noNullElements("adminCidrs", adminCidrs);
    for (int i = 0; i < adminCidrs.size(); i++) {
      c.matches("adminCidrs[" + i + "]", adminCidrs.get(i), CIDR, "must be an IPv4 CIDR");
    }
    if (CIDR.matcher(addressSpace).matches()) {
      int prefix = Integer.parseInt(addressSpace.substring(addressSpace.indexOf('/') + 1));
      c.require(prefix <= 24, "addressSpace", "must be a /24 or larger (was /" + prefix + ")");
    }
    c.done();
    adminCidrs = List.copyOf(adminCidrs);
  }

  public static NetworkSpec defaults() {
    return new NetworkSpec(null, null);
  }

  /** The first /24 of the address space: the nodes' subnet. */
  public String subnet() {
    String base = addressSpace.substring(0, addressSpace.indexOf('/'));
    String[] o = base.split("\\.");
    return o[0] + "." + o[1] + "." + o[2] + ".0/24";
  }
}
