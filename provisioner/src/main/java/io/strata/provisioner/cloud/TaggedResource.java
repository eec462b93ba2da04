package io.strata.provisioner.cloud;

/** Something in the cloud that carries a cluster's tag. */
public record TaggedResource(String kind, String id, String name) {}
