// Replays a text trace (one key per line) through Caffeine and prints its hit
// ratio per capacity as JSON, the way `cortado simulate` replays it: every
// request is a get, and a miss inserts the key.
//
//   java -cp /usr/share/java/caffeine-2.6.2.jar CaffeineReplay.java TRACE CAPACITY[,CAPACITY...] [RUNS]
//
// Maintenance runs on the caller's thread (executor(Runnable::run)), so that
// no eviction is deferred to another thread and every run replays the same
// policy decisions. Caffeine's admission still draws random jitter, so each
// capacity runs RUNS times (default 3) and the median is the figure compared.
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.util.Arrays;

public final class CaffeineReplay {
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: CaffeineReplay TRACE CAPACITY[,CAPACITY...] [RUNS]");
      System.exit(2);
    }
    long[] keys = read(args[0]);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    StringBuilder out = new StringBuilder("[");
    for (String text : args[1].split(",")) {
      long capacity = Long.parseLong(text.trim());
      double[] ratios = new double[runs];
      for (int run = 0; run < runs; run++) ratios[run] = replay(keys, capacity);
      double[] sorted = ratios.clone();
      Arrays.sort(sorted);
      if (out.length() > 1) out.append(",");
      out.append(String.format(
          "{\"policy\":\"caffeine\",\"capacity\":%d,\"requests\":%d,\"hitRatio\":%.6f,\"runs\":%s}",
          capacity, keys.length, sorted[runs / 2], Arrays.toString(ratios)));
    }
    System.out.println(out.append("]"));
  }

  static double replay(long[] keys, long capacity) {
    Cache<Long, Boolean> cache =
        Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    long hits = 0;
    for (long key : keys) {
      Long boxed = key;
      if (cache.getIfPresent(boxed) != null) {
        hits++;
      } else {
        cache.put(boxed, Boolean.TRUE);
      }
    }
    return (double) hits / keys.length;
  }

  // Keys are decimal integers (what `cortado simulate --write-trace` writes);
  // any other line is reduced to a 64-bit hash of its text.
  static long[] read(String path) throws IOException {
    long[] keys = new long[1 << 20];
    int count = 0;
    try (BufferedReader reader = new BufferedReader(new FileReader(path), 1 << 16)) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isEmpty()) continue;
        long key;
        try {
          key = Long.parseUnsignedLong(line.trim());
        } catch (NumberFormatException notANumber) {
          key = line.hashCode() * 0x9E3779B97F4A7C15L ^ line.length();
        }
        if (count == keys.length) keys = Arrays.copyOf(keys, count * 2);
        keys[count++] = key;
      }
    }
    return Arrays.copyOf(keys, count);
  }
}
