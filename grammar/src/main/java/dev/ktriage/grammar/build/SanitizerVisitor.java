package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportParser.ContextLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.ElisionLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.HeaderWordContext;
import dev.ktriage.grammar.antlr.KernelReportParser.RegisterLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.TextLineContext;
import dev.ktriage.grammar.antlr.KernelReportParserBaseVisitor;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Elision;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * What the visitors of the rule-closed sanitizer families (KASAN, KCSAN, KMSAN, KFENCE, UBSAN) read the
 * same way: a report's sections in printed order, the context lines among them (dump_stack_print_info())
 * handed to {@link ContextLines}, every family's; a loose header's leading words as the bug type; register
 * and text lines, which tell the architecture; and the places a person cut.
 *
 * <p>Not thread-safe; one instance per island.
 */
abstract class SanitizerVisitor extends KernelReportParserBaseVisitor<Void> {

  protected final ReportDraft draft;
  private final ContextLines context;

  SanitizerVisitor(ReportDraft draft) {
    this.draft = draft;
    this.context = new ContextLines(draft);
  }

  /** Visits a report's sections in order: its context lines by {@link ContextLines}, the others by this visitor. */
  protected final <S extends ParserRuleContext> void sections(List<S> sections,
      Function<S, ContextLineContext> contextLine) {
    for (S s : sections) {
      ContextLineContext c = contextLine.apply(s);
      if (c != null) {
        atContextLine();
        c.accept(context);
      } else {
        visit(s);
      }
    }
  }

  /** What the family does where its report reaches a context line (UBSAN: the handler's message ends). */
  protected void atContextLine() {
    // nothing by default
  }

  /** A header the family's exact rules did not read: its banner, its line, and its leading words as the bug type. */
  protected final void looseHeader(ParserRuleContext h, Banner banner, List<HeaderWordContext> words) {
    draft.banner = banner;
    draft.header = draft.lineText(h);
    draft.bugType = leadingWords(words);
  }

  /**
   * The words a header starts with, up to its first other token (a location, {@code in}): the bug type of a
   * header no exact rule reads ({@code invalid size 1844674407} of {@code BUG: KASAN: invalid size 1844674407 in}).
   */
  static String leadingWords(List<HeaderWordContext> words) {
    List<String> kind = new ArrayList<>();
    for (HeaderWordContext w : words) {
      if (w.WORD() == null) {
        break;
      }
      kind.add(w.getText());
    }
    return String.join(" ", kind);
  }

  @Override
  public Void visitRegisterLine(RegisterLineContext r) {
    draft.arch.text(draft.lineText(r));
    return null;
  }

  @Override
  public Void visitElisionLine(ElisionLineContext e) {
    draft.elided.add(Elision.LINES);
    return null;
  }

  @Override
  public Void visitTextLine(TextLineContext t) {
    draft.arch.text(draft.lineText(t));
    return null;
  }
}
