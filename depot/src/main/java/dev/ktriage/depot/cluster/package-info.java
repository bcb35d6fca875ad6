/**
 * Clustering reports into bugs: an exact-key tier and a position- and IDF-weighted stack-alignment
 * tier, with explanations.
 *
 * <p>Layer: above {@code dev.ktriage.depot.signature}; must not import Lucene or the store package. It
 * keeps its own in-memory inverted index (frame → clusters) for candidate lookup; the store rebuilds it
 * from the documents on open.
 */
package dev.ktriage.depot.cluster;
