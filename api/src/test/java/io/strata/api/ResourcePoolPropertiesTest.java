package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.Codec;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ResourcePoolPropertiesTest {

  @Provide
  Arbitrary<ResourcePool> pools() {
    Arbitrary<String> role = Arbitraries.of("eng", "eng/web", "eng/batch", "ops");
    Arbitrary<Resources> scalars =
        ResourcesPropertiesTest.resources().map(r -> r.withPorts(PortRanges.EMPTY));
    return net.jqwik.api.Combinators.combine(
            ResourcesPropertiesTest.resources(), Arbitraries.maps(role, scalars).ofMaxSize(3))
        .as(ResourcePool::new);
  }

  @Property
  void totalIsTheSumOfItsParts(@ForAll("pools") ResourcePool a, @ForAll("pools") ResourcePool b) {
    Resources parts = a.unreserved();
    for (Resources r : a.reserved().values()) {
      parts = parts.plus(r);
    }
    assertThat(a.total()).isEqualTo(parts);
    assertThat(a.plus(b).total().contains(a.total())).isTrue();
    assertThat(a.plus(b)).isEqualTo(b.plus(a));
  }

  @Property
  void minusUndoesPlus(@ForAll("pools") ResourcePool a, @ForAll("pools") ResourcePool b) {
    ResourcePool disjoint =
        new ResourcePool(
            b.unreserved().withPorts(b.unreserved().ports().minus(a.unreserved().ports())),
            b.reserved());
    assertThat(a.plus(disjoint).contains(disjoint)).isTrue();
    assertThat(a.plus(disjoint).minus(disjoint)).isEqualTo(a);
  }

  @Property
  void usableByKeepsOnlyOwnAndAncestorReservations(@ForAll("pools") ResourcePool a) {
    ResourcePool web = a.usableBy("eng/web");
    assertThat(web.reserved().keySet()).allMatch(r -> r.equals("eng") || r.equals("eng/web"));
    assertThat(web.unreserved()).isEqualTo(a.unreserved());
    assertThat(a.contains(web)).isTrue();
  }

  @Property
  void jsonRoundTrips(@ForAll("pools") ResourcePool a) {
    assertThat(Codec.JSON.decode(Codec.JSON.encode(a), ResourcePool.class)).isEqualTo(a);
  }

  @Test
  void emptyReservationsAreDroppedSoEqualPoolsAreEqual() {
    assertThat(new ResourcePool(Resources.EMPTY, Map.of("eng", Resources.EMPTY)))
        .isEqualTo(ResourcePool.EMPTY);
  }

  @Test
  void badRoleNamesAreRefused() {
    assertThatThrownBy(() -> ResourcePool.reserved("Eng/", Resources.of(1, 1)))
        .hasMessageContaining("reserved.Eng/");
  }
}
