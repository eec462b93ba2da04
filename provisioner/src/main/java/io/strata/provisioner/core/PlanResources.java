package io.strata.provisioner.core;

import io.strata.api.Os;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The cloud resources behind each step of a plan, so that a plan shows everything apply creates or
 * deletes (security groups, load balancers, addresses, disks), not only networks and nodes. Pure:
 * the names are the ones the providers give (AzureProvider, OpenStackNetwork, LocalProvider); the
 * plan tests check them against what the fake clouds record.
 */
public final class PlanResources {
  private PlanResources() {}

  /** One line per resource, without the step's own line; empty for a step with nothing more. */
  public static List<String> of(ClusterSpec spec, Step step) {
    return switch (step) {
      case Step.CreateNetwork n -> network(spec);
      case Step.DeleteNetwork n -> deletedNetwork(spec);
      case Step.CreateNode c -> node(spec, c.machine());
      case Step.ReplaceNode r -> node(spec, r.machine());
      case Step.DeleteNode d -> node(spec, d.node().machine());
    };
  }

  /** The step's line followed by its resources, indented: what {@code plan} prints. */
  public static List<String> lines(ClusterSpec spec, Step step) {
    List<String> out = new ArrayList<>();
    out.add(step.describe());
    String sign = step.describe().substring(0, 1);
    of(spec, step).forEach(r -> out.add("    " + sign + " " + r));
    return out;
  }

  private static String admins(ClusterSpec spec) {
    return spec.network().adminCidrs().isEmpty()
        ? "no admin CIDRs"
        : String.join(", ", spec.network().adminCidrs());
  }

  private static List<String> network(ClusterSpec spec) {
    String n = spec.name();
    int port = spec.allocator().port();
    return switch (spec.cloud()) {
      case AZURE -> {
        List<String> out = new ArrayList<>();
        String group =
            spec.azure().resourceGroup() != null
                ? spec.azure().resourceGroup()
                : "strata-" + spec.name();
        out.add("resource group " + group + " (" + spec.location() + ")");
        out.add(
            "network security group "
                + n
                + "-nsg (TCP 22, 3389, "
                + port
                + " from "
                + admins(spec)
                + ")");
        out.add("virtual network " + n + "-vnet (" + spec.network().addressSpace() + ")");
        out.add("subnet nodes (" + spec.network().subnet() + ")");
        if (spec.allocator().count() >= 3) {
          out.add("load balancer " + n + "-alloc-lb (internal, allocator port " + port + ")");
        }
        yield out;
      }
      case OPENSTACK ->
          List.of(
              "network " + n + "-net",
              "subnet " + n + "-subnet (" + spec.network().subnet() + ")",
              "router " + n + "-router (uplink " + spec.openstack().externalNetwork() + ")",
              "security group "
                  + n
                  + "-sg (TCP 22, 3389, "
                  + port
                  + " from "
                  + admins(spec)
                  + "; all from "
                  + spec.network().subnet()
                  + ")",
              "keypair " + n + "-key");
      case LOCAL -> List.of("work directory of the cluster's processes");
    };
  }

  private static List<String> deletedNetwork(ClusterSpec spec) {
    return switch (spec.cloud()) {
      case AZURE ->
          List.of(
              "resource group "
                  + (spec.azure().resourceGroup() != null
                      ? spec.azure().resourceGroup()
                      : "strata-" + spec.name())
                  + " and everything left in it");
      case OPENSTACK ->
          List.of(
              "every server, floating IP, router, subnet, network and security group tagged "
                  + "strata-cluster="
                  + spec.name()
                  + ", and keypair "
                  + spec.name()
                  + "-key");
      case LOCAL -> List.of("every process and cgroup of the cluster");
    };
  }

  private static List<String> node(ClusterSpec spec, Machine m) {
    boolean allocator = m.role() == NodeRole.ALLOCATOR;
    return switch (spec.cloud()) {
      case AZURE -> {
        List<String> out = new ArrayList<>();
        if (allocator) {
          out.add("public IP " + m.name() + "-ip (static)");
        }
        out.add("network interface " + m.name() + "-nic");
        out.add(
            "virtual machine "
                + m.name()
                + " ("
                + m.size()
                + (m.spot() ? ", spot" : "")
                + ", "
                + m.image()
                + ")");
        out.add(
            "OS disk "
                + m.name()
                + "_OsDisk ("
                + m.diskGb()
                + " GiB Premium SSD, deleted with the VM)");
        if (m.os() == Os.WINDOWS) {
          out.add("VM extension strata-bootstrap (runs the PowerShell bootstrap)");
        }
        yield out;
      }
      case OPENSTACK -> {
        List<String> out = new ArrayList<>();
        out.add(
            "server "
                + m.name()
                + " (flavor "
                + m.size()
                + ", image "
                + m.image()
                + "; its disk is the flavor's root disk)");
        if (allocator) {
          out.add("floating IP on " + spec.openstack().externalNetwork());
        }
        yield out;
      }
      case LOCAL -> List.of(allocator ? "allocator process" : "agent process and its cgroup");
    };
  }
}
