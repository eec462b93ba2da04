package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.ValidationException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronTest {
  static final ZoneId UTC = ZoneId.of("UTC");

  static Instant next(String cron, String after) {
    return Cron.parse(cron).next(Instant.parse(after), UTC).orElseThrow();
  }

  @Test
  void everyFiveMinutes() {
    assertThat(next("*/5 * * * *", "2026-01-31T12:03:10Z")).isEqualTo("2026-01-31T12:05:00Z");
    assertThat(next("*/5 * * * *", "2026-01-31T12:05:00Z")).isEqualTo("2026-01-31T12:10:00Z");
  }

  @Test
  void sixFieldsHaveSeconds() {
    assertThat(next("*/10 * * * * *", "2026-01-31T12:00:01Z")).isEqualTo("2026-01-31T12:00:10Z");
  }

  @Test
  void namesRangesListsAndMacros() {
    // Mondays to Fridays at 09:30 in March.
    assertThat(next("30 9 * MAR MON-FRI", "2026-02-27T10:00:00Z"))
        .isEqualTo("2026-03-02T09:30:00Z"); // 2026-03-01 is a Sunday
    assertThat(next("@daily", "2026-12-31T23:59:59Z")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("0 0 1,15 * *", "2026-01-02T00:00:00Z")).isEqualTo("2026-01-15T00:00:00Z");
    assertThat(next("0 12 * * 7", "2026-01-31T12:00:00Z")).isEqualTo("2026-02-01T12:00:00Z");
  }

  @Test
  void restrictedDayFieldsMatchEither() {
    // The 13th or any Friday: crontab's OR rule. 2026-02-06 is a Friday.
    assertThat(next("0 0 13 * FRI", "2026-02-01T00:00:00Z")).isEqualTo("2026-02-06T00:00:00Z");
  }

  @Test
  void leapDayIsFoundYearsAhead() {
    assertThat(next("0 0 29 2 *", "2026-03-01T00:00:00Z")).isEqualTo("2028-02-29T00:00:00Z");
  }

  @Test
  void timeZonesAreHonoured() {
    Instant t =
        Cron.parse("0 9 * * *")
            .next(Instant.parse("2026-07-01T00:00:00Z"), ZoneId.of("Europe/Paris"))
            .orElseThrow();
    assertThat(t).isEqualTo("2026-07-01T07:00:00Z");
  }

  @Test
  void badExpressionsSayWhy() {
    assertThatThrownBy(() -> Cron.parse("* * *"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("expected 5");
    assertThatThrownBy(() -> Cron.parse("0 25 * * *")).hasMessageContaining("hours: 25");
    assertThatThrownBy(() -> Cron.parse("0 0 30 2 *")).hasMessageContaining("never fires");
    assertThatThrownBy(() -> Cron.parse("0 0 * FOO *")).hasMessageContaining("month");
    assertThatThrownBy(() -> Cron.parse("@often")).hasMessageContaining("unknown macro");
    assertThatThrownBy(() -> Cron.parse("5-1 * * * *")).hasMessageContaining("backwards");
  }
}
