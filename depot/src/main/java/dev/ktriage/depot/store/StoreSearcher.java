package dev.ktriage.depot.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.index.StoredFields;

/**
 * Reading reports from a commit's reader: queries with facets, and lookups by id, id prefix or
 * {@code source:line}. Thread-safe.
 */
final class StoreSearcher {
  private final ReportDocuments documents;

  StoreSearcher(ReportDocuments documents) {
    this.documents = documents;
  }

  /** The parsed query (blank: every report). */
  static Query parse(String query) throws QuerySyntaxException {
    try {
      return query.isBlank() ? new MatchAllDocsQuery() : new StoreQueryParser().parseUserQuery(query);
    } catch (ParseException | RuntimeException e) {
      throw new QuerySyntaxException("bad query: " + firstLine(e.getMessage()), e);
    }
  }

  /** Whether a query names a field. */
  static boolean mentions(Query q, String field) {
    boolean[] seen = new boolean[1];
    q.visit(new QueryVisitor() {
      @Override
      public boolean acceptField(String f) {
        seen[0] |= f.equals(field);
        return true;
      }

      @Override
      public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
        return this;
      }
    });
    return seen[0];
  }

  private static final Query CORRUPTED = new TermQuery(new Term(Fields.CORRUPTED, "true"));

  SearchResult search(DirectoryReader reader, String query, int limit, boolean facets, boolean withReports,
      boolean withCorrupted) throws IOException, QuerySyntaxException {
    Query q = parse(query);
    if (reader == null || reader.numDocs() == 0) {
      return new SearchResult(0, List.of(), Map.of(), 0);
    }
    IndexSearcher s = new IndexSearcher(reader);
    long leftOut = 0;
    if (!withCorrupted && !mentions(q, Fields.CORRUPTED)) {
      // corrupted reports are searchable but out of the way: counted, not shown
      leftOut = s.count(new BooleanQuery.Builder().add(q, BooleanClause.Occur.MUST)
          .add(CORRUPTED, BooleanClause.Occur.FILTER).build());
      if (leftOut > 0) {
        q = new BooleanQuery.Builder().add(q, BooleanClause.Occur.MUST)
            .add(CORRUPTED, BooleanClause.Occur.MUST_NOT).build();
      }
    }
    int n = Math.max(1, limit);
    List<StoredReport> hits = new ArrayList<>();
    Map<String, List<SearchResult.FacetCount>> counts = new LinkedHashMap<>();
    TopDocs top;
    if (facets) {
      FacetsCollectorManager.FacetsResult fr = FacetsCollectorManager.search(s, q, n, new FacetsCollectorManager());
      top = fr.topDocs();
      counts = FacetCounts.of(fr.facetsCollector());
    } else {
      // one pass for the best hits and the exact total (no second count() pass)
      top = s.search(q, new TopScoreDocCollectorManager(n, Integer.MAX_VALUE));
    }
    long total = top.totalHits.relation() == TotalHits.Relation.EQUAL_TO ? top.totalHits.value() : s.count(q);
    StoredFields sf = s.storedFields();
    for (ScoreDoc sd : top.scoreDocs) {
      hits.add(documents.load(reader, sf, sd.doc, withReports));
    }
    return new SearchResult(total, hits.subList(0, Math.min(limit, hits.size())), counts, leftOut);
  }

  /** The stored report with this id, or the only one whose id starts with it (at least 6 digits). */
  Optional<StoredReport> get(DirectoryReader reader, String idOrPrefix) throws IOException {
    if (reader == null || idOrPrefix.length() < 6) {
      return Optional.empty();
    }
    IndexSearcher s = new IndexSearcher(reader);
    Query q = idOrPrefix.length() >= 32 ? new TermQuery(new Term(Fields.ID, Fields.lower(idOrPrefix)))
        : new PrefixQuery(new Term(Fields.ID, Fields.lower(idOrPrefix)));
    TopDocs top = s.search(q, 2);
    if (top.scoreDocs.length != 1) {
      return Optional.empty();
    }
    return Optional.of(documents.load(reader, s.storedFields(), top.scoreDocs[0].doc, true));
  }

  /** The stored report that starts at {@code source:line}, if any. */
  Optional<StoredReport> getAt(DirectoryReader reader, String source, long line) throws IOException {
    if (reader == null) {
      return Optional.empty();
    }
    IndexSearcher s = new IndexSearcher(reader);
    Query q = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.SOURCE, Fields.lower(source))), BooleanClause.Occur.FILTER)
        .add(LongPoint.newExactQuery(Fields.LINE, line), BooleanClause.Occur.FILTER)
        .build();
    TopDocs top = s.search(q, 1);
    return top.scoreDocs.length == 0 ? Optional.empty()
        : Optional.of(documents.load(reader, s.storedFields(), top.scoreDocs[0].doc, true));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
