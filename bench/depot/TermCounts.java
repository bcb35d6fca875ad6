import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.store.FSDirectory;

/**
 * What a store's index holds per report, field by field: how many tokens ingest inverted (positions
 * included where the field keeps them), postings entries, distinct terms, points, and whether the field has
 * norms and doc values: where the inversion's time goes, to choose what to cut.
 *
 * <p>Usage: {@code java -cp <depot class path> bench/depot/TermCounts.java STORE_DIR} (the store's {@code index}
 * directory is read). Not a test; prints a table.
 */
public final class TermCounts {
  public static void main(String[] args) throws Exception {
    Path index = Path.of(args[0]).resolve("index");
    try (FSDirectory dir = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(dir)) {
      int docs = r.numDocs();
      FieldInfos fis = FieldInfos.getMergedFieldInfos(r);
      TreeMap<String, long[]> rows = new TreeMap<>(); // tokens, postings, terms (sum over segments), points
      for (LeafReaderContext ctx : r.leaves()) {
        for (FieldInfo fi : ctx.reader().getFieldInfos()) {
          long[] row = rows.computeIfAbsent(fi.name, k -> new long[4]);
          Terms t = ctx.reader().terms(fi.name);
          if (t != null) {
            row[0] += t.getSumTotalTermFreq();
            row[1] += t.getSumDocFreq();
            row[2] += t.size();
          }
          PointValues p = fi.getPointDimensionCount() > 0 ? ctx.reader().getPointValues(fi.name) : null;
          if (p != null) {
            row[3] += p.size();
          }
        }
      }
      System.out.printf(Locale.ROOT, "%d reports, %d segments%n", docs, r.leaves().size());
      System.out.printf(Locale.ROOT, "%-14s %9s %9s %9s %8s  %-32s %s%n", "field", "tokens/r", "postings/r",
          "terms/r", "points/r", "index options", "norms, doc values");
      double sumTokens = 0;
      double sumPostings = 0;
      for (var e : rows.entrySet()) {
        FieldInfo fi = fis.fieldInfo(e.getKey());
        long[] v = e.getValue();
        sumTokens += v[0] / (double) docs;
        sumPostings += v[1] / (double) docs;
        System.out.printf(Locale.ROOT, "%-14s %9.2f %9.2f %9.2f %8.2f  %-32s %s, %s%n", e.getKey(), v[0] / (double) docs,
            v[1] / (double) docs, v[2] / (double) docs, v[3] / (double) docs, fi.getIndexOptions(),
            fi.getIndexOptions() != IndexOptions.NONE && !fi.omitsNorms() ? "norms" : "-", fi.getDocValuesType());
      }
      System.out.printf(Locale.ROOT, "all inverted fields: %.2f tokens, %.2f postings a report%n", sumTokens, sumPostings);
    }
  }
}
