package io.strata.provisioner.spec;

import io.strata.api.json.Checks;

/**
 * The allocator machines. With 3 or more, they run as a ZooKeeper-backed HA group behind a load
 * balancer.
 *
 * @param count 1, or 3 or more (an HA group needs a majority)
 * @param size VM size (Azure) or flavor (OpenStack); ignored by the local cloud
 * @param image image URN (Azure {@code publisher:offer:sku:version}) or image name (OpenStack)
 * @param diskGb OS disk size in GiB
 * @param port the allocator's HTTPS port
 */
public record AllocatorSpec(int count, String size, String image, Integer diskGb, Integer port) {
  public AllocatorSpec {
    diskGb = diskGb == null ? 30 : diskGb;
    port = port == null ? 5050 : port;
    Checks c = new Checks().range("count", count, 1, 9);
    c.require(count != 2, "count", "must be 1, or 3 or more (an HA group needs a majority)");
    c.range("diskGb", diskGb, 8, 4096).range("port", port, 1024, 65535).done();
  }
}
