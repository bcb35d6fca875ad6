/**
 * Console logs as lines: reading bytes in bounded memory, stripping and decoding console prefixes
 * (syslog levels, timestamps, printk caller ids, dmesg -T/-x, syslog/journald), sanitizing text.
 *
 * <p>Layer: below the report grammar; imports only the JDK and {@code dev.ktriage.model}.
 */
package dev.ktriage.grammar.log;
