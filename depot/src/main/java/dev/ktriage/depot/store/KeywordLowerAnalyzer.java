package dev.ktriage.depot.store;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;

/**
 * A whole value as one lowercase term: keyword fields ({@code function:}, {@code bugType:},
 * {@code release:}) match exactly but case-insensitively, and {@link #normalize} lowercases wildcard
 * and prefix terms too, so {@code function:EXT4_*} finds {@code ext4_fill_super}. Thread-safe.
 */
final class KeywordLowerAnalyzer extends Analyzer {
  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer t = new KeywordTokenizer();
    return new TokenStreamComponents(t, new LowerCaseFilter(t));
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }
}
