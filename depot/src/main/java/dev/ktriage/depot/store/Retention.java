package dev.ktriage.depot.store;

import dev.ktriage.depot.stack.StackDepot;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;

/**
 * Which reports retention removes, and their removal from the index with their stacks released in
 * the depot. The store commits and rebuilds the clusters afterwards. Stateless.
 */
final class Retention {
  private Retention() {} // no instance

  /** A selection of reports to remove. */
  record Selection(Query query, int limit, Sort sort) {}

  /** The reports whose {@code time} is before {@code cutoff}. */
  static Selection olderThan(Instant cutoff) {
    return new Selection(LongPoint.newRangeQuery(Fields.TIME, Long.MIN_VALUE, cutoff.toEpochMilli() - 1),
        Integer.MAX_VALUE, null);
  }

  /** All but the {@code max} newest reports (by {@code time}, then ingest order); null when none goes. */
  static Selection allButNewest(DirectoryReader reader, long max) {
    long total = reader.numDocs();
    if (total <= max) {
      return null;
    }
    Sort oldestFirst = new Sort(new SortField(Fields.TIME, SortField.Type.LONG),
        new SortField(Fields.ORD, SortField.Type.LONG));
    return new Selection(new MatchAllDocsQuery(), (int) Math.min(Integer.MAX_VALUE, total - max), oldestFirst);
  }

  /** Deletes the selected reports (uncommitted) and releases their stacks; how many. */
  static long remove(DirectoryReader reader, IndexWriter writer, StackDepot depot, Selection sel) throws IOException {
    IndexSearcher s = new IndexSearcher(reader);
    int n = Math.max(1, Math.min(sel.limit(), reader.maxDoc()));
    TopDocs top = sel.sort() == null ? s.search(sel.query(), n) : s.search(sel.query(), n, sel.sort());
    StoredFields sf = s.storedFields();
    List<Term> ids = new ArrayList<>();
    for (ScoreDoc sd : top.scoreDocs) {
      Document doc = sf.document(sd.doc, Set.of(Fields.HANDLES));
      for (int handle : ReportDocuments.decodeHandles(doc.getBinaryValue(Fields.HANDLES)).values()) {
        depot.release(handle);
      }
      ids.add(new Term(Fields.ID, ReportDocuments.idOf(reader, sd.doc)));
    }
    if (!ids.isEmpty()) {
      writer.deleteDocuments(ids.toArray(Term[]::new));
    }
    return ids.size();
  }
}
