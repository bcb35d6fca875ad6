/**
 * Options shared by several commands, as picocli mixins and enums. Must not import
 * {@code dev.ktriage.cli.command}.
 */
package dev.ktriage.cli.option;
