package io.strata.provisioner.spec;

import io.strata.api.json.Checks;

/**
 * The allocator machines: one (its state in the embedded journal), or an HA group of 3 or 5, each
 * machine running a ZooKeeper server of one ensemble and an allocator that keeps its state there
 * (one leads, the others stand by; docs/ha.md). The Terraform modules accept the same counts.
 *
 * @param count 1, 3 or 5
 * @param size VM size (Azure) or flavor (OpenStack); ignored by the local cloud
 * @param image image URN (Azure {@code publisher:offer:sku:version}) or image name (OpenStack)
 * @param diskGb OS disk size in GiB
 * @param port the allocator's HTTPS port
 */
public record AllocatorSpec(int count, String size, String image, Integer diskGb, Integer port) {
  /** Why {@code count} must be 1, 3 or 5, as the error the operator reads. */
  static final String ALLOCATOR_COUNTS =
      "must be 1, 3 or 5: one allocator, or an HA group whose allocator machines each run a"
          + " ZooKeeper server; an even ensemble tolerates no more failures than the odd one below"
          + " it, and 7 or more only slow every write (docs/ha.md)";

  public AllocatorSpec {
    diskGb = diskGb == null ? 30 : diskGb;
    port = port == null ? 5050 : port;
    new Checks()
        .require(count == 1 || count == 3 || count == 5, "count", ALLOCATOR_COUNTS)
        .range("diskGb", diskGb, 8, 4096)
        .range("port", port, 1024, 65535)
        .done();
  }
}
