package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The arithmetic and containment laws of Resources. */
class ResourcesPropertiesTest {

  static Arbitrary<Resources> resources() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 64_000),
            Arbitraries.longs().between(0, 1L << 40),
            Arbitraries.longs().between(0, 1L << 42),
            Arbitraries.longs().between(0, 8),
            PortRangesPropertiesTest.portRanges())
        .as(Resources::new);
  }

  @Provide
  Arbitrary<Resources> any() {
    return resources();
  }

  @Property
  void plusIsCommutativeAndAssociativeWithEmptyAsIdentity(
      @ForAll("any") Resources a, @ForAll("any") Resources b, @ForAll("any") Resources c) {
    assertThat(a.plus(b)).isEqualTo(b.plus(a));
    assertThat(a.plus(b).plus(c)).isEqualTo(a.plus(b.plus(c)));
    assertThat(a.plus(Resources.EMPTY)).isEqualTo(a);
    assertThat(Resources.EMPTY.plus(a)).isEqualTo(a);
  }

  @Property
  void containsIsAPartialOrder(
      @ForAll("any") Resources a, @ForAll("any") Resources b, @ForAll("any") Resources c) {
    assertThat(a.contains(a)).isTrue();
    assertThat(a.contains(Resources.EMPTY)).isTrue();
    if (a.contains(b) && b.contains(a)) {
      assertThat(a).isEqualTo(b);
    }
    if (a.contains(b) && b.contains(c)) {
      assertThat(a.contains(c)).isTrue();
    }
    assertThat(a.plus(b).contains(a)).isTrue();
  }

  @Property
  void minusUndoesPlusForDisjointPorts(@ForAll("any") Resources a, @ForAll("any") Resources b) {
    Resources disjoint = b.withPorts(b.ports().minus(a.ports()));
    assertThat(a.plus(disjoint).minus(disjoint)).isEqualTo(a);
  }

  @Property
  void minusIsDefinedExactlyWhenContained(@ForAll("any") Resources a, @ForAll("any") Resources b) {
    if (a.contains(b)) {
      Resources rest = a.minus(b);
      assertThat(rest.plus(b).contains(a)).isTrue();
      assertThat(a.contains(rest)).isTrue();
    } else {
      assertThatThrownBy(() -> a.minus(b)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Property
  void minIsContainedInBothAndClampedMinusNeverNegative(
      @ForAll("any") Resources a, @ForAll("any") Resources b) {
    Resources m = a.min(b);
    assertThat(a.contains(m)).isTrue();
    assertThat(b.contains(m)).isTrue();
    assertThat(m).isEqualTo(b.min(a));
    Resources clamped = a.minusClamped(b);
    assertThat(a.contains(clamped)).isTrue();
    if (a.contains(b)) {
      assertThat(clamped).isEqualTo(a.minus(b));
    }
  }

  @Property
  void exceedingNamesExactlyWhatDoesNotFit(@ForAll("any") Resources a, @ForAll("any") Resources b) {
    assertThat(a.exceeding(b).isEmpty()).isEqualTo(b.contains(a));
  }

  @Property
  void textAndJsonFormsRoundTrip(@ForAll("any") Resources a) {
    assertThat(Resources.parse(a.toString())).isEqualTo(a);
    assertThat(Codec.JSON.decode(Codec.JSON.encode(a), Resources.class)).isEqualTo(a);
  }

  @Test
  void parsesMesosTextForm() {
    Resources r = Resources.parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
    assertThat(r.millicpus()).isEqualTo(24_000);
    assertThat(r.memoryBytes()).isEqualTo(4096L * Quantities.MIB);
    assertThat(r.ports().count()).isEqualTo(1001);
    assertThat(Resources.parse("cpus:0.07;mem:400").millicpus()).isEqualTo(70);
    assertThat(Resources.parse("cpus:1;mem:2Gi").memoryBytes()).isEqualTo(2 * Quantities.GIB);
  }

  @Test
  void badTextNamesTheResource() {
    assertThatThrownBy(() -> Resources.parse("cpus:0.0001;mem:x;bananas:3"))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).violations())
                    .extracting(v -> v.field())
                    .containsExactly("cpus", "mem", "bananas"));
  }

  @Test
  void negativeQuantitiesAreRefused() {
    assertThatThrownBy(() -> new Resources(-1, -2, 0, 0, null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("millicpus")
        .hasMessageContaining("memoryBytes");
  }

  @Test
  void overflowIsAnErrorNotAWrapAround() {
    Resources big = new Resources(Long.MAX_VALUE, 0, 0, 0, null);
    assertThatThrownBy(() -> big.plus(Resources.of(1, 0))).isInstanceOf(ArithmeticException.class);
  }
}
