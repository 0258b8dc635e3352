// Caffeine's throughput on exactly the work `cortado bench` measures: the same
// key streams (read from the files `cortado bench --write-keys DIR` writes and
// checked against their checksums), the same bound and lifetime, the same
// warm cache, the same loops (read: 100% gets; mixed: every tenth operation
// a put), a fresh cache per round.
//
//   java -cp /usr/share/java/caffeine-2.6.2.jar CaffeineThroughput.java KEYS_DIR
//       [--workloads read,mixed] [--threads 1,2] [--warmup SECONDS] [--duration SECONDS] [--rounds N]
//       [--maintenance pool|caller]
//
// Prints JSON: per cell, every round's operations per second and CPU
// nanoseconds per operation (summed over the worker threads, as `cortado
// bench` counts them). The cache is Caffeine's default build (maintenance on
// ForkJoinPool.commonPool(), as an application gets it), bounded by
// maximumSize and expireAfterWrite; `--maintenance caller` runs the
// maintenance on the calling thread instead (executor(Runnable::run)), as
// Cortado does its policy work, to tell how much of Caffeine's lead comes
// from the other core doing that work. Keys and values are pre-boxed Longs, so
// the loop measures the cache, not the allocation of boxes (Caffeine's own
// JMH benchmarks do the same). Before the rounds, every cell runs for
// --warmup seconds so that the JIT has compiled the loops.
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class CaffeineThroughput {
  // Operations between two looks at the clock, as in cortado bench.
  static final int CHUNK = 512;

  static long capacity;
  static double timeToLiveSeconds;
  static int warmUpLength;
  static Long[][] readKeys;
  static Long[][] wideKeys;
  static boolean maintenanceOnCaller = false;

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: CaffeineThroughput KEYS_DIR [--workloads read,mixed] [--threads 1,2]"
          + " [--warmup SECONDS] [--duration SECONDS] [--rounds N]");
      System.exit(2);
    }
    Path directory = Path.of(args[0]);
    String workloads = "read,mixed";
    String threadList = "1,2";
    double warmup = 4;
    double duration = 1;
    int rounds = 5;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--workloads": workloads = args[i + 1]; break;
        case "--threads": threadList = args[i + 1]; break;
        case "--warmup": warmup = Double.parseDouble(args[i + 1]); break;
        case "--duration": duration = Double.parseDouble(args[i + 1]); break;
        case "--rounds": rounds = Integer.parseInt(args[i + 1]); break;
        case "--maintenance":
          if (!args[i + 1].equals("pool") && !args[i + 1].equals("caller")) {
            throw new IllegalArgumentException("--maintenance must be pool or caller");
          }
          maintenanceOnCaller = args[i + 1].equals("caller");
          break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String manifest = Files.readString(directory.resolve("keys.json"));
    capacity = Long.parseLong(field(manifest, "capacity"));
    timeToLiveSeconds = Double.parseDouble(field(manifest, "timeToLiveSeconds"));
    warmUpLength = Integer.parseInt(field(manifest, "warmUpLength"));
    readKeys = load(directory, manifest, "read");
    wideKeys = load(directory, manifest, "wide");

    List<String[]> cells = new ArrayList<>();
    for (String workload : workloads.split(",")) {
      if (!workload.equals("read") && !workload.equals("mixed")) {
        throw new IllegalArgumentException("workload must be read or mixed: " + workload);
      }
      for (String threads : threadList.split(",")) {
        if (Integer.parseInt(threads) > readKeys.length) {
          throw new IllegalArgumentException("the key files hold " + readKeys.length + " threads' streams");
        }
        cells.add(new String[] {workload, threads});
      }
    }
    for (String[] cell : cells) run(cell[0], Integer.parseInt(cell[1]), warmup);
    double[][] rates = new double[cells.size()][rounds];
    double[][] cpu = new double[cells.size()][rounds];
    double[] hitRatios = new double[cells.size()];
    for (int round = 0; round < rounds; round++) {
      for (int c = 0; c < cells.size(); c++) {
        double[] result = run(cells.get(c)[0], Integer.parseInt(cells.get(c)[1]), duration);
        rates[c][round] = result[0];
        cpu[c][round] = result[1];
        hitRatios[c] = result[2];
      }
    }
    // Debian's jar leaves its version out of the manifest: its path names it.
    StringBuilder out = new StringBuilder("{\"peer\":\"caffeine\",\"jar\":\"")
        .append(Caffeine.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .append("\",\"maintenance\":\"").append(maintenanceOnCaller ? "caller" : "pool")
        .append("\",\"java\":\"").append(System.getProperty("java.version")).append("\",\"cells\":[");
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) out.append(",");
      out.append(String.format(Locale.ROOT, "{\"workload\":\"%s\",\"threads\":%s,\"hitRatio\":%.4f,\"rounds\":%s,\"cpuNsPerOp\":%s}",
          cells.get(c)[0], cells.get(c)[1], hitRatios[c], list(rates[c], "%.0f"), list(cpu[c], "%.2f")));
    }
    System.out.println(out.append("]}"));
  }

  /// One run of one cell on a fresh, warmed cache: {ops/s, CPU ns/op, hit ratio}.
  static double[] run(String workload, int threads, double seconds) throws Exception {
    Caffeine<Object, Object> builder = Caffeine.newBuilder()
        .maximumSize(capacity)
        .expireAfterWrite((long) (timeToLiveSeconds * 1e9), TimeUnit.NANOSECONDS);
    if (maintenanceOnCaller) builder.executor(Runnable::run);
    Cache<Long, Long> cache = builder.build();
    Long[][] streams = workload.equals("read") ? readKeys : wideKeys;
    warm(cache, streams);
    long[][] results = new long[threads][];
    Thread[] workers = new Thread[threads];
    // {start, deadline}: set by the barrier's action, which runs when the last
    // worker arrives and before any is released, so thread start-up is not
    // timed (as cortado bench's start gate).
    final long[] window = new long[2];
    CyclicBarrier start = new CyclicBarrier(threads, () -> {
      window[0] = System.nanoTime();
      window[1] = window[0] + (long) (seconds * 1e9);
    });
    for (int t = 0; t < threads; t++) {
      final int thread = t;
      workers[t] = new Thread(() -> {
        try {
          start.await();
          results[thread] = work(cache, workload.equals("mixed"), streams[thread], window[1]);
        } catch (Exception error) {
          throw new RuntimeException(error);
        }
      });
      workers[t].start();
    }
    for (Thread worker : workers) worker.join();
    long begin = window[0];
    long operations = 0, cpuNanos = 0, gets = 0, hits = 0, end = begin;
    for (int t = 0; t < threads; t++) {
      operations += results[t][0];
      cpuNanos += results[t][1];
      gets += results[t][2];
      hits += results[t][3];
      end = Math.max(end, results[t][4]);
    }
    return new double[] {
      operations / ((end - begin) / 1e9), (double) cpuNanos / operations, gets > 0 ? (double) hits / gets : 0
    };
  }

  /// One thread's loop: {operations, CPU ns, gets, hits, end time}.
  static long[] work(Cache<Long, Long> cache, boolean mixed, Long[] keys, long deadline) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long cpuStart = bean.getCurrentThreadCpuTime();
    int mask = keys.length - 1;
    int index = 0;
    long operations = 0, gets = 0, hits = 0, now;
    do {
      if (mixed) {
        int untilSet = 9 - (index % 10);
        for (int i = 0; i < CHUNK; i++) {
          Long key = keys[index & mask];
          if (untilSet == 0) {
            cache.put(key, key);
            untilSet = 9;
          } else {
            if (cache.getIfPresent(key) != null) hits++;
            gets++;
            untilSet--;
          }
          index++;
        }
      } else {
        for (int i = 0; i < CHUNK; i++) {
          if (cache.getIfPresent(keys[index & mask]) != null) hits++;
          index++;
        }
        gets += CHUNK;
      }
      operations += CHUNK;
      now = System.nanoTime();
    } while (now < deadline);
    return new long[] {operations, bean.getCurrentThreadCpuTime() - cpuStart, gets, hits, now};
  }

  /// As cortado bench warms: keys 0..<capacity coldest first, then the head
  /// of every thread's stream read-through.
  static void warm(Cache<Long, Long> cache, Long[][] streams) {
    for (long key = capacity - 1; key >= 0; key--) cache.put(key, key);
    for (Long[] stream : streams) {
      for (int i = 0; i < Math.min(warmUpLength, stream.length); i++) {
        if (cache.getIfPresent(stream[i]) == null) cache.put(stream[i], stream[i]);
      }
    }
    cache.cleanUp();
  }

  static Long[][] load(Path directory, String manifest, String kind) throws IOException {
    Matcher entry = Pattern.compile("\\{\"file\":\\s*\"(" + kind + "-\\d+\\.keys)\",\\s*\"checksum\":\\s*\"(\\d+)\"\\}")
        .matcher(manifest);
    List<Long[]> streams = new ArrayList<>();
    while (entry.find()) {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(directory.resolve(entry.group(1))))
          .order(ByteOrder.LITTLE_ENDIAN);
      Long[] keys = new Long[bytes.remaining() / 8];
      long hash = 0xcbf29ce484222325L;
      for (int i = 0; i < keys.length; i++) {
        long key = bytes.getLong();
        hash = (hash ^ key) * 0x100000001b3L;
        keys[i] = key;
      }
      if (!Long.toUnsignedString(hash).equals(entry.group(2)) || Integer.bitCount(keys.length) != 1) {
        throw new IOException(entry.group(1) + ": checksum or length differs from keys.json; rewrite the keys");
      }
      streams.add(keys);
    }
    if (streams.isEmpty()) throw new IOException("keys.json lists no " + kind + " streams");
    return streams.toArray(new Long[0][]);
  }

  static String field(String json, String name) throws IOException {
    Matcher matcher = Pattern.compile("\"" + name + "\":\\s*\"?([0-9.eE+-]+)").matcher(json);
    if (!matcher.find()) throw new IOException("keys.json has no " + name);
    return matcher.group(1);
  }

  static String list(double[] values, String format) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) text.append(",");
      text.append(String.format(Locale.ROOT, format, values[i]));
    }
    return text.append("]").toString();
  }
}
