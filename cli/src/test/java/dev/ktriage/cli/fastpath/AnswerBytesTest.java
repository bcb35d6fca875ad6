package dev.ktriage.cli.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code addr2line}'s byte output spells numbers and text as {@code String.format} and UTF-8 do. */
class AnswerBytesTest {

  @Test
  void addressesAndLineNumbers() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    AnswerBytes a = new AnswerBytes(sink);
    StringBuilder want = new StringBuilder();
    long[] addrs = {0, 1, 0x401093, 0xffffffff81234567L, Long.MIN_VALUE, -1L, 0x0123456789abcdefL};
    for (long v : addrs) {
      a.address(v).newline();
      want.append(String.format(Locale.ROOT, "0x%016x%n", v));
    }
    int[] lines = {0, 7, 10, 99, 100, 4096, 65535, 1234567, Integer.MAX_VALUE, -3};
    for (int v : lines) {
      a.decimal(v).ascii(';');
      want.append(v).append(';');
    }
    a.flush();
    assertEquals(want.toString(), sink.toString(StandardCharsets.UTF_8));
  }

  @Test
  void textIsUtf8AndLargeOutputsArriveWhole() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    AnswerBytes a = new AnswerBytes(sink);
    StringBuilder want = new StringBuilder();
    String big = "x".repeat(200_000);
    for (int i = 0; i < 5_000; i++) {
      String s = i % 2 == 0 ? "fs/ext4/super.c" : "naïve_fn_" + i;
      a.text(s).ascii(':').decimal(i).newline();
      want.append(s).append(':').append(i).append(System.lineSeparator());
    }
    a.text(big);
    want.append(big);
    a.flush();
    assertEquals(want.toString(), sink.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFailedWriteIsRememberedNotThrown() {
    AnswerBytes a = new AnswerBytes(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("Broken pipe");
      }
    });
    a.text("helper").newline();
    a.flush();
    assertTrue(a.failed());
    a.text("more").flush(); // dropped, no exception
    assertTrue(a.failed());
  }
}
