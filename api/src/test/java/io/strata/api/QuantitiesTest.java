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
    assertThat(Quantities.humanBytes(32 * Quantities.MIB)).isEqualTo("32 MiB");
    assertThat(Quantities.humanBytes(3 * Quantities.GIB / 2)).isEqualTo("1.5 GiB");
    assertThat(Quantities.humanBytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Quantities.humanBytes(7)).isEqualTo("7 B");
    assertThat(Quantities.formatCpus(1500)).isEqualTo("1.5");
    assertThat(Quantities.formatCpus(2000)).isEqualTo("2");
  }

  @Property
  void cpuTextRoundTrips(@ForAll @LongRange(min = 0, max = 1_000_000) long milli) {
    assertThat(Quantities.parseMillicpus(Quantities.formatCpus(milli))).isEqualTo(milli);
  }

  @Test
  void kubernetesQuantitiesAndNothingAmbiguous() {
    assertThat(Quantities.parseBytes("16Mi", 1)).isEqualTo(16 * Quantities.MIB);
    assertThat(Quantities.parseBytes("16M", 1)).isEqualTo(16_000_000L);
    assertThat(Quantities.parseBytes("2k", 1)).isEqualTo(2_000L);
    assertThat(Quantities.parseBytes("1Pi", 1)).isEqualTo(Quantities.TIB * 1024);
    for (String bad : new String[] {"16MB", "16mb", "16MiB", "1KB", "100m", "1K", "2 GB"}) {
      assertThatThrownBy(() -> Quantities.parseBytes(bad, 1))
          .as(bad)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("512Mi");
    }
    assertThatThrownBy(() -> Quantities.parseBytes("16MB", 1))
        .hasMessageContaining("write 16Mi (powers of 1024) or 16M (powers of 1000)");
    for (String bad : new String[] {"100M", "0.5m", "1 cpu", "1e3"}) {
      assertThatThrownBy(() -> Quantities.parseMillicpus(bad)).as(bad).hasMessageContaining("500m");
    }
  }

  @Test
  void durations() {
    assertThat(Quantities.parseMillis("3s")).isEqualTo(3_000);
    assertThat(Quantities.parseMillis("500ms")).isEqualTo(500);
    assertThat(Quantities.parseMillis("2m")).isEqualTo(120_000);
    assertThat(Quantities.parseMillis("1h30m")).isEqualTo(5_400_000);
    assertThat(Quantities.parseMillis("1d")).isEqualTo(86_400_000);
    assertThat(Quantities.parseMillis("250")).isEqualTo(250);
    for (String bad : new String[] {"3", "3 s", "3sec", "s", "1.5s", "-1s", "3S", "1m 30s"}) {
      if (bad.equals("3")) {
        continue; // a bare number is milliseconds
      }
      assertThatThrownBy(() -> Quantities.parseMillis(bad))
          .as(bad)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("500ms");
    }
  }

  @Property
  void durationUnitsMultiply(
      @ForAll @LongRange(min = 0, max = 1_000_000) long n,
      @ForAll @LongRange(min = 0, max = 59) long s) {
    assertThat(Quantities.parseMillis(n + "ms")).isEqualTo(n);
    assertThat(Quantities.parseMillis(n + "s")).isEqualTo(n * 1_000);
    assertThat(Quantities.parseMillis(n + "m" + s + "s")).isEqualTo(n * 60_000 + s * 1_000);
  }

  @Property
  void sizeTextRoundTrips(@ForAll @LongRange(min = 0, max = 1L << 50) long bytes) {
    assertThat(Quantities.parseBytes(Quantities.formatBytes(bytes), 1))
        .isBetween(bytes - bytes / 100 - 1, bytes + bytes / 100 + 1); // 2 decimals kept
  }

  @Property
  void binaryAndDecimalSuffixesAreWhatTheySay(@ForAll @LongRange(min = 0, max = 1_000_000) long n) {
    assertThat(Quantities.parseBytes(n + "Mi", 1)).isEqualTo(n * Quantities.MIB);
    assertThat(Quantities.parseBytes(n + "M", 1)).isEqualTo(n * 1_000_000);
    assertThat(Quantities.parseBytes(n + "Gi", 1)).isEqualTo(n * Quantities.GIB);
    assertThat(Quantities.parseBytes(Long.toString(n), Quantities.MIB))
        .isEqualTo(n * Quantities.MIB);
  }
}
