package io.lumadb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from Linux's /proc. */
final class ProcStats {
  private ProcStats() {}

  /** utime + stime of a process in clock ticks, or -1. */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is field 3, utime field 14, stime field 15
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A kB figure of /proc/pid/status (VmRSS, VmHWM), or -1. */
  static long statusKb(long pid, String key) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith(key + ":")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /** Resets the process's VmHWM to its current RSS (clear_refs 5); false when not allowed. */
  static boolean resetPeak(long pid) {
    try {
      Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Watches a process from {@link #start} until {@link #stop}: CPU seconds it used, and its
   * peak resident memory (VmHWM after resetting it, and VmRSS sampled every 100 ms, the larger).
   */
  static final class Watch {
    /** What a watch saw: CPU seconds, wall seconds, peak RSS in MiB (-1 when unknown). */
    record Usage(double cpuSeconds, double wallSeconds, double peakRssMiB) {
      double cores() {
        return wallSeconds > 0 ? cpuSeconds / wallSeconds : Double.NaN;
      }
    }

    private final long pid;
    private final int clkTck;
    private final long ticks0;
    private final long start = System.nanoTime();
    private final boolean reset;
    private volatile boolean stopped;
    private volatile long peakKb;
    private final Thread sampler;

    private Watch(long pid, int clkTck) {
      this.pid = pid;
      this.clkTck = clkTck;
      this.reset = resetPeak(pid);
      this.ticks0 = cpuTicks(pid);
      this.peakKb = statusKb(pid, "VmRSS");
      this.sampler = new Thread(() -> {
        while (!stopped) {
          peakKb = Math.max(peakKb, statusKb(pid, "VmRSS"));
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    static Watch start(long pid, int clkTck) {
      return new Watch(pid, clkTck);
    }

    Usage stop() throws InterruptedException {
      stopped = true;
      sampler.interrupt();
      sampler.join();
      double wall = (System.nanoTime() - start) / 1e9;
      long ticks = cpuTicks(pid);
      long peak = Math.max(peakKb, reset ? statusKb(pid, "VmHWM") : -1);
      return new Usage(ticks < 0 || ticks0 < 0 ? Double.NaN : (ticks - ticks0) / (double) clkTck, wall,
          peak < 0 ? -1 : peak / 1024.0);
    }
  }
}
