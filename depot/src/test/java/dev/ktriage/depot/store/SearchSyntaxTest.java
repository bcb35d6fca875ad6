package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.junit.jupiter.api.Test;

/** How queries are read: identifier words, paths as typed, and queries that cannot match refused. */
class SearchSyntaxTest {
  /** Each token as {@code term@position}. */
  private static List<String> tokens(Analyzer a, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream("text", text)) {
      CharTermAttribute t = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      int pos = -1;
      while (ts.incrementToken()) {
        pos += inc.getPositionIncrement();
        out.add(t + "@" + pos);
      }
      ts.end();
    }
    return out;
  }

  @Test
  void identifiersAreKeptWholeAndSplitIntoParts() throws IOException {
    assertEquals(List.of("io_uring_cancel_generic@0", "io@0", "uring@1", "cancel@2", "generic@3", "fs@4", "ext4@5",
        "xattr@6", "c@7", "__do_sys_x@8", "do@8", "sys@9", "x@10", "kasan@11", "use@12", "after@13", "free@14"),
        tokens(IdentifierAnalyzer.forIndex(), "io_uring_cancel_generic fs/ext4/xattr.c __do_sys_x KASAN: use-after-free"));
    assertEquals(List.of("io@0", "uring@1"), tokens(IdentifierAnalyzer.forQuery(), "io_uring"));
    assertEquals(List.of("ext4@0"), tokens(IdentifierAnalyzer.forQuery(), "EXT4"));
    // a long input crosses the tokenizer's buffer without losing a word
    String many = "abc_def ".repeat(2000);
    assertEquals(6000, tokens(IdentifierAnalyzer.forIndex(), many).size());
  }

  private static Query parse(String q) throws Exception {
    return StoreSearcher.parse(q);
  }

  @Test
  void pathsWorkAsTyped() throws Exception {
    assertEquals(new TermQuery(new org.apache.lucene.index.Term("file", "lib/iov_iter.c")), parse("file:lib/iov_iter.c"));
    assertEquals(new PrefixQuery(new org.apache.lucene.index.Term("file", "fs/ext4/")), parse("file:fs/ext4/*"));
    assertInstanceOf(WildcardQuery.class, parse("file:fs/*/xattr.c"));
    assertEquals(new PrefixQuery(new org.apache.lucene.index.Term("file", "drivers/usb/")), parse("file:drivers/usb/"));
    assertEquals(new TermQuery(new org.apache.lucene.index.Term("file", "fs/ext4/xattr.c")), parse("file:\"fs/ext4/xattr.c\""));
  }

  @Test
  void wordsSearchTheTitleFirstThenTheText() throws Exception {
    Query q = parse("io_uring");
    assertInstanceOf(BooleanQuery.class, q);
    assertTrue(q.toString().contains("(title:\"io uring\")^4.0"), q.toString());
    assertTrue(q.toString().contains("text:\"io uring\""), q.toString());
  }

  @Test
  void queriesThatCannotMatchAreRefused() {
    for (String bad : List.of("funtion:ext4_*", "title:(unbalanced", "size:eight", "\"--\"", "corrupted:maybe",
        "uptime:soon", "time:yesterday", "[a TO b]")) {
      QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> parse(bad), bad);
      assertTrue(e.getMessage().startsWith("bad query: "), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
    QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> parse("funtion:x"));
    assertTrue(e.getMessage().contains("unknown field 'funtion'") && e.getMessage().contains("function"), e.getMessage());
  }

  @Test
  void regularExpressionsAreRefusedInOneLineNotSearchedAsPaths() throws Exception {
    // the classic syntax's /.../ where a term starts and ending it: once read as a path that matched nothing
    for (String re : List.of("/ext4_.+/", "function:/xattr.+/", "title:(/kasan/ OR x)", "x -/a\\/b/", "/a.b/^2")) {
      QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> parse(re), re);
      assertTrue(e.getMessage().startsWith("bad query: regular expressions are not supported: /"), e.getMessage());
      assertTrue(e.getMessage().contains("file:fs/ext4/"), "says what to type instead: " + e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
    // a / inside a term, a lone leading /, a quoted or escaped one: still paths
    assertEquals(new PrefixQuery(new org.apache.lucene.index.Term("file", "/fs/ext4")), parse("file:/fs/ext4*"));
    assertEquals(new TermQuery(new org.apache.lucene.index.Term("file", "fs/ext4/xattr.c")), parse("file:fs/ext4/xattr.c"));
    assertEquals(new PrefixQuery(new org.apache.lucene.index.Term("file", "/fs/")), parse("file:\"/fs/\""));
    assertEquals(new TermQuery(new org.apache.lucene.index.Term("file", "/fs/x")), parse("file:/fs/x"));
  }
}
