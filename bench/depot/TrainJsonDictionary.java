import com.github.luben.zstd.ZstdDictTrainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains the zstd dictionary the store compresses report JSON with (depot's report-json-1.dict) from
 * report JSON lines ({@code ktriage parse --format jsonl}). Run by bench/depot/train-dict.sh.
 */
public final class TrainJsonDictionary {
  public static void main(String[] args) throws Exception {
    ZstdDictTrainer t = new ZstdDictTrainer(64 << 20, Integer.parseInt(args[2]));
    int n = 0;
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        t.addSample(line.getBytes(StandardCharsets.UTF_8));
        n++;
      }
    }
    byte[] dict = t.trainSamples();
    Files.write(Path.of(args[1]), dict);
    System.out.println("trained a " + dict.length + "-byte dictionary from " + n + " reports");
  }
}
