package io.strata.api;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Whitespace;

/** The hand-written id check (ids are checked on every decode) agrees with the documented regex. */
class IdsPropertiesTest {
  static boolean byPattern(String s) {
    return !s.isBlank() && s.length() <= Ids.MAX_LENGTH && Ids.PATTERN.matcher(s).matches();
  }

  @Property(tries = 2000)
  void theFastCheckIsThePattern(
      @ForAll
          @StringLength(max = 210)
          @Chars({'a', 'Z', '0', '9', '.', '_', ':', '@', '+', '-'})
          @Chars({'/', ' ', 'é', '!', '\u0661'})
          @Whitespace
          String s) {
    assertThat(Ids.valid(s)).as("'%s'", s).isEqualTo(byPattern(s));
  }

  @Property(tries = 2000)
  void anyStringAtAll(@ForAll @StringLength(max = 205) String s) {
    assertThat(Ids.valid(s)).isEqualTo(byPattern(s));
  }
}
