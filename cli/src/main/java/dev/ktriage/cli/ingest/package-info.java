/**
 * The ingest pipeline without picocli: which files a path stands for (syzkaller crash directories
 * included), the worker pool that parses them into a store, the commit policy and the progress line.
 * Must not import {@code dev.ktriage.cli.command} or picocli.
 */
package dev.ktriage.cli.ingest;
