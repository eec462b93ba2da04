package io.strata.workloads.services;

import java.time.Instant;

/** How an instance of an app ended, as {@code strata apps ID} lists the recent ones. */
public record InstanceEnd(
    String taskId, String state, String reason, Integer exitCode, String message, Instant at) {}
