package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code ktriage depot}, {@code ktriage store}): run alone, it
 * prints its usage to stderr and exits as for a usage error, since a group does nothing by itself.
 */
abstract class CommandGroup implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE_OR_INPUT;
  }
}
