package dev.ktriage.depot.store;

import java.util.List;
import org.apache.lucene.search.Query;

/**
 * The store's query language, for every backend: a user's query string parsed and analyzed exactly as
 * the embedded store does it ({@link StoreQueryParser}, {@link IdentifierAnalyzer}), so a backend that
 * indexes the same tokens under the same field names answers the same queries. Stateless.
 */
public final class QueryLanguage {
  private QueryLanguage() {} // no instance

  /** The query (blank: every report). */
  public static Query parse(String query) throws QuerySyntaxException {
    return StoreSearcher.parse(query);
  }

  /** Whether a query names a field (a query that names {@code corrupted} decides about corrupted reports itself). */
  public static boolean mentions(Query q, String field) {
    return StoreSearcher.mentions(q, field);
  }

  /** The field that says whether a report is corrupted. */
  public static final String CORRUPTED = Fields.CORRUPTED;

  /** The keyword fields (whole values, lowercase). */
  public static final List<String> KEYWORDS = List.copyOf(new java.util.TreeSet<>(Fields.KEYWORDS));

  /** The text fields (identifier-aware words). */
  public static final List<String> TEXTS = List.copyOf(new java.util.TreeSet<>(Fields.TEXTS));

  /** The facet dimensions of {@code search --facets}. */
  public static final List<String> FACETS = Fields.FACETS;
}
