/**
 * Where the parsed log meets the symbolizer: opening a vmlinux for a session, turning frames into
 * queries and answers into annotated reports or log lines, and the notices a session collects.
 * Must not import {@code dev.ktriage.cli.command}.
 */
package dev.ktriage.cli.symbolize;
