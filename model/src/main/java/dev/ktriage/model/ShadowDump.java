package dev.ktriage.model;

import java.util.List;

/**
 * The {@code Memory state around the buggy address:} dump: rows of shadow (or tag) bytes with the
 * buggy row marked by {@code >} and a {@code ^} caret line under the bad byte.
 *
 * @param rows the rows as printed, prefix stripped, marker and caret lines excluded
 * @param buggyRow index into {@code rows} of the row marked with {@code >}, or -1 if none was marked
 * @param caretColumn column of the {@code ^} under the buggy row, or -1
 */
public record ShadowDump(List<String> rows, int buggyRow, int caretColumn) {
  public ShadowDump {
    rows = List.copyOf(rows);
  }
}
