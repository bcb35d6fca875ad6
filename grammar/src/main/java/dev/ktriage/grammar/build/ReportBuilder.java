package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportParser.KasanReportContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KcsanReportContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KfenceReportContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KmsanReportContext;
import dev.ktriage.grammar.antlr.KernelReportParser.UbsanReportContext;
import dev.ktriage.grammar.antlr.KernelReportParser.OopsHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.OopsReportContext;
import dev.ktriage.grammar.antlr.KernelReportParser.ReportContext;
import dev.ktriage.grammar.antlr.KernelReportParserBaseVisitor;
import dev.ktriage.grammar.scan.Island;

/**
 * Builds a report (without its final title and verdict) from the parse tree of one island: hands
 * the tree to the visitor of its report family. Adding a family is adding its alternative to the
 * grammar's {@code family} rule, its visitor, and a {@code visit...Report} here.
 *
 * <p>Not thread-safe; one instance per island.
 */
public final class ReportBuilder extends KernelReportParserBaseVisitor<ReportDraft.Report0> {

  private final ReportDraft draft;

  public ReportBuilder(Island island, String sourcePath) {
    this.draft = new ReportDraft(island, sourcePath);
    this.draft.banner = island.banner();
  }

  /** The report as parsed; title and corruption are decided afterwards by {@link ReportAssessor}. */
  public ReportDraft.Report0 build(ReportContext tree) {
    return visit(tree.family());
  }

  @Override
  public ReportDraft.Report0 visitKasanReport(KasanReportContext ctx) {
    KasanVisitor v = new KasanVisitor(draft);
    v.visit(ctx);
    return draft.finish(v.details());
  }

  @Override
  public ReportDraft.Report0 visitOopsReport(OopsReportContext ctx) {
    OopsHeaderContext h = ctx.oopsHeader();
    OopsVisitor v;
    if (h.warningHeader() != null) {
      v = new WarningVisitor(draft);
    } else if (h.lockdepHeader() != null) {
      v = new LockdepVisitor(draft);
    } else if (h.hungTaskHeader() != null) {
      v = new HangVisitor(draft);
    } else if (h.stallHeader() != null) {
      v = new StallVisitor(draft);
    } else if (h.faultHeader() != null) {
      v = new FaultVisitor(draft);
    } else {
      v = new KernelBugVisitor(draft);
    }
    v.visit(ctx);
    return draft.finish(v.details());
  }

  @Override
  public ReportDraft.Report0 visitKcsanReport(KcsanReportContext ctx) {
    KcsanVisitor v = new KcsanVisitor(draft);
    v.visit(ctx);
    return draft.finish(v.details());
  }

  @Override
  public ReportDraft.Report0 visitKmsanReport(KmsanReportContext ctx) {
    KmsanVisitor v = new KmsanVisitor(draft);
    v.visit(ctx);
    return draft.finish(v.details());
  }

  @Override
  public ReportDraft.Report0 visitKfenceReport(KfenceReportContext ctx) {
    KfenceVisitor v = new KfenceVisitor(draft);
    v.visit(ctx);
    return draft.finish(v.details());
  }

  @Override
  public ReportDraft.Report0 visitUbsanReport(UbsanReportContext ctx) {
    UbsanVisitor v = new UbsanVisitor(draft);
    v.visit(ctx);
    return draft.finish(v.details());
  }
}
