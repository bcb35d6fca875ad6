package dev.ktriage.grammar.parse;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser;
import dev.ktriage.grammar.build.ReportAssessor;
import dev.ktriage.grammar.build.ReportBuilder;
import dev.ktriage.grammar.build.ReportDraft;
import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.grammar.scan.Island;
import dev.ktriage.model.Report;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.atn.PredictionMode;

/**
 * Runs the ANTLR grammar over one island and builds its {@link Report}.
 *
 * <p>Not thread-safe (it reuses nothing, but callers give it one island at a time).
 */
final class IslandParser {

  private final ReportAssessor assessor = new ReportAssessor();
  private final ParseStats stats;

  IslandParser(ParseStats stats) {
    this.stats = stats;
  }

  /**
   * The island's report, or empty when the grammar cannot read it as a report of any family (bytes no
   * kernel prints where its header or lead-in should be: the fuzzer's damaged logs); that is counted
   * as a syntax problem and as an {@link ParseStats.Unparsed unparsed block}.
   */
  Optional<Report> parse(Island island, String sourcePath) {
    KernelReportParser.ReportContext tree = tree(island, sourcePath);
    if (!readable(tree) && island.dropLeadIn()) {
      // A lead-in line the grammar cannot read (a cut-here marker glued to another message): the
      // report starts at its header.
      tree = tree(island, sourcePath);
    }
    ReportDraft.Report0 draft = readable(tree) ? new ReportBuilder(island, sourcePath).build(tree) : null;
    if (draft == null) {
      stats.unparsed(sourcePath, island.firstLine(), headerText(island));
      return Optional.empty();
    }
    Report report = assessor.assess(draft, island);
    stats.report(report);
    return Optional.of(report);
  }

  // Whether the grammar read a report of some family: no family when no alternative could start, or
  // one without a report in it when the parser gave up on the first token ("BUG: KMSAN: [T13544]
  // syz/1 is trying to lock:", a banner glued into another report's line).
  private static boolean readable(KernelReportParser.ReportContext tree) {
    return tree.family() != null && tree.family().getRuleContext(ParserRuleContext.class, 0) != null;
  }

  // The island's header line as printed (its first line when it has none), shortened for a message.
  private static String headerText(Island island) {
    List<ConsoleLine> lines = island.lines();
    int at = island.headerIndex() >= 0 && island.headerIndex() < lines.size() ? island.headerIndex() : 0;
    String text = lines.isEmpty() ? "" : lines.get(at).body().strip();
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
  }

  private static final int MAX_TEXT = 100;

  /** The island's parse tree; syntax problems go to the statistics. */
  KernelReportParser.ReportContext tree(Island island, String sourcePath) {
    StringBuilder text = new StringBuilder();
    for (ConsoleLine line : island.lines()) {
      text.append(line.body()).append('\n');
    }
    SyntaxProblems problems = new SyntaxProblems();
    KernelReportLexer lexer = new KernelReportLexer(CharStreams.fromString(text.toString(), sourcePath));
    lexer.removeErrorListeners();
    lexer.addErrorListener(problems);
    KernelReportParser parser = new KernelReportParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(problems);
    // SLL is exact for this grammar's decisions and much faster than full LL.
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    KernelReportParser.ReportContext tree = parser.report();
    List<String> messages = problems.messages();
    if (!messages.isEmpty()) {
      stats.syntaxProblem(sourcePath, island.firstLine(), messages);
    }
    return tree;
  }
}
