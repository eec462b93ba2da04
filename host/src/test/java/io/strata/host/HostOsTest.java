package io.strata.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostOsTest {
  @Test
  void namesTheOsOfEachJvmSpelling() {
    assertThat(HostOs.of("Linux")).isEqualTo(HostOs.LINUX);
    assertThat(HostOs.of("Windows Server 2022")).isEqualTo(HostOs.WINDOWS);
    assertThat(HostOs.of("Windows 11")).isEqualTo(HostOs.WINDOWS);
    assertThat(HostOs.of("Mac OS X")).isEqualTo(HostOs.OTHER);
    assertThat(HostOs.of("")).isEqualTo(HostOs.OTHER);
  }

  @Test
  void thisMachineIsWhatTheJvmSays() {
    assertThat(HostOs.current()).isEqualTo(HostOs.of(System.getProperty("os.name")));
    assertThat(HostOs.linux()).isEqualTo(HostOs.current() == HostOs.LINUX);
    assertThat(HostOs.windows()).isEqualTo(HostOs.current() == HostOs.WINDOWS);
  }
}
