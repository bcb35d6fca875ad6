package dev.ktriage.depot.store;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;

/**
 * A writer's knowledge of which report ids the store holds or is adding: an {@link IdFilter} over
 * every id, which settles almost every new report, and for the few it might have seen, the ids added
 * since the last commit and a lookup in the index. Not thread-safe: the store calls it under its lock.
 */
final class ReportIds {
  private final Supplier<DirectoryReader> reader;
  private final Set<String> pending = new HashSet<>();
  /** Null until first used. */
  private IdFilter filter;

  ReportIds(Supplier<DirectoryReader> reader) {
    this.reader = reader;
  }

  /** Takes {@code id} for a report being added; false when the store already holds it or is adding it. */
  boolean claim(String id) throws IOException {
    long key = IdFilter.key(id);
    if (filter().mightContain(key) && (pending.contains(id) || stored(id))) {
      return false;
    }
    filter.add(key);
    pending.add(id);
    return true;
  }

  /** After a commit: what was pending is in the index. */
  void committed() {
    pending.clear();
  }

  /** The filter, filled from the index's id terms on first use (a few tens of ms per million reports). */
  IdFilter filter() throws IOException {
    if (filter == null) {
      IdFilter f = new IdFilter();
      DirectoryReader r = reader.get();
      if (r != null) {
        for (LeafReaderContext ctx : r.leaves()) {
          Terms terms = ctx.reader().terms(Fields.ID);
          if (terms == null) {
            continue;
          }
          TermsEnum te = terms.iterator();
          for (BytesRef t = te.next(); t != null; t = te.next()) {
            f.add(IdFilter.key(t.utf8ToString()));
          }
        }
      }
      filter = f;
    }
    return filter;
  }

  private boolean stored(String id) throws IOException {
    DirectoryReader r = reader.get();
    if (r == null) {
      return false;
    }
    BytesRef term = new BytesRef(id);
    for (LeafReaderContext ctx : r.leaves()) {
      Terms terms = ctx.reader().terms(Fields.ID);
      if (terms == null) {
        continue;
      }
      TermsEnum te = terms.iterator();
      if (te.seekExact(term)) {
        PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
        var live = ctx.reader().getLiveDocs();
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
          if (live == null || live.get(d)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
