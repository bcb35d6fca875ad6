package dev.ktriage.grammar.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a log as bytes in bounded memory and decodes only the lines that matter.
 *
 * <p>Most of a console log is not a report. A {@link BlockPipeline} reads the log in blocks and
 * summarizes each on worker threads ({@link BlockSummary}: newline count and first banner, eight
 * bytes at a time). While no report is open, a block without a banner is skipped whole: its lines
 * are counted, nothing is decoded; that is what keeps a 1 GB log close to {@code wc -l}. A block
 * with a banner is scanned here: the banner line and the few lines before it (the {@code ====} rule
 * and the report's context) are decoded, and from then on every line goes to the listener until it
 * says the report is over.
 *
 * <p>Memory is the pipeline's blocks plus at most {@link #MAX_LINE} bytes of one line: longer lines
 * (a 50 MB line of binary noise) are cut, and the rest of them is skipped.
 *
 * <p>Not thread-safe; one instance per input.
 */
public final class LogScanner {

  /** Lines are cut to this many bytes; printk lines are at most about 1 KB. */
  public static final int MAX_LINE = 16 * 1024;
  /** Lines decoded before a banner, so that the separator rule and context before it are seen. */
  static final int LOOKBEHIND_LINES = 3;
  private static final int LOOKBEHIND_BYTES = 4096;

  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

  private final LineListener listener;
  private final int blockSize;
  // A block plus the unfinished line carried over from the one before; grown to the blocks seen, so
  // that a small log (most of a syzkaller crash directory) does not pay for a 1 MiB buffer.
  private byte[] buf;
  private long lineNumber = 1; // number of the line that starts at the current position
  // A line that did not fit MAX_LINE: we are skipping the rest of it.
  private boolean skippingLongLine;
  // Where scanForBanner found its banner.
  private int foundBanner;
  // The summary of the block in buf while process() reads it, or null: its marks start at
  // buf[marksBase + m], and every mark of buf that starts at or after marksFrom is among them.
  private BlockSummary marksAhead;
  private int marksBase;
  private int marksFrom;

  public LogScanner(LineListener listener) {
    this(listener, BlockPipeline.BLOCK);
  }

  /** With another block size; tests use tiny blocks to put block boundaries everywhere. */
  public LogScanner(LineListener listener, int blockSize) {
    this.listener = listener;
    this.blockSize = blockSize;
    this.buf = new byte[Math.min(blockSize, BlockPipeline.SMALL_BLOCK) + MAX_LINE + 64];
  }

  // The fast paths skip a long line undecoded; the listener still hears of it once, so that the
  // user is told a line was cut (ParseCommandTest's 50 MB line).
  private void startSkipping() {
    if (!skippingLongLine) {
      listener.skippedLongLine();
    }
    skippingLongLine = true;
  }

  /** Scans {@code in} to its end. */
  public void scan(InputStream in) throws IOException {
    int carry = 0; // bytes at buf[0, carry) that continue into the next block
    try (BlockPipeline blocks = new BlockPipeline(in, blockSize)) {
      BlockPipeline.Block b;
      while ((b = blocks.next()) != null) {
        ensureRoom(carry + b.length());
        BlockSummary s = BlockPipeline.summary(b);
        if (!listener.wantsEveryLine() && s.banner() < 0 && !carryMayHoldBanner(carry, b)) {
          carry = skip(b, s, carry);
        } else if (!listener.wantsEveryLine() && !carryMayHoldBanner(carry, b)
            && jumpStart(b, s, carry == 0 && !skippingLongLine) > 0) {
          // Skip the part of the block before the banner's lines: the summary counted its lines.
          int start = jumpStart(b, s, carry == 0 && !skippingLongLine);
          dropCarry(carry);
          lineNumber += s.newlinesBeforeBanner() - count(b.data(), start, s.banner());
          skippingLongLine = false;
          int len = b.length() - start;
          System.arraycopy(b.data(), start, buf, 0, len);
          int consumed = processWithMarks(len, s, -start, 0);
          carry = len - consumed;
          System.arraycopy(buf, consumed, buf, 0, carry);
        } else {
          System.arraycopy(b.data(), 0, buf, carry, b.length());
          int len = carry + b.length();
          int consumed = processWithMarks(len, s, carry, carry);
          carry = len - consumed;
          System.arraycopy(buf, consumed, buf, 0, carry);
        }
        blocks.recycle(b);
      }
    }
    process(carry, true);
    listener.end(lineNumber - 1);
  }

  // Room for a block after the carry, and for a line cut at MAX_LINE after it.
  private void ensureRoom(int n) {
    if (buf.length < n + MAX_LINE + 64) {
      buf = java.util.Arrays.copyOf(buf, Math.max(n + MAX_LINE + 64, Math.min(2 * buf.length, blockSize + 2 * MAX_LINE + 64)));
    }
  }

  /**
   * Skips a block that holds no banner while no report is open: counts its lines and keeps the
   * start of its last, unfinished line, plus the few complete lines before it (they are counted
   * again when rescanned) so that the lines just before a banner in the next block can still be
   * delivered. Returns the new carry length.
   */
  private int skip(BlockPipeline.Block b, BlockSummary s, int carry) {
    byte[] a = b.data();
    int len = b.length();
    int lastNewline = Math.max(s.lastNewline(), lastLoneCr(a, s.lastNewline() + 1, len));
    if (lastNewline < 0) {
      // The whole block continues the carried line.
      if (skippingLongLine || carry + len >= MAX_LINE) {
        dropCarry(carry);
        startSkipping();
        return 0;
      }
      System.arraycopy(a, 0, buf, carry, len);
      return carry + len;
    }
    int lastStart = lastNewline + 1;
    if (len - lastStart >= MAX_LINE) {
      dropCarry(carry);
      lineNumber += s.newlines();
      skippingLongLine = false; // the block's newlines ended any line skipped before
      startSkipping();
      return 0;
    }
    skippingLongLine = false;
    if (lastStart > LOOKBEHIND_BYTES) {
      // Enough of the block before its last line: look behind within the block only.
      dropCarry(carry);
      lineNumber += s.newlines();
      // (A block whose only line ends are bare '\r's keeps no lines behind: it has no known line start.)
      int floor = s.firstNewline() < 0 ? lastStart : Math.max(s.firstNewline() + 1, lastStart - LOOKBEHIND_BYTES);
      int from = keepBehind(a, lastStart, floor);
      System.arraycopy(a, from, buf, 0, len - from);
      return len - from;
    }
    // A short block: join it to the carry and look behind across both.
    System.arraycopy(a, 0, buf, carry, len);
    dropCarry(carry);
    lineNumber += s.newlines();
    int from = keepBehind(buf, carry + lastStart, 0);
    System.arraycopy(buf, from, buf, 0, carry + len - from);
    return carry + len - from;
  }

  /**
   * Where to start decoding a block whose summary found a banner: a few lines before the banner's
   * line, all within the block, and after its first newline unless the block starts a line (so the
   * carried line is complete and the lines before are counted by the summary). 0 when there is
   * nothing to skip.
   */
  private static int jumpStart(BlockPipeline.Block b, BlockSummary s, boolean startsLine) {
    byte[] a = b.data();
    int floor = startsLine ? 0 : s.firstNewline() + 1;
    int lineStart = s.banner();
    while (lineStart > 0 && a[lineStart - 1] != '\n') {
      lineStart--;
    }
    if (s.firstNewline() < 0 || lineStart <= floor) {
      return 0;
    }
    int pos = lineStart;
    for (int k = 0; k < LOOKBEHIND_LINES && pos > floor; k++) {
      int j = pos - 1;
      while (j > floor && a[j - 1] != '\n') {
        j--;
      }
      if (lineStart - j > LOOKBEHIND_BYTES) {
        break;
      }
      pos = j;
    }
    return pos;
  }

  private static long count(byte[] a, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      if (a[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  // The carry's complete lines are being dropped: they count now.
  private void dropCarry(int carry) {
    for (int i = 0; i < carry; i++) {
      if (buf[i] == '\n') {
        lineNumber++;
      }
    }
  }

  /**
   * From {@code start} (the start of an unfinished last line), moves back over up to
   * {@link #LOOKBEHIND_LINES} complete lines, within {@link #LOOKBEHIND_BYTES} and not before
   * {@code floor}; lowers {@link #lineNumber} by the lines it moved over. Returns the new start.
   */
  private int keepBehind(byte[] a, int start, int floor) {
    int pos = start;
    for (int k = 0; k < LOOKBEHIND_LINES && pos > floor; k++) {
      int prev = pos - 1; // the newline (or bare '\r') that ends the previous line
      int j = prev;
      while (j > floor && a[j - 1] != '\n') {
        j--;
      }
      if (start - j > LOOKBEHIND_BYTES) {
        break;
      }
      pos = j;
      if (a[prev] == '\n') {
        lineNumber--;
      }
    }
    return pos;
  }

  // A banner the block summary cannot see: inside the carried start of a line, or starting in the
  // carry and ending in the block.
  private boolean carryMayHoldBanner(int carry, BlockPipeline.Block b) {
    if (carry == 0) {
      return false;
    }
    int n = Math.min(b.length(), Marks.LONGEST);
    byte[] joined = new byte[carry + n];
    System.arraycopy(buf, 0, joined, 0, carry);
    System.arraycopy(b.data(), 0, joined, carry, n);
    for (int i = 0; i < carry; i++) {
      if (Marks.mayStart(joined[i]) && Marks.startsAt(joined, i, joined.length)) {
        return true;
      }
    }
    return false;
  }

  // process() of a block's bytes, whose summary's marks are known from buf[from] on (see marksAhead).
  private int processWithMarks(int len, BlockSummary s, int base, int from) {
    marksAhead = s;
    marksBase = base;
    marksFrom = from;
    try {
      return process(len, false);
    } finally {
      marksAhead = null;
    }
  }

  /** Processes complete lines of {@code buf[0, len)}; returns how many bytes were consumed. */
  private int process(int len, boolean eof) {
    int pos = 0;
    if (skippingLongLine) {
      pos = skipRestOfLongLine(0, len);
      if (skippingLongLine) {
        return len;
      }
    }
    // The banner the fast path found last: the lines before it are delivered one by one without
    // searching for it again (a search per line made a long lookbehind quadratic: issue 19's
    // 191 MB log of lines joined by bare '\r').
    int bannerAhead = -1;
    while (pos < len) {
      if (!listener.wantsEveryLine() && pos > bannerAhead) {
        int hit = scanForBanner(pos, len);
        if (hit < 0) {
          // No banner up to the last newline; lineNumber is updated. Keep the partial last line,
          // unless it is already too long to keep (its rest is then skipped).
          int lastStart = lastLineStart(pos, len);
          if (!eof && len - lastStart >= MAX_LINE) {
            startSkipping();
            return len;
          }
          pos = eof ? lastStart : keepBehind(buf, lastStart, pos);
          break;
        }
        bannerAhead = foundBanner;
        pos = hit; // start of the banner's line; lineNumber is that line's number
        // Fall through to deliver it (and the lines before it) in the slow path.
      }
      int nl = lineEnd(pos, len, eof);
      if (nl < 0) {
        if (eof && pos < len) {
          deliver(pos, len);
          pos = len;
          lineNumber++;
        } else if (len - pos >= MAX_LINE) {
          deliverCut(pos, len);
          skippingLongLine = true;
          return len;
        }
        break;
      }
      deliver(pos, nl);
      if (buf[nl] == '\n') {
        lineNumber++;
      }
      pos = nl + 1;
    }
    if (eof && pos < len && !listener.wantsEveryLine()) {
      // A final line without newline, seen by the fast path.
      deliverIfBanner(pos, len);
      lineNumber++;
      pos = len;
    }
    return pos;
  }

  /**
   * Fast path: counts newlines from {@code pos} and stops at the first line that holds a banner.
   * Returns the start of the first line to deliver (the banner line or up to LOOKBEHIND_LINES before
   * it, not before {@code pos}) with {@link #lineNumber} set for it, or -1 after counting every newline
   * in {@code [pos, len)}.
   */
  private int scanForBanner(int pos, int len) {
    long lines = lineNumber;
    // Anchors are looked up only where the summary's marks do not tell: before marksFrom (a mark in
    // the carried start of a line) and up to where an anchor of a mark that starts there may lie.
    int anchorsEnd = marksAhead == null ? len : Math.min(len, marksFrom + Marks.MAX_ANCHOR_OFFSET + 1);
    int i = pos;
    for (; i < anchorsEnd; i += 8) {
      // the last words padded with zeros, which no mark holds
      long w = BlockSummary.word(buf, i, len);
      long next = BlockSummary.word(buf, i + 8, len);
      long nls = zeroBytes(w ^ NEWLINES);
      if (Marks.anchors(w, next) != 0) {
        for (int k = 0; k < 8; k += 2) {
          int at = Marks.mayAnchor(w, next, k) ? Marks.firstStart(buf, i + k, pos, len) : -1;
          if (at >= 0) {
            // no line ends between a mark's start and its anchor; a mark that starts before this one
            // is in the same line, which is all that delivery needs
            lines += Long.bitCount(nls & BlockSummary.belowByte(k));
            foundBanner = at;
            return startOfDelivery(pos, at, lines);
          }
        }
      }
      lines += Long.bitCount(nls);
    }
    if (marksAhead != null && i < len) {
      // Every mark that starts in [pos, len) and was not found above is the summary's: its anchor lies
      // at or after i, so no line ends between its start and i.
      int m = marksAhead.markFrom(pos - marksBase);
      if (m >= 0) {
        int at = m + marksBase;
        lines += at > i ? BlockSummary.newlines(buf, i, at) : 0;
        foundBanner = at;
        return startOfDelivery(pos, at, lines);
      }
      lines += BlockSummary.newlines(buf, i, len);
    }
    lineNumber = lines;
    return -1;
  }

  // Goes back from the banner at `at` (in the line numbered `lines`) to the start of its line and
  // up to LOOKBEHIND_LINES lines before it, not before `floor`; sets lineNumber for that start.
  private int startOfDelivery(int floor, int at, long lines) {
    int start = at;
    long number = lines;
    int wanted = LOOKBEHIND_LINES;
    while (true) {
      while (start > floor && !lineStartsAt(start)) {
        start--;
      }
      if (wanted == 0 || start == floor) {
        break;
      }
      start--; // onto the previous line's end
      if (buf[start] == '\n') {
        number--; // line numbers count newlines only
      }
      wanted--;
    }
    lineNumber = number;
    return start;
  }

  /**
   * The last bare {@code '\r'} (one not followed by {@code '\n'}) in {@code a[from, to)}, or -1: it ends
   * a line too. A {@code '\r'} at {@code to - 1} may be followed by a {@code '\n'} in the next block and
   * does not count.
   */
  static int lastLoneCr(byte[] a, int from, int to) {
    for (int i = to - 2; i >= from; i--) {
      if (a[i] == '\r' && a[i + 1] != '\n') {
        return i;
      }
    }
    return -1;
  }

  // Whether a line starts at `i` (0 < i, buf[i] read): after a newline, or after a bare '\r'.
  private boolean lineStartsAt(int i) {
    byte before = buf[i - 1];
    return before == '\n' || (before == '\r' && buf[i] != '\n');
  }

  private boolean isBanner(int at, int len) {
    return Marks.startsAt(buf, at, len);
  }

  private static long zeroBytes(long x) {
    return BlockSummary.zeroBytes(x);
  }

  private int lastLineStart(int pos, int len) {
    for (int i = len - 1; i >= pos; i--) {
      if (buf[i] == '\n' || (buf[i] == '\r' && i + 1 < len && buf[i + 1] != '\n')) {
        return i + 1;
      }
    }
    return pos;
  }

  private void deliverIfBanner(int from, int to) {
    for (int i = from; i < to; i++) {
      if (Marks.mayStart(buf[i]) && isBanner(i, to)) {
        deliver(from, to);
        return;
      }
    }
  }

  private void deliver(int from, int to) {
    boolean cut = to - from > MAX_LINE;
    if (cut) {
      int banner = bannerIn(from, to);
      // Keep the banner when it is beyond the cut: it is what the line is about.
      from = banner >= from + MAX_LINE ? banner : from;
      to = Math.min(to, from + MAX_LINE);
    }
    listener.line(lineNumber, decode(from, to), cut);
  }

  private void deliverCut(int from, int to) {
    int banner = bannerIn(from, to);
    int start = banner >= from + MAX_LINE ? banner : from;
    listener.line(lineNumber, decode(start, Math.min(to, start + MAX_LINE)), true);
  }

  private int bannerIn(int from, int to) {
    for (int i = from; i < to; i++) {
      if (Marks.mayStart(buf[i]) && isBanner(i, to)) {
        return i;
      }
    }
    return -1;
  }

  // Skips the remainder of a cut line; counts its end.
  private int skipRestOfLongLine(int from, int len) {
    int nl = lineEnd(from, len, false);
    if (nl < 0) {
      return len;
    }
    skippingLongLine = false;
    if (buf[nl] == '\n') {
      lineNumber++;
    }
    return nl + 1;
  }

  /**
   * Where the line that starts at {@code from} ends: its {@code '\n'}, or a bare {@code '\r'} (consoles
   * that never send {@code '\n'} join their lines with it; {@code "\r\n"} ends one line, whose number
   * counts {@code '\n'}s only, like {@code grep -n}). -1 when not before {@code to}; a {@code '\r'} at
   * {@code to - 1} waits for the next byte unless the input ended.
   */
  private int lineEnd(int from, int to, boolean eof) {
    for (int i = from; i < to; i++) {
      byte b = buf[i];
      if (b == '\n') {
        return i;
      }
      if (b == '\r') {
        if (i + 1 < to) {
          if (buf[i + 1] != '\n') {
            return i;
          }
        } else {
          return eof ? i : -1;
        }
      }
    }
    return -1;
  }

  private String decode(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] < 0) {
        // Invalid sequences become U+FFFD; String's decoder never throws.
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
      }
    }
    return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
