package dev.ktriage.grammar.parse;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

/**
 * Collects the lexer's and parser's complaints instead of printing them (ANTLR's default listener
 * writes to stderr). The grammar accepts any line, so complaints mean a bug in it; they are counted
 * in {@link ParseStats} and never stop parsing.
 */
final class SyntaxProblems extends BaseErrorListener {

  private final List<String> messages = new ArrayList<>();

  @Override
  public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
      String msg, RecognitionException e) {
    if (messages.size() < 16) {
      messages.add(line + ":" + column + ": " + msg);
    }
  }

  List<String> messages() {
    return messages;
  }
}
