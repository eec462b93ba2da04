package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RolesTest {
  @Test
  void hierarchicalNames() {
    assertThat(Roles.isValid("eng")).isTrue();
    assertThat(Roles.isValid("eng/web")).isTrue();
    assertThat(Roles.isValid("eng//web")).isFalse();
    assertThat(Roles.isValid("/eng")).isFalse();
    assertThat(Roles.isValid("eng/")).isFalse();
    assertThat(Roles.isValid("*")).isFalse();
    assertThat(Roles.isValid("Eng")).isFalse();
    assertThat(Roles.isValid("..")).isFalse();
    assertThat(Roles.parent("eng/web/a")).isEqualTo("eng/web");
    assertThat(Roles.parent("eng")).isNull();
    assertThat(Roles.isSelfOrDescendant("eng/web", "eng")).isTrue();
    assertThat(Roles.isSelfOrDescendant("engine", "eng")).isFalse();
    assertThat(Roles.isSelfOrDescendant("eng", "eng/web")).isFalse();
  }
}
