/**
 * The picocli subcommands, one class each: they read their options, call into the other cli packages
 * and return an exit code from {@link dev.ktriage.cli.ExitCodes}. The work itself lives elsewhere.
 */
package dev.ktriage.cli.command;
