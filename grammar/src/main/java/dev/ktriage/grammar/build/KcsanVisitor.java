package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.*;
import dev.ktriage.model.AccessOp;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Elision;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KcsanKind;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.ValueChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.antlr.v4.runtime.Token;

/**
 * Builds a KCSAN report (kernel/kcsan/report.c) from its parse tree: the header's pair of
 * functions, each racing access with its stack, the value change and the reporter line.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class KcsanVisitor extends SanitizerVisitor {

  private final List<String> functions = new ArrayList<>();
  private final List<RaceAccess> accesses = new ArrayList<>();
  private boolean unknownOrigin;
  private Optional<ValueChange> valueChange = Optional.empty();
  private Optional<String> reportedBy = Optional.empty();

  KcsanVisitor(ReportDraft draft) {
    super(draft);
  }

  /** The report's KCSAN details, once the tree was visited. */
  KcsanDetails details() {
    KcsanKind kind;
    if (draft.bugType.startsWith("assert")) {
      kind = KcsanKind.ASSERT;
    } else if (functions.size() < 2 || accesses.size() == 1 && unknownOrigin) {
      kind = KcsanKind.UNKNOWN_ORIGIN;
    } else {
      kind = KcsanKind.DATA_RACE;
    }
    return new KcsanDetails(kind, functions, accesses, valueChange, reportedBy);
  }

  @Override
  public Void visitKcsanReport(KcsanReportContext ctx) {
    visit(ctx.kcsanHeader());
    sections(ctx.kcsanSection(), KcsanSectionContext::contextLine);
    return null;
  }

  @Override
  public Void visitKcsanHeaderExact(KcsanHeaderExactContext h) {
    draft.banner = Banner.KCSAN;
    draft.header = draft.lineText(h);
    draft.bugType = Fields.terminals(h.kind.WORD());
    functions.add(Fields.locationFunction(h.first));
    if (h.second != null) {
      functions.add(Fields.locationFunction(h.second));
    }
    return null;
  }

  @Override
  public Void visitKcsanHeaderLoose(KcsanHeaderLooseContext h) {
    looseHeader(h, Banner.KCSAN, h.headerWord());
    return null;
  }

  @Override
  public Void visitRaceAccess(RaceAccessContext r) {
    RaceHeadingContext h = r.raceHeading();
    Token opToken = h.getStart();
    String opText = opToken.getText();
    if (opToken.getType() == KernelReportLexer.KCSAN_UNKNOWN_ORIGIN) {
      unknownOrigin = true;
      opText = opText.substring(opText.indexOf("with ") + 5);
    }
    // The operation token is the kernel's "%s%s%s to " (kcsan/report.c get_access_type()): the
    // access type, then its "(marked)", "(reordered)", "(scoped)" qualifiers.
    String op = opText.substring(0, opText.lastIndexOf(" to ")).strip();
    List<String> qualifiers = new ArrayList<>();
    int paren = op.indexOf(" (");
    String base = paren < 0 ? op : op.substring(0, paren);
    while (paren >= 0) {
      int close = op.indexOf(')', paren);
      if (close < 0) {
        break;
      }
      qualifiers.add(op.substring(paren + 2, close));
      paren = op.indexOf(" (", close);
    }
    AccessOp accessOp = switch (base) {
      case "read" -> AccessOp.READ;
      case "read-write" -> AccessOp.READ_WRITE;
      default -> AccessOp.WRITE; // "write", and the asserts, which forbid writes/accesses by others
    };
    if (base.startsWith("assert")) {
      qualifiers.add(0, base);
    }
    OptionalLong address = OptionalLong.empty();
    OptionalLong size = OptionalLong.empty();
    Optional<TaskRef> task = Optional.empty();
    boolean interrupt = false;
    OptionalInt onCpu = OptionalInt.empty();
    if (h instanceof RaceExactContext e) {
      address = Fields.hex(e.addr.getText());
      size = Fields.decimal(e.size);
      if (e.pid != null) {
        task = Optional.of(new TaskRef("", Fields.integer(e.pid)));
      }
      interrupt = e.BY_INTERRUPT() != null;
      onCpu = Fields.integer(e.cpu);
    } else if (h instanceof RaceLooseContext l) {
      // A damaged access line: the address right after the operation and the size after "of".
      List<LineWordContext> w = l.lineWord();
      for (int i = 0; i < w.size(); i++) {
        LineWordContext t = w.get(i);
        if (i == 0) {
          address = Fields.hex(t.getText());
        } else if (t.OF() != null && i + 1 < w.size()) {
          size = Fields.decimal(w.get(i + 1).getText());
        } else if (t.BY_TASK() != null && i + 1 < w.size()) {
          task = Optional.of(new TaskRef("", Fields.integer(w.get(i + 1).getText())));
        } else if (t.BY_INTERRUPT() != null) {
          interrupt = true;
        } else if (t.ON_CPU() != null && i + 1 < w.size()) {
          onCpu = Fields.integer(w.get(i + 1).getText());
        }
      }
    }
    StackRole role = accesses.isEmpty() ? StackRole.RACE_1 : StackRole.RACE_2;
    accesses.add(new RaceAccess(accessOp, qualifiers, address, size, task, interrupt, onCpu, role));
    StackCollector c = draft.collector();
    c.body(r.stackBody());
    if (c.elided()) {
      draft.elided.add(Elision.FRAMES);
    }
    draft.addStack(new Stack(role, draft.lineText(h), Optional.empty(), c.frames(), false));
    return null;
  }

  @Override
  public Void visitValueChangedExact(ValueChangedExactContext v) {
    valueChange = Optional.of(new ValueChange(v.before.getText(), v.after.getText()));
    return null;
  }

  @Override
  public Void visitValueChangedLoose(ValueChangedLooseContext v) {
    return null;
  }

  @Override
  public Void visitReportedByLine(ReportedByLineContext r) {
    reportedBy = Optional.of(draft.lineText(r).substring(r.REPORTED_BY().getText().length()).strip());
    return null;
  }


  @Override
  public Void visitCallTrace(CallTraceContext c) {
    Token label = c.CALL_TRACE().getSymbol();
    StackCollector s = draft.collector();
    s.body(c.stackBody());
    draft.addStack(new Stack(StackRole.ACCESS, draft.lineTextFrom(label), Optional.empty(), s.frames(), false));
    return null;
  }

  // Frames without a heading in a KCSAN report belong to nothing we know.
  @Override
  public Void visitImplicitTrace(ImplicitTraceContext t) {
    return null;
  }
}
