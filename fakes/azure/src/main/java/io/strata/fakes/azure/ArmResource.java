package io.strata.fakes.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One resource in the fake ARM, with the times that drive its provisioning state. */
final class ArmResource {
  final String id;
  final ObjectNode body;
  long readyAt;
  boolean failed;
  String failure;
  long goneAt = Long.MAX_VALUE;

  ArmResource(String id, ObjectNode body) {
    this.id = id;
    this.body = body;
  }

  String type() {
    return body.path("type").asText();
  }

  String name() {
    return body.path("name").asText();
  }

  String state(long now) {
    if (goneAt != Long.MAX_VALUE) {
      return "Deleting";
    }
    if (now < readyAt) {
      return "Creating";
    }
    return failed ? "Failed" : "Succeeded";
  }
}
