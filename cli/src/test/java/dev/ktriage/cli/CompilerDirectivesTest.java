package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HotSpot compiler directives the launcher passes to {@code ingest} ({@code cli/jvm/ingest-directives.json})
 * name methods that exist: HotSpot ignores a pattern that matches nothing, so a renamed class or method
 * would silently go back to C2 and the ingest would pay its compile time again.
 */
class CompilerDirectivesTest {

  /** The {@code match} patterns of the file: {@code package/Class.method}, {@code *} a wildcard. */
  private static List<String> patterns() throws Exception {
    String text = Files.readString(KfixTruth.root().resolve("cli/jvm/ingest-directives.json"));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(text.replaceAll("(?m)^\\s*//.*$", ""));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyPatternOfOurOwnCodeNamesAMethod() throws Exception {
    List<String> patterns = patterns();
    assertFalse(patterns.isEmpty());
    int ours = 0;
    for (String p : patterns) {
      int dot = p.lastIndexOf('.');
      String cls = p.substring(0, dot);
      String method = p.substring(dot + 1);
      if (cls.contains("*")) {
        continue; // a class prefix (Lucene's writers): its classes differ between Lucene versions
      }
      Class<?> c;
      try {
        c = Class.forName(cls.replace('/', '.'), false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(p + ": no class " + cls, e);
      }
      Pattern name = Pattern.compile(method.replace("*", ".*"));
      assertTrue(Arrays.stream(c.getDeclaredMethods()).map(Method::getName).anyMatch(n -> name.matcher(n).matches()),
          p + ": " + cls + " declares no method " + method);
      ours += cls.startsWith("dev/ktriage/") ? 1 : 0;
    }
    assertTrue(ours > 0, "the store's per-report methods are listed: " + patterns);
  }
}
