package dev.ktriage.grammar.log;

/**
 * Removes the {@code > } markers that mail clients put before quoted lines, so that a report
 * pasted from a reply ({@code > > BUG: KASAN: ...}) parses like the original. A {@code >} counts as a
 * marker only when a space, another {@code >} or the end of the line follows it: KASAN's shadow dump
 * marks its buggy row as {@code >ffff888012a4a000: ...}, which must stay.
 *
 * <p>Stateless and thread-safe.
 */
public final class MailQuotes {

  /** {@code line} without its leading quote markers. */
  public String strip(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && line.charAt(i) == '>') {
      if (i + 1 < n && line.charAt(i + 1) != ' ' && line.charAt(i + 1) != '>') {
        break;
      }
      i++;
      if (i < n && line.charAt(i) == ' ') {
        i++;
      }
    }
    return i == 0 ? line : line.substring(i);
  }
}
