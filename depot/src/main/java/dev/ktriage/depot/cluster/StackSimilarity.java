package dev.ktriage.depot.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Position- and IDF-weighted global alignment of two stacks, in the spirit of TraceSim (Vasiliev et al.
 * 2020) and FaST (Rodrigues et al. 2022).
 *
 * <p>A frame at position {@code i} weighs {@code exp(-i / decay) * idf(frame)}: frames near the top
 * decide, and frames every bug passes through (syscall entry, work runners) count little. An alignment
 * matches equal frames in order; a matched pair gains the weights of both sides, scaled down by
 * {@code exp(-|i - j| / shift)} when the frames sit at different depths (ReBucket's offset penalty).
 * The similarity is the best alignment's gain divided by the weight of both stacks: 1 for equal stacks,
 * 0 for stacks with nothing in common. Only the first {@link #MAX_FRAMES} frames are compared.
 *
 * <p>Immutable and thread-safe.
 */
public final class StackSimilarity {
  /** Frames compared per stack. */
  public static final int MAX_FRAMES = 24;

  private final double decay;
  private final double shift;

  /**
   * @param decay position decay length in frames (larger: deeper frames matter more)
   * @param shift depth-difference penalty length in frames
   */
  public StackSimilarity(double decay, double shift) {
    this.decay = decay;
    this.shift = shift;
  }

  /** The default parameters: decay 4 frames, shift 3 frames. */
  public static StackSimilarity standard() {
    return new StackSimilarity(4.0, 3.0);
  }

  /** A similarity with its alignment. */
  public record Result(double score, List<AlignedFrame> aligned) {}

  /** Similarity of stacks {@code a} and {@code b} (frame keys, innermost first). */
  public Result compare(List<String> a, List<String> b, ToDoubleFunction<String> idf) {
    int n = Math.min(a.size(), MAX_FRAMES);
    int m = Math.min(b.size(), MAX_FRAMES);
    if (n == 0 || m == 0) {
      return new Result(0, List.of());
    }
    double[] wa = new double[n];
    double[] wb = new double[m];
    double total = 0;
    for (int i = 0; i < n; i++) {
      wa[i] = Math.exp(-i / decay) * idf.applyAsDouble(a.get(i));
      total += wa[i];
    }
    for (int j = 0; j < m; j++) {
      wb[j] = Math.exp(-j / decay) * idf.applyAsDouble(b.get(j));
      total += wb[j];
    }
    if (total <= 0) {
      return new Result(0, List.of());
    }
    // dp[i][j] = best gain aligning a[i..] with b[j..]
    double[][] dp = new double[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        double best = Math.max(dp[i + 1][j], dp[i][j + 1]);
        if (a.get(i).equals(b.get(j))) {
          best = Math.max(best, gain(wa[i], wb[j], i, j) + dp[i + 1][j + 1]);
        }
        dp[i][j] = best;
      }
    }
    List<AlignedFrame> aligned = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n && j < m) {
      if (a.get(i).equals(b.get(j)) && dp[i][j] == gain(wa[i], wb[j], i, j) + dp[i + 1][j + 1]) {
        aligned.add(new AlignedFrame(a.get(i), i, j, gain(wa[i], wb[j], i, j) / total));
        i++;
        j++;
      } else if (dp[i][j] == dp[i + 1][j]) {
        i++;
      } else {
        j++;
      }
    }
    return new Result(Math.min(1.0, dp[0][0] / total), aligned);
  }

  private double gain(double wi, double wj, int i, int j) {
    return (wi + wj) * Math.exp(-Math.abs(i - j) / shift);
  }
}
