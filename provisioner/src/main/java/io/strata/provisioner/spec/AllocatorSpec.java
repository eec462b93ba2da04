package io.strata.provisioner.spec;

import io.strata.api.json.Checks;

/**
 * The allocator machine. Exactly one for now: several allocators would each keep their own journal
 * behind one address (split brain) until the allocator runs as a ZooKeeper-backed HA group (issue
 * 12, see docs/ha.md); the Terraform modules refuse {@code allocator_count != 1} for the same
 * reason.
 *
 * @param count must be 1
 * @param size VM size (Azure) or flavor (OpenStack); ignored by the local cloud
 * @param image image URN (Azure {@code publisher:offer:sku:version}) or image name (OpenStack)
 * @param diskGb OS disk size in GiB
 * @param port the allocator's HTTPS port
 */
public record AllocatorSpec(int count, String size, String image, Integer diskGb, Integer port) {
  /** Why {@code count} must be 1, as the error the operator reads. */
  static final String ONE_ALLOCATOR =
      "must be 1: high availability (several allocators on ZooKeeper) is not available yet"
          + " (issue 12, docs/ha.md); more than one allocator would split the cluster's state";

  public AllocatorSpec {
    diskGb = diskGb == null ? 30 : diskGb;
    port = port == null ? 5050 : port;
    new Checks()
        .require(count == 1, "count", ONE_ALLOCATOR)
        .range("diskGb", diskGb, 8, 4096)
        .range("port", port, 1024, 65535)
        .done();
  }
}
