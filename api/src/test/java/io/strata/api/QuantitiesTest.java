package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.ValidationException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
  @Test
  void cpus() {
    assertThat(Quantities.parseMillicpus("2")).isEqualTo(2000);
    assertThat(Quantities.parseMillicpus("0.5")).isEqualTo(500);
    assertThat(Quantities.parseMillicpus("250m")).isEqualTo(250);
    assertThat(Quantities.parseMillicpus("0.010")).isEqualTo(10);
    assertThatThrownBy(() -> Quantities.parseMillicpus("0.0005"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("precision");
    assertThatThrownBy(() -> Quantities.parseMillicpus("-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Quantities.parseMillicpus("two")).hasMessageContaining("'two'");
  }

  @Test
  void sizes() {
    assertThat(Quantities.parseBytes("512Mi", 1)).isEqualTo(512 * Quantities.MIB);
    assertThat(Quantities.parseBytes("1.5Gi", 1)).isEqualTo(3 * Quantities.GIB / 2);
    assertThat(Quantities.parseBytes("1G", 1)).isEqualTo(1_000_000_000L);
    assertThat(Quantities.parseBytes("1024", Quantities.MIB)).isEqualTo(Quantities.GIB);
    assertThat(Quantities.parseBytes("7B", Quantities.MIB)).isEqualTo(7);
    assertThatThrownBy(() -> Quantities.parseBytes("lots", 1)).hasMessageContaining("'lots'");
    assertThat(Quantities.formatBytes(512 * Quantities.MIB)).isEqualTo("512Mi");
    assertThat(Quantities.formatBytes(3 * Quantities.GIB / 2)).isEqualTo("1.5Gi");
    assertThat(Quantities.formatCpus(1500)).isEqualTo("1.5");
    assertThat(Quantities.formatCpus(2000)).isEqualTo("2");
  }

  @Property
  void cpuTextRoundTrips(@ForAll @LongRange(min = 0, max = 1_000_000) long milli) {
    assertThat(Quantities.parseMillicpus(Quantities.formatCpus(milli))).isEqualTo(milli);
  }
}
