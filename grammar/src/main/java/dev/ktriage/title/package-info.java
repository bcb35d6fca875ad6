/**
 * syzkaller/syzbot-compatible titles, alternative titles and guilty frames.
 *
 * <p>The rule tables ({@link dev.ktriage.title.FrameSkipRules}, {@link dev.ktriage.title.SyscallPrefixes})
 * each keep one commented entry per rule. Layer: uses only {@code dev.ktriage.model}.
 */
package dev.ktriage.title;
