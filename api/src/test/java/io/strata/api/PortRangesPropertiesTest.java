package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.ValidationException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** PortRanges is a set of ports: checked against a BitSet model. */
class PortRangesPropertiesTest {

  @Provide
  Arbitrary<PortRanges> ports() {
    return portRanges();
  }

  static Arbitrary<PortRanges> portRanges() {
    // A small window so that ranges overlap and touch often.
    Arbitrary<PortRange> range =
        Combinators.combine(
                Arbitraries.integers().between(1, 200), Arbitraries.integers().between(0, 30))
            .as(
                (begin, length) ->
                    new PortRange(begin, Math.min(PortRange.MAX_PORT, begin + length)));
    return range.list().ofMaxSize(6).map(PortRanges::of);
  }

  private static BitSet model(PortRanges p) {
    BitSet bits = new BitSet();
    for (PortRange r : p.ranges()) {
      bits.set(r.begin(), r.end() + 1);
    }
    return bits;
  }

  private static PortRanges fromModel(BitSet bits) {
    List<PortRange> out = new ArrayList<>();
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      out.add(PortRange.of(i));
    }
    return PortRanges.of(out);
  }

  @Property
  void normalizedFormIsUnique(@ForAll("ports") PortRanges p) {
    assertThat(fromModel(model(p))).isEqualTo(p);
    for (int i = 1; i < p.ranges().size(); i++) {
      assertThat(p.ranges().get(i).begin()).isGreaterThan(p.ranges().get(i - 1).end() + 1);
    }
  }

  @Property
  void plusIsUnion(@ForAll("ports") PortRanges a, @ForAll("ports") PortRanges b) {
    BitSet expected = model(a);
    expected.or(model(b));
    assertThat(model(a.plus(b))).isEqualTo(expected);
    assertThat(a.plus(b)).isEqualTo(b.plus(a));
  }

  @Property
  void minusIsDifference(@ForAll("ports") PortRanges a, @ForAll("ports") PortRanges b) {
    BitSet expected = model(a);
    expected.andNot(model(b));
    assertThat(model(a.minus(b))).isEqualTo(expected);
  }

  @Property
  void intersectIsIntersection(@ForAll("ports") PortRanges a, @ForAll("ports") PortRanges b) {
    BitSet expected = model(a);
    expected.and(model(b));
    assertThat(model(a.intersect(b))).isEqualTo(expected);
  }

  @Property
  void containsIsSubset(@ForAll("ports") PortRanges a, @ForAll("ports") PortRanges b) {
    BitSet rest = model(b);
    rest.andNot(model(a));
    assertThat(a.contains(b)).isEqualTo(rest.isEmpty());
    assertThat(a.plus(b).contains(a)).isTrue();
    assertThat(a.contains(a.minus(b))).isTrue();
  }

  @Property
  void countAndFirst(@ForAll("ports") PortRanges a, @ForAll int n) {
    assertThat(a.count()).isEqualTo(model(a).cardinality());
    long k = Math.floorMod(n, 50);
    PortRanges first = a.first(k);
    assertThat(first.count()).isEqualTo(Math.min(k, a.count()));
    assertThat(a.contains(first)).isTrue();
  }

  @Property
  void textFormRoundTrips(@ForAll("ports") PortRanges a) {
    assertThat(PortRanges.parse(a.toString())).isEqualTo(a);
  }

  @Test
  void badRangesAreRefusedWithTheirField() {
    assertThatThrownBy(() -> new PortRange(10, 5))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("end");
    assertThatThrownBy(() -> new PortRange(0, 5)).hasMessageContaining("begin");
    assertThatThrownBy(() -> PortRanges.parse("[31000-x]")).hasMessageContaining("31000-x");
  }
}
