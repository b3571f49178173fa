package io.lumadb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a result was measured on, from /proc. */
final class Machine {
  private Machine() {}

  /**
   * Median milliseconds of a 4 KiB write followed by {@code FileChannel.force(false)}
   * (fdatasync) in {@code dir}: what every durable commit pays at least once on this disk.
   */
  static double fsyncMillis(Path dir, int rounds) throws IOException {
    Files.createDirectories(dir);
    Path f = dir.resolve("fsync-probe");
    double[] ms = new double[rounds];
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096);
      for (int i = 0; i < rounds; i++) {
        buf.clear();
        long t = System.nanoTime();
        ch.write(buf);
        ch.force(false);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
    } finally {
      Files.deleteIfExists(f);
    }
    java.util.Arrays.sort(ms);
    return ms[rounds / 2];
  }

  /** The 1-minute load average, or NaN where /proc/loadavg is missing. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Like "2 cores (AMD EPYC 7B13), 23.5 GiB memory, Linux 6.1.0". */
  static String describe() {
    int cores = Runtime.getRuntime().availableProcessors();
    String model = "unknown CPU";
    String mem = "unknown memory";
    String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          mem = String.format(Locale.ROOT, "%.1f GiB memory", kb / 1024.0 / 1024.0);
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: keep what we have
    }
    return cores + " cores (" + model + "), " + mem + ", " + kernel;
  }
}
