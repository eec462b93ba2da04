package io.strata.provisioner.apply;

/** Where apply reports what it does. Called from many threads at once; must not block long. */
@FunctionalInterface
public interface EventSink {
  void emit(ApplyEvent event);

  /** Reports to several sinks. */
  static EventSink all(EventSink... sinks) {
    return e -> {
      for (EventSink s : sinks) {
        s.emit(e);
      }
    };
  }
}
