package dev.ktriage.depot.cluster;

/**
 * A pair of frames the similarity aligned.
 *
 * @param frame the frame key (equal on both sides)
 * @param position its position in the new report's stack
 * @param otherPosition its position in the cluster's stack
 * @param weight the weight it contributed (position decay times IDF)
 */
public record AlignedFrame(String frame, int position, int otherPosition, double weight) {}
