package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.Resolution.Status;
import dev.ktriage.symbolizer.ToolOutput.Frame;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Kernel frame resolution on the kfix fixture, whose alpha.c and beta.c each define a static
 * {@code helper}: kallsyms sizes (0x40 and 0x30 in x86_64-dwarf5, the distance to the next symbol)
 * tell them apart. Expected source positions come from the committed addr2line truth.
 */
class SymbolizerApiTest {
  private static final Path DIR = KfixFixtures.root().resolve("x86_64-dwarf5");

  private static Map<String, List<Frame>> truth() throws Exception {
    return ToolOutput.parse(DIR.resolve("addr2line.txt"));
  }

  private static Symbolizer open() throws Exception {
    return Symbolizer.open(DIR.resolve("kfix.elf"), SymbolizerOptions.defaults().withRawPaths(true));
  }

  private static FrameQuery q(String fn, long off, long size, boolean ret) {
    return new FrameQuery(fn, off, size < 0 ? OptionalLong.empty() : OptionalLong.of(size), Optional.empty(),
        OptionalLong.empty(), ret);
  }

  @Test
  void duplicateStaticNamesArePickedByKallsymsSize() throws Exception {
    Map<String, List<Frame>> truth = truth();
    try (Symbolizer s = open()) {
      Resolution a = s.resolve(q("helper", 0x5, 0x40, false));
      Resolution b = s.resolve(q("helper", 0x5, 0x30, false));
      assertEquals(Status.RESOLVED, a.status());
      assertEquals(Status.RESOLVED, b.status());
      Candidate ca = a.single().orElseThrow();
      Candidate cb = b.single().orElseThrow();
      assertEquals(0x40, ca.symbolSize());
      assertEquals(0x30, cb.symbolSize());
      assertEquals(truth.get("0x" + Long.toHexString(ca.address())), ToolOutput.of(ca.frames()));
      assertEquals(truth.get("0x" + Long.toHexString(cb.address())), ToolOutput.of(cb.frames()));
      assertTrue(ca.frames().get(ca.frames().size() - 1).file().orElseThrow().endsWith("alpha.c"));
      assertTrue(cb.frames().get(cb.frames().size() - 1).file().orElseThrow().endsWith("beta.c"));
      Resolution both = s.resolve(q("helper", 0x5, -1, false));
      assertEquals(Status.AMBIGUOUS, both.status());
      assertEquals(2, both.candidates().size());
    }
  }

  @Test
  void rawAddressAndSlidePickAmongDuplicates() throws Exception {
    try (Symbolizer s = open()) {
      long slide = 0x3a000000L;
      Candidate beta = s.resolve(q("helper", 0x5, 0x30, false)).single().orElseThrow();
      long alphaWork = s.resolve(q("alpha_work", 0x10, -1, false)).single().orElseThrow().address();
      FrameQuery anchor = new FrameQuery("alpha_work", 0x10, OptionalLong.empty(), Optional.empty(),
          OptionalLong.of(alphaWork + slide), true);
      FrameQuery dup = new FrameQuery("helper", 0x5, OptionalLong.empty(), Optional.empty(),
          OptionalLong.of(beta.address() + slide), true);
      assertEquals(OptionalLong.of(slide), s.inferSlide(List.of(anchor, dup)));
      List<Resolution> rs = s.resolveAll(List.of(anchor, dup));
      assertEquals(Status.RESOLVED, rs.get(1).status());
      assertEquals(beta.address(), rs.get(1).single().orElseThrow().address());
      // Raw-only resolution with the inferred slide.
      Resolution raw = s.resolveAddress(beta.address() + slide, slide, false);
      assertEquals("helper", raw.single().orElseThrow().symbol());
      assertEquals(beta.frames(), raw.single().orElseThrow().frames());
    }
  }

  @Test
  void returnAddressesLookUpThePreviousByteAndMayEndTheFunction() throws Exception {
    Map<String, List<Frame>> truth = truth();
    try (Symbolizer s = open()) {
      Candidate c = s.resolve(q("kfix_main", 0x30, -1, true)).single().orElseThrow();
      assertEquals(c.address() - 1, c.lookupAddress());
      assertEquals(truth.get("0x" + Long.toHexString(c.lookupAddress())), ToolOutput.of(c.frames()));
      long size = c.symbolSize();
      Resolution atEnd = s.resolve(q("kfix_main", size, size, true));
      assertEquals(Status.RESOLVED, atEnd.status(), "offset == size is a valid return address");
      assertEquals(Status.OFFSET_OUT_OF_RANGE, s.resolve(q("kfix_main", size + 1, size, true)).status());
      assertEquals(Status.SIZE_MISMATCH, s.resolve(q("kfix_main", 1, size + 0x100, true)).status());
      assertEquals(Status.UNKNOWN_SYMBOL, s.resolve(q("no_such_function", 1, -1, true)).status());
      assertEquals(Status.UNKNOWN_MODULE,
          s.resolve(new FrameQuery("x", 0, OptionalLong.empty(), Optional.of("ext4"), OptionalLong.empty(), true))
              .status());
    }
  }

