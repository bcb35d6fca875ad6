package dev.ktriage.depot.store;

import java.io.IOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Words of kernel text as a triager types them: titles, headers, function names and source paths are
 * split at every character that is not a letter or digit, so {@code ext4} finds
 * {@code ext4_xattr_set_entry}, {@code fs/ext4/xattr.c} and {@code "KASAN: use-after-free Read in
 * ext4_xattr_set_entry"}. For indexing ({@link #forIndex}) an identifier with underscores is also kept
 * whole, at its first part's position, so a wildcard ({@code io_uring_*}) matches it; for queries
 * ({@link #forQuery}) it is split only, and the query parser joins the parts into a phrase:
 * {@code io_uring} finds {@code io_uring_cancel_generic} (parts {@code io uring} adjacent) and not a
 * report that says {@code io} in one place and {@code uring} in another. Lowercase (the tokenizer lowers
 * each character as it reads it). Thread-safe.
 */
final class IdentifierAnalyzer extends Analyzer {
  private final boolean keepWhole;

  private IdentifierAnalyzer(boolean keepWhole) {
    this.keepWhole = keepWhole;
  }

  static IdentifierAnalyzer forIndex() {
    return new IdentifierAnalyzer(true);
  }

  static IdentifierAnalyzer forQuery() {
    return new IdentifierAnalyzer(false);
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer t = new IdentifierTokenizer(keepWhole);
    return new TokenStreamComponents(t); // lowercase already: a LowerCaseFilter would pass over every token again
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }

  /**
   * Emits the letter-and-digit runs of the input, lowercased; with {@code keepWhole}, an identifier of several
   * {@code _}-joined runs also whole, at its first run's position. At most 255 chars of an identifier count.
   */
  static final class IdentifierTokenizer extends Tokenizer {
    private final boolean keepWhole;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);
    private final char[] buf = new char[4096];
    private int len;
    private int pos;
    private int base; // input offset of buf[0]
    private boolean eof;
    // the identifier being emitted: its text, start offset, part boundaries and what comes next
    private final char[] ident = new char[255];
    private int identLen;
    private int identStart;
    private final int[] partStart = new int[128];
    private final int[] partEnd = new int[128];
    private int parts;
    private int next; // -1: the whole identifier; 0..parts-1: that part; parts: done

    IdentifierTokenizer(boolean keepWhole) {
      this.keepWhole = keepWhole;
    }

    @Override
    public boolean incrementToken() throws IOException {
      clearAttributes();
      while (next >= parts) {
        if (!readIdentifier()) {
          return false;
        }
        split();
        next = keepWhole && parts > 1 ? -1 : 0;
      }
      if (next == -1) {
        term.copyBuffer(ident, 0, identLen);
        offset.setOffset(correctOffset(identStart), correctOffset(identStart + identLen));
        posInc.setPositionIncrement(1);
      } else {
        term.copyBuffer(ident, partStart[next], partEnd[next] - partStart[next]);
        offset.setOffset(correctOffset(identStart + partStart[next]), correctOffset(identStart + partEnd[next]));
        // the whole identifier and its first part share a position
        posInc.setPositionIncrement(next == 0 && keepWhole && parts > 1 ? 0 : 1);
      }
      next++;
      return true;
    }

    private void split() {
      parts = 0;
      int i = 0;
      while (i < identLen && parts < partStart.length) {
        while (i < identLen && ident[i] == '_') {
          i++;
        }
        if (i == identLen) {
          break;
        }
        partStart[parts] = i;
        while (i < identLen && ident[i] != '_') {
          i++;
        }
        partEnd[parts++] = i;
      }
    }

    /** Reads the next run of letters, digits and underscores; false at the end of the input. */
    private boolean readIdentifier() throws IOException {
      identLen = 0;
      int seen = 0;
      while (true) {
        if (pos == len && !fill()) {
          return seen > 0;
        }
        char c = buf[pos++];
        if (Character.isLetterOrDigit(c) || c == '_') {
          if (seen++ == 0) {
            identStart = base + pos - 1;
          }
          if (identLen < ident.length) {
            // what LowerCaseFilter does: only letters, digits and '_' get here, never a surrogate half
            ident[identLen++] = Character.toLowerCase(c);
          }
        } else if (seen > 0) {
          return true;
        }
      }
    }

    private boolean fill() throws IOException {
      if (eof) {
        return false;
      }
      base += len;
      len = input.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = 0;
        eof = true;
        return false;
      }
      return true;
    }

    @Override
    public void end() throws IOException {
      super.end();
      int end = correctOffset(base + len);
      offset.setOffset(end, end);
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      len = 0;
      pos = 0;
      base = 0;
      eof = false;
      parts = 0;
      next = 0;
    }
  }
}
