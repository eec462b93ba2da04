package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Utf8OutTest {
  @Test
  void aCharacterSplitBetweenTwoChunksIsPrintedWhole() {
    StringWriter text = new StringWriter();
    LogsCommand.Utf8Out out = new LogsCommand.Utf8Out(new PrintWriter(text));
    byte[] bytes = "größe: 5 €\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      text.getBuffer().setLength(0);
      out.write(Arrays.copyOfRange(bytes, 0, cut));
      out.write(Arrays.copyOfRange(bytes, cut, bytes.length));
      assertThat(text.toString()).as("cut at %d", cut).isEqualTo("größe: 5 €\n");
    }
  }

  @Test
  void invalidBytesBecomeReplacementCharacters() {
    StringWriter text = new StringWriter();
    new LogsCommand.Utf8Out(new PrintWriter(text)).write(new byte[] {'a', (byte) 0xff, 'b'});
    assertThat(text.toString()).isEqualTo("a\uFFFDb");
  }
}
