/**
 * Output for people and programs: reports as text, store objects as JSON, source locations, durations.
 * Must not import {@code dev.ktriage.cli.command}.
 */
package dev.ktriage.cli.render;
