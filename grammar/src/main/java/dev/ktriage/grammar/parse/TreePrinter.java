package dev.ktriage.grammar.parse;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Prints a parse tree one node a line, indented by depth: rules by name and, for labelled
 * alternatives, with their label ({@code accessLine #accessExact}); tokens by type and text. Line
 * ends and the end of input are left out (every line rule has one), rules that only choose among
 * others are left out for their child, and a text line is shown as its text. For the grammar's
 * goldens.
 */
final class TreePrinter {
  private TreePrinter() {} // no instance

  // Rules that only choose among others or wrap one token: their child is printed in their place.
  private static final java.util.Set<String> TRANSPARENT = java.util.Set.of("family", "kasanSection",
      "kcsanSection", "stackLine", "lineWord", "commWord", "headerWord", "pageLine");

  static String print(ParseTree tree) {
    StringBuilder b = new StringBuilder();
    print(tree, 0, b);
    return b.toString();
  }

  private static void print(ParseTree t, int depth, StringBuilder b) {
    if (t instanceof TerminalNode n) {
      Token tok = n.getSymbol();
      if (tok.getType() == KernelReportLexer.NL || tok.getType() == Token.EOF) {
        return;
      }
      b.append("  ".repeat(depth)).append(KernelReportLexer.VOCABULARY.getSymbolicName(tok.getType()))
          .append(" '").append(tok.getText().replace("\\", "\\\\").replace("'", "\\'")).append("'\n");
      return;
    }
    ParserRuleContext c = (ParserRuleContext) t;
    String rule = KernelReportParser.ruleNames[c.getRuleIndex()];
    if (TRANSPARENT.contains(rule) && c.exception == null) {
      for (int i = 0; i < c.getChildCount(); i++) {
        print(c.getChild(i), depth, b);
      }
      return;
    }
    if (rule.equals("textLine") && c.exception == null) {
      // A sea line: its text, not the lexer's split of it into a first character and the rest.
      String text = c.getText();
      if (text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
      }
      b.append("  ".repeat(depth)).append("textLine '").append(text.replace("\\", "\\\\").replace("'", "\\'"))
          .append("'\n");
      return;
    }
    String cls = c.getClass().getSimpleName();
    String label = Character.toLowerCase(cls.charAt(0)) + cls.substring(1, cls.length() - "Context".length());
    b.append("  ".repeat(depth)).append(rule);
    if (!label.equals(rule)) {
      b.append(" #").append(label);
    }
    if (c.exception != null) {
      b.append(" !error");
    }
    b.append('\n');
    for (int i = 0; i < c.getChildCount(); i++) {
      print(c.getChild(i), depth + 1, b);
    }
  }
}
