package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ktriage completion}: the shell completion script picocli generates from the command model.
 * The script is bash's; zsh runs it through its bash compatibility ({@code bashcompinit}), which the
 * script turns on by itself, so both shells get the same script.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script for ktriage's commands and options.",
      "bash:  ktriage completion bash > ~/.local/share/bash-completion/completions/ktriage",
      "zsh:   ktriage completion zsh > ~/.zsh-ktriage-completion && echo 'source ~/.zsh-ktriage-completion' >> ~/.zshrc",
      "Then open a new shell."
    })
public final class CompletionCommand implements Callable<Integer> {

  /** The shells the script is for. */
  public enum Shell { bash, zsh }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", arity = "0..1", description = "bash (default) or zsh.")
  Shell shell = Shell.bash;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash(root.getCommandName(), root));
    out.flush();
    return ExitCodes.OK;
  }
}
