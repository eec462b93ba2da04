package io.strata.provisioner.core;

/** One thing a plan does. */
public sealed interface Step {
  /** A short line for people: {@code + node demo-linux-2 (Standard_D4s_v5)}. */
  String describe();

  record CreateNetwork(String cluster) implements Step {
    @Override
    public String describe() {
      return "+ network " + cluster;
    }
  }

  record CreateNode(Machine machine, boolean retry) implements Step {
    @Override
    public String describe() {
      // The local cloud has no sizes: its machines are processes.
      return (retry ? "+ node (retry) " : "+ node ")
          + machine.name()
          + " ("
          + machine.os().wire()
          + (machine.size() == null ? "" : ", " + machine.size())
          + ")";
    }
  }

  /** The machine's shape changed: it is deleted and created again. */
  record ReplaceNode(NodeRecord old, Machine machine) implements Step {
    @Override
    public String describe() {
      return "~ node "
          + machine.name()
          + " ("
          + old.machine().size()
          + " -> "
          + machine.size()
          + ", "
          + old.machine().image()
          + " -> "
          + machine.image()
          + ")";
    }
  }

  record DeleteNode(NodeRecord node) implements Step {
    @Override
    public String describe() {
      return "- node " + node.name();
    }
  }

  record DeleteNetwork(String cluster) implements Step {
    @Override
    public String describe() {
      return "- network " + cluster;
    }
  }
}
