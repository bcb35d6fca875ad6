package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged index is found before anything reads or writes it, named with its file, and left as it
 * was: every file of a real store damaged in turn (a flipped byte at the start, inside and at the end,
 * truncated, deleted), then opened by a reader and by a writer.
 */
class StoreIntegrityTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path pristine;

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A store of two commits (so two segments and a commit point beyond the first). */
  @BeforeAll
  static void makeStore() throws Exception {
    List<Report> reports = TestReports.first(12);
    pristine = shared.resolve("store");
    try (ReportStore s = ReportStore.open(pristine, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      for (int i = 0; i < reports.size(); i++) {
        s.add(reports.get(i), T0.plusSeconds(i));
        if (i == reports.size() / 2) {
          s.commit();
        }
      }
      s.commit();
    }
  }

  private Path copy() throws IOException {
    Path to = tmp.resolve("s" + System.nanoTime());
    try (Stream<Path> files = Files.walk(pristine)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(pristine.relativize(p).toString()));
      }
    }
    return to;
  }

  /** Every file's bytes, by path: what "nothing was written" compares. */
  private static Map<String, String> contents(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    try (Stream<Path> dirs = Files.walk(dir)) {
      for (Path p : dirs.filter(Files::isDirectory).toList()) {
        out.put(dir.relativize(p) + "/", "dir");
      }
    }
    return out;
  }

  private static List<String> indexFiles(Path store) throws IOException {
    try (Stream<Path> s = Files.list(store.resolve("index"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("write.lock")).sorted().toList();
    }
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x40);
    }
  }

  /** Opens {@code store} both ways and expects each to refuse it, naming {@code file}, changing nothing. */
  private static void refused(Path store, String file, String what) throws Exception {
    Map<String, String> before = contents(store);
    for (ReportStore.Mode mode : ReportStore.Mode.values()) {
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> {
        try (ReportStore s = ReportStore.open(store, mode, Duration.ZERO)) {
          s.clusters();
          s.search("", 5, true, true);
          s.depotStats();
        }
      }, what + ", " + mode);
      assertEquals(file, e.file().getFileName().toString(), what + ", " + mode + ": " + e.getMessage());
      assertEquals(before, contents(store), what + ", " + mode + ": the store was written to");
    }
  }

  @Test
  void aDamagedByteInAnyIndexFileIsNamedAndNothingIsWritten() throws Exception {
    SplittableRandom rnd = new SplittableRandom(19);
    List<String> files = indexFiles(pristine);
    assertTrue(files.stream().anyMatch(f -> f.startsWith("segments_")), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.endsWith(".fdt")), files.toString());
    for (String f : files) {
      long size = Files.size(pristine.resolve("index").resolve(f));
      // the codec header, a byte inside, the checksum in the footer
      for (long off : new long[] {rnd.nextLong(0, Math.min(size, 16)), rnd.nextLong(0, size), size - 1}) {
        Path s = copy();
        flip(s.resolve("index").resolve(f), off);
        refused(s, f, f + " flipped at " + off + " of " + size);
      }
    }
  }

  @Test
  void aTruncatedOrMissingFileIsNamed() throws Exception {
    for (String f : indexFiles(pristine)) {
      Path s = copy();
      Path p = s.resolve("index").resolve(f);
      try (RandomAccessFile r = new RandomAccessFile(p.toFile(), "rw")) {
        r.setLength(r.length() / 2);
      }
      refused(s, f, f + " truncated");
      if (!f.startsWith("segments_")) { // without it, the next test's case
        Files.delete(p);
        refused(s, f, f + " deleted");
      }
    }
  }

  @Test
  void aLostCommitPointOrIndexIsDamageNotAnEmptyStore() throws Exception {
    Path s = copy();
    String segments = SegmentInfos.getLastCommitSegmentsFileName(FSDirectory.open(s.resolve("index")));
    Files.delete(s.resolve("index").resolve(segments));
    // named as the list of verified files recorded it; a writer would have cleared the segments
    refused(s, segments, "commit point deleted");

    Path t = copy();
    try (Stream<Path> files = Files.walk(t.resolve("index"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    refused(t, "index", "index directory deleted");
  }

  @Test
  void aFileWrittenIntoIsVerifiedAgainThoughItsModificationTimeIsPutBack() throws Exception {
    Path s = copy();
    try (ReportStore w = ReportStore.open(s, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      assertTrue(w.recoveries().isEmpty(), w.recoveries().toString()); // records what it verified
    }
    VerifiedFiles known = VerifiedFiles.read(s);
    assertEquals(Set.copyOf(indexFiles(s)), known.files().keySet());
    String fdt = indexFiles(s).stream().filter(f -> f.endsWith(".fdt")).findFirst().orElseThrow();
    Path p = s.resolve("index").resolve(fdt);
    FileTime mtime = Files.getLastModifiedTime(p);
    flip(p, Files.size(p) / 2);
    Files.setLastModifiedTime(p, mtime);
    refused(s, fdt, "flipped in place, mtime restored");
  }

  @Test
  void theStoreIsCreatedPrivate() throws Exception {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      System.out.println("StoreIntegrityTest: no POSIX permissions here; skipped");
      return;
    }
    Path s = tmp.resolve("new/store");
    try (ReportStore w = ReportStore.open(s, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      w.add(TestReports.first(1).getFirst(), T0);
      w.commit();
    }
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> all = Files.walk(tmp.resolve("new"))) {
      for (Path p : all.toList()) {
        String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
        String got = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        if (!got.equals(want)) {
          wrong.add(tmp.relativize(p) + " " + got);
        }
      }
    }
    assertEquals(List.of(), wrong);
    assertFalse(Files.exists(s.resolve("depot.snapshot.tmp")));
  }
}