  @Test
  void buildIdIsExposed() throws Exception {
    try (Symbolizer s = open()) {
      assertTrue(s.buildId().orElseThrow().matches("[0-9a-f]{40}"));
    }
  }

  @Test
  void withoutDwarfFramesCarryTheSymbol() throws Exception {
    Path stripped = KfixFixtures.root().resolveSibling("kfix-nodwarf").resolve("kfix.elf");
    try (Symbolizer s = Symbolizer.open(stripped, SymbolizerOptions.defaults())) {
      assertFalse(s.hasDebugInfo());
      Resolution r = s.resolve(q("beta_loop", 0x4, -1, false));
      assertEquals(Status.NO_DEBUG_INFO, r.status());
      SourceFrame f = r.single().orElseThrow().frames().get(0);
      assertEquals("beta_loop", f.function());
      assertTrue(f.file().isEmpty());
    }
  }

  @Test
  void modulesAreFoundByNameAndResolvedPerSection(@TempDir Path tmp) throws Exception {
    Path module = KfixFixtures.root().resolve("module-x86_64");
    Map<String, List<Frame>> truth = ToolOutput.parse(module.resolve("addr2line.txt"));
    Path mods = tmp.resolve("lib/modules/6.1/kernel/fs");
    Files.createDirectories(mods);
    Files.copy(module.resolve("kfix.elf"), mods.resolve("kfix-mod.ko"));
    try (OutputStream out = new XZOutputStream(Files.newOutputStream(mods.resolve("kfix_xz.ko.xz")),
        new LZMA2Options())) {
      Files.copy(module.resolve("kfix.elf"), out);
    }
    SymbolizerOptions opts = SymbolizerOptions.defaults().withRawPaths(true).withModulesDirectory(tmp);
    try (Symbolizer s = Symbolizer.open(DIR.resolve("kfix.elf"), opts)) {
      for (String name : List.of("kfix_mod", "kfix-xz")) {
        Resolution r = s.resolve(new FrameQuery("beta_loop", 0x2, OptionalLong.empty(), Optional.of(name),
            OptionalLong.empty(), false));
        assertEquals(Status.RESOLVED, r.status(), name);
        Candidate c = r.single().orElseThrow();
        assertEquals(".text.beta_loop", c.section());
        assertEquals(truth.get(".text.beta_loop 0x2"), ToolOutput.of(c.frames()), name);
        // alpha_work.cold lives in .text.unlikely.alpha_work, also at section offset 0.
        Candidate cold = s.resolve(new FrameQuery("alpha_work.cold", 0xe, OptionalLong.empty(), Optional.of(name),
            OptionalLong.empty(), false)).single().orElseThrow();
        assertEquals(truth.get(".text.unlikely.alpha_work 0xe"), ToolOutput.of(cold.frames()), name);
      }
      assertEquals(Status.UNKNOWN_MODULE, s.resolve(new FrameQuery("gops_first", 0x2, OptionalLong.empty(),
          Optional.of("ext4"), OptionalLong.empty(), false)).status());
    }
  }

  @Test
  void treePathsStripTheCompilationDirectory() throws Exception {
    try (Symbolizer s = Symbolizer.open(DIR.resolve("kfix.elf"), SymbolizerOptions.defaults())) {
      Candidate c = s.resolve(q("gamma_work", 0x2, -1, false)).single().orElseThrow();
      assertEquals(Optional.of("gamma.c"), c.frames().get(c.frames().size() - 1).file());
    }
    try (Symbolizer s = Symbolizer.open(DIR.resolve("kfix.elf"),
        SymbolizerOptions.defaults().withRawPaths(true).withStripPrefix("debian/build/kfix/"))) {
      Candidate c = s.resolve(q("gamma_work", 0x2, -1, false)).single().orElseThrow();
      assertEquals(Optional.of("debian/build/kfix/gamma.c"), c.frames().get(c.frames().size() - 1).file());
    }
  }
}
