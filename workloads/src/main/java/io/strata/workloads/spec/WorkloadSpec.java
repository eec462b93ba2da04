package io.strata.workloads.spec;

/** A document a user submits: a service app or a job. */
public sealed interface WorkloadSpec permits AppSpec, JobSpec {
  String SERVICE = "service";
  String JOB = "job";

  String id();

  String kind();
}
