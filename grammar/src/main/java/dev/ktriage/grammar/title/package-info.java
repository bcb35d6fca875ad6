/**
 * syzkaller/syzbot-compatible titles, alternative titles and guilty frames.
 *
 * <p>The rule tables ({@link dev.ktriage.grammar.title.FrameSkipRules}, {@link dev.ktriage.grammar.title.SyscallPrefixes})
 * each keep one commented entry per rule. Layer: uses only {@code dev.ktriage.model}.
 */
package dev.ktriage.grammar.title;
