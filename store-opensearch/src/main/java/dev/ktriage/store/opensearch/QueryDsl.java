package dev.ktriage.store.opensearch;

import dev.ktriage.depot.store.QuerySyntaxException;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PointRangeQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;

/**
 * A query parsed and analyzed by the store's query language ({@code QueryLanguage}) as OpenSearch
 * query DSL: the terms are already what the embedded store would look up, and the cluster's index
 * analyzes documents into the same tokens ({@link Mappings}), so both stores answer alike. Stateless.
 */
final class QueryDsl {
  private QueryDsl() {} // no instance

  private static final Set<String> INTS = Set.of("size");
  private static final Set<String> DATES = Set.of("time", "ingested");
  private static final Set<String> DOUBLES = Set.of("uptime");
  private static final String CLUSTER = "cluster";

  static JsonObject of(Query q) throws QuerySyntaxException {
    return of(q, Map.of());
  }

  /**
   * The query, with {@code cluster:} read as the clusters are listed: a report's cluster is where its
   * stored cluster id was merged to, if it was ({@code merged}: merged id to the cluster it reads as now,
   * resolved to the end of the chain). Reports keep the id they were stored with, so {@code cluster:N}
   * finds the reports stored under N and under every id merged into N; a merged id reads as its
   * cluster, so it finds the same.
   */
  static JsonObject of(Query q, Map<Long, Long> merged) throws QuerySyntaxException {
    return switch (q) {
      case MatchAllDocsQuery m -> obj("match_all", Json.createObjectBuilder());
      case MatchNoDocsQuery m -> obj("match_none", Json.createObjectBuilder());
      case BoostQuery b -> {
        // a boost wraps one clause: a bool with one should carries it
        yield obj("bool", Json.createObjectBuilder().add("should", Json.createArrayBuilder()
            .add(of(b.getQuery(), merged))).add("boost", b.getBoost()));
      }
      case BooleanQuery b -> bool(b, merged);
      case TermQuery t -> field("term", t.getTerm().field(), Json.createObjectBuilder().add("value", t.getTerm().text()));
      case PhraseQuery p -> {
        StringBuilder sb = new StringBuilder();
        for (Term t : p.getTerms()) {
          sb.append(sb.isEmpty() ? "" : " ").append(t.text());
        }
        String f = p.getTerms().length == 0 ? p.getField() : p.getTerms()[0].field();
        yield field("match_phrase", f, Json.createObjectBuilder().add("query", sb.toString()).add("slop", p.getSlop()));
      }
      case PrefixQuery p -> field("prefix", p.getPrefix().field(), Json.createObjectBuilder().add("value", p.getPrefix().text()));
      case WildcardQuery w -> field("wildcard", w.getTerm().field(), Json.createObjectBuilder().add("value", w.getTerm().text()));
      case FuzzyQuery f -> field("fuzzy", f.getTerm().field(),
          Json.createObjectBuilder().add("value", f.getTerm().text()).add("fuzziness", f.getMaxEdits()));
      case TermRangeQuery r -> {
        JsonObjectBuilder b = Json.createObjectBuilder();
        if (r.getLowerTerm() != null) {
          b.add(r.includesLower() ? "gte" : "gt", r.getLowerTerm().utf8ToString());
        }
        if (r.getUpperTerm() != null) {
          b.add(r.includesUpper() ? "lte" : "lt", r.getUpperTerm().utf8ToString());
        }
        yield field("range", r.getField(), b);
      }
      case PointRangeQuery r when r.getField().equals(CLUSTER) && !merged.isEmpty() -> clusters(r, merged);
      case PointRangeQuery r -> range(r);
      default -> throw new QuerySyntaxException("bad query: not supported by the OpenSearch store: " + q, null);
    };
  }

  private static JsonObject range(PointRangeQuery r) {
    String f = r.getField();
    JsonObjectBuilder b = Json.createObjectBuilder();
    if (INTS.contains(f)) {
      int lo = IntPoint.decodeDimension(r.getLowerPoint(), 0);
      int hi = IntPoint.decodeDimension(r.getUpperPoint(), 0);
      b.add("gte", lo).add("lte", hi);
    } else if (DOUBLES.contains(f)) {
      double lo = DoublePoint.decodeDimension(r.getLowerPoint(), 0);
      double hi = DoublePoint.decodeDimension(r.getUpperPoint(), 0);
      if (!Double.isInfinite(lo)) {
        b.add("gte", lo);
      }
      if (!Double.isInfinite(hi)) {
        b.add("lte", hi);
      }
    } else {
      long lo = LongPoint.decodeDimension(r.getLowerPoint(), 0);
      long hi = LongPoint.decodeDimension(r.getUpperPoint(), 0);
      if (lo != Long.MIN_VALUE) {
        b.add("gte", lo);
      }
      if (hi != Long.MAX_VALUE) {
        b.add("lte", hi);
      }
      if (DATES.contains(f)) {
        b.add("format", "epoch_millis");
      }
    }
    return field("range", f, b);
  }

  /**
   * {@code cluster:[lo TO hi]} over ids as they read now: stored ids in range that were not merged out of
   * it, and ids merged into a cluster in range. {@code cluster:N} for a merged N reads as the cluster N
   * joined (a user may hold the old id: it finds what the surviving id finds).
   */
  private static JsonObject clusters(PointRangeQuery r, Map<Long, Long> merged) {
    long lo = LongPoint.decodeDimension(r.getLowerPoint(), 0);
    long hi = LongPoint.decodeDimension(r.getUpperPoint(), 0);
    if (lo == hi && merged.containsKey(lo)) {
      lo = merged.get(lo);
      hi = lo;
    }
    JsonArrayBuilder movedOut = Json.createArrayBuilder();
    JsonArrayBuilder movedIn = Json.createArrayBuilder();
    boolean out = false;
    boolean in = false;
    for (var e : new TreeMap<>(merged).entrySet()) {
      boolean was = e.getKey() >= lo && e.getKey() <= hi;
      boolean is = e.getValue() >= lo && e.getValue() <= hi;
      if (was && !is) {
        movedOut.add(e.getKey());
        out = true;
      } else if (!was && is) {
        movedIn.add(e.getKey());
        in = true;
      }
    }
    JsonObjectBuilder b = Json.createObjectBuilder();
    if (lo != Long.MIN_VALUE) {
      b.add("gte", lo);
    }
    if (hi != Long.MAX_VALUE) {
      b.add("lte", hi);
    }
    JsonObject stored = field("range", CLUSTER, b);
    if (out) {
      stored = obj("bool", Json.createObjectBuilder().add("filter", Json.createArrayBuilder().add(stored))
          .add("must_not", Json.createArrayBuilder().add(field("terms", CLUSTER, movedOut))));
    }
    if (!in) {
      return stored;
    }
    return obj("bool", Json.createObjectBuilder().add("should", Json.createArrayBuilder().add(stored)
        .add(field("terms", CLUSTER, movedIn))).add("minimum_should_match", 1));
  }

  private static JsonObject field(String kind, String field, JsonArrayBuilder values) {
    return Json.createObjectBuilder().add(kind, Json.createObjectBuilder().add(field, values)).build();
  }

  private static JsonObject bool(BooleanQuery q, Map<Long, Long> merged) throws QuerySyntaxException {
    JsonArrayBuilder must = Json.createArrayBuilder();
    JsonArrayBuilder should = Json.createArrayBuilder();
    JsonArrayBuilder mustNot = Json.createArrayBuilder();
    JsonArrayBuilder filter = Json.createArrayBuilder();
    boolean hasShould = false;
    boolean hasRequired = false;
    for (BooleanClause c : q.clauses()) {
      JsonObject sub = of(c.query(), merged);
      switch (c.occur()) {
        case MUST -> {
          must.add(sub);
          hasRequired = true;
        }
        case SHOULD -> {
          should.add(sub);
          hasShould = true;
        }
        case MUST_NOT -> mustNot.add(sub);
        case FILTER -> {
          filter.add(sub);
          hasRequired = true;
        }
      }
    }
    JsonObjectBuilder b = Json.createObjectBuilder().add("must", must).add("should", should).add("must_not", mustNot)
        .add("filter", filter);
    int min = q.getMinimumNumberShouldMatch();
    if (min > 0) {
      b.add("minimum_should_match", min);
    } else if (hasShould && !hasRequired) {
      b.add("minimum_should_match", 1);
    }
    return obj("bool", b);
  }

  private static JsonObject obj(String kind, JsonObjectBuilder body) {
    return Json.createObjectBuilder().add(kind, body).build();
  }

  private static JsonObject field(String kind, String field, JsonObjectBuilder body) {
    return Json.createObjectBuilder().add(kind, Json.createObjectBuilder().add(field, body)).build();
  }
}
