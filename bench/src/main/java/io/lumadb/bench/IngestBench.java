package io.lumadb.bench;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ingest benchmark (issue 5's "Benchmark (bench/)" and issue 8's remote write loader): a
 * load driver, run in its own JVM by {@code bench/run-ingest.sh}, that POSTs pre-encoded
 * bodies over loopback to a LumaDB server started from its jar:
 *
 * <ul>
 *   <li>Prometheus remote write 1.0 ({@code /api/v1/write}) of TSBS cpu-only rows, one metric
 *       per field ({@link RemoteWriteBodies}), for each request size, with several
 *       connections, for a fixed time; only 204 answers count; 429/503 are retried after
 *       Retry-After (else an exponential backoff from 30 ms) as Prometheus does;</li>
 *   <li>OTLP/HTTP logs ({@code /v1/logs}, protobuf; {@link OtlpLogBodies}); records count when
 *       the answer is 200, minus the rejected ones of {@code partial_success}.</li>
 * </ul>
 *
 * Every body is encoded before its phase is timed. During a phase the server's CPU time
 * ({@code /proc/<pid>/stat} utime + stime) and resident memory (VmHWM after resetting it
 * through {@code clear_refs}, and VmRSS sampled) are measured, and after it SQL over pgwire
 * checks that LumaDB holds exactly the acknowledged samples and records. The same TSBS rows are
 * bulk-loaded in the same run into DuckDB (in process, appender) and PostgreSQL 15 (COPY) for
 * a side-by-side figure. Writes a section of {@code bench/RESULTS.md}. See bench/README.md.
 */
public final class IngestBench {
  private static final String LUMA = "LumaDB";
  private static final String DUCK = "DuckDB";
  private static final String PG = "PostgreSQL";
  private static final int FIELDS = TsbsCpuGenerator.FIELDS.size();

  /** Command-line options; see {@link #usage()}. */
  record Options(int hosts, double duration, double warmup, int runs, int connections,
      List<Integer> batchSamples, int logRecords, int logConnections, long bodyBudgetBytes,
      double peerHours, int peerWriters, long seed, String host, int rwPort, int otlpPort,
      String lumaUrl, long serverPid, int clkTck, Path serverLog, String serverInfo, String lumaJar,
      String pgUrl, String pgMissing, Path workDir, Path results, String command, String gitRev,
      boolean quick, boolean logs) {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    int rc = new IngestBench(o).run();
    System.exit(rc);
  }

  private final Options o;
  /** Values per figure key and system, one per run. */
  private final Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> runLog = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> throttleMessages = new ConcurrentLinkedQueue<>();
  /** Rows (per metric table) and log records LumaDB acknowledged so far, warm-up included. */
  private long ackedRows;
  private long ackedRecords;
  /** Best rate seen so far per phase name, to size the next pool. */
  private final Map<String, Double> lastRate = new LinkedHashMap<>();
  private boolean peakResetWorks;
  private double loadAtStart;
  private double fsyncMillis;
  private long serverHwmAtEnd;
  private String serverOom;

  private IngestBench(Options o) {
    this.o = o;
  }

  // ---- the run ----

  private int run() throws Exception {
    loadAtStart = Machine.loadAverage();
    Files.createDirectories(o.workDir());
    fsyncMillis = Machine.fsyncMillis(o.workDir(), 50);
    peakResetWorks = ProcStats.resetPeak(o.serverPid());
    String lumaVersion = lumaQuery("SELECT version()");
    log("LumaDB %s (pid %d), remote write %s:%d, OTLP/HTTP %s:%d", lumaVersion, o.serverPid(), o.host(),
        o.rwPort(), o.host(), o.otlpPort());
    String duckVersion = DuckDbTarget.version();
    PostgresTarget pg = o.pgUrl() == null ? null : new PostgresTarget(o.pgUrl(), "/bin/false");
    String pgVersion = pg == null ? null : pg.version();

    RemoteWriteBodies rw = new RemoteWriteBodies(new TsbsCpuGenerator.Config(o.hosts(),
        TsbsCpuGenerator.DEFAULT_START, Duration.ofDays(3650), TsbsCpuGenerator.DEFAULT_INTERVAL, o.seed(),
        TsbsCpuGenerator.Values.TSBS));
    OtlpLogBodies logBodies = new OtlpLogBodies(o.seed(), o.logRecords(), 10);

    // The peers' data: the first rows of the same generator (the rows remote write sends first).
    TsbsCpuGenerator.Config peerConfig = new TsbsCpuGenerator.Config(o.hosts(), TsbsCpuGenerator.DEFAULT_START,
        Duration.ofSeconds(Math.round(o.peerHours() * 3600)), TsbsCpuGenerator.DEFAULT_INTERVAL, o.seed(),
        TsbsCpuGenerator.Values.TSBS);
    Dataset peerData = Dataset.generate(peerConfig, 10_000);
    List<byte[]> copyInput = pg == null ? null : PostgresTarget.encode(peerData);
    DuckDbTarget duck = new DuckDbTarget();
    Files.createDirectories(o.workDir());

    // Warm-up: every path once, untimed (JIT, table creation, connection set-up).
    if (o.warmup() > 0) {
      for (int b : o.batchSamples()) {
        Pool p = rwPool(rw, b, (long) (1_000_000 * o.warmup()));
        Phase r = drive("warm-up remote write " + b, p, rwPoster(), o.connections(), o.warmup(), false);
        lastRate.put("rw" + b, r.rate());
        verifyMetrics("after the warm-up");
      }
      if (o.logs()) {
        Pool p = logPool(logBodies, (long) (300_000 * o.warmup()));
        Phase r = drive("warm-up OTLP logs", p, logPoster(), o.logConnections(), o.warmup(), true);
        lastRate.put("logs", r.rate());
        verifyLogs("after the warm-up");
      }
      if (!o.batchSamples().isEmpty()) {
        Dataset part = Dataset.of(peerData.config(),
            peerData.batches().subList(0, Math.max(1, peerData.batches().size() / 5)));
        duck.inMemoryBytes(part);
      }
    }

    for (int run = 1; run <= o.runs(); run++) {
      log("run %d of %d", run, o.runs());
      for (int b : o.batchSamples()) {
        String key = "rw" + b;
        Pool p = rwPool(rw, b, target(key, 100_000));
        Phase r = drive("run " + run + " remote write " + b, p, rwPoster(), o.connections(), o.duration(), false);
        lastRate.put(key, Math.max(lastRate.getOrDefault(key, 0.0), r.rate()));
        record(key, r, p);
        verifyMetrics("after run " + run + ", remote write " + b);
      }
      if (o.logs()) {
        Pool p = logPool(logBodies, target("logs", 50_000));
        Phase r = drive("run " + run + " OTLP logs", p, logPoster(), o.logConnections(), o.duration(), true);
        lastRate.put("logs", Math.max(lastRate.getOrDefault("logs", 0.0), r.rate()));
        record("logs", r, p);
        verifyLogs("after run " + run + ", OTLP logs");
      }
      if (o.batchSamples().isEmpty()) {
        continue; // OTLP logs only: the peers load TSBS rows, compared with remote write
      }
      // The peers, same rows, same run.
      System.gc();
      Path duckFile = o.workDir().resolve("duck-" + run + ".db");
      DuckDbTarget.FullRun d = duck.fullRun(duckFile, o.peerWriters(), peerData);
      Files.deleteIfExists(duckFile);
      Files.deleteIfExists(Path.of(duckFile + ".wal"));
      add("peer", DUCK, peerData.rows() / d.loadSeconds());
      log("  DuckDB appender x%d: %,d rows in %.2f s = %,.0f rows/s", o.peerWriters(), peerData.rows(),
          d.loadSeconds(), peerData.rows() / d.loadSeconds());
      if (pg != null) {
        System.gc();
        PostgresTarget.Run p = pg.load(copyInput, o.peerWriters(), true, false, peerData);
        pg.dropTable();
        add("peer", PG, peerData.rows() / p.loadSeconds());
        log("  PostgreSQL COPY x%d: %,d rows in %.2f s = %,.0f rows/s", o.peerWriters(), peerData.rows(),
            p.loadSeconds(), peerData.rows() / p.loadSeconds());
      }
    }
    serverHwmAtEnd = ProcStats.statusKb(o.serverPid(), "VmHWM");
    if (!ProcStats.alive(o.serverPid())) {
      failures.add("the LumaDB server (pid " + o.serverPid() + ") is no longer running");
    }
    scanServerLog();

    String section = report(lumaVersion, duckVersion, pgVersion, peerData);
    System.out.println();
    System.out.println(section);
    if (o.results() != null) {
      ResultsFile.update(o.results(), sectionKey(), section);
      log("updated %s", o.results());
    }
    return failures.isEmpty() ? 0 : 1;
  }

  /**
   * Items (samples or records) to encode for a timed phase: 3 x the best rate seen so far (the
   * warm-up runs colder than the timed phases) x the duration, at least {@code floorRate} x the
   * duration; {@code --body-budget-mb} caps it.
   */
  private long target(String key, double floorRate) {
    double rate = 3 * lastRate.getOrDefault(key, floorRate);
    return (long) (Math.max(rate, floorRate) * o.duration()) + 1;
  }

  // ---- pools of pre-encoded bodies ----

  /** Bodies encoded before a phase: the bytes, items per body (samples or records) and TSBS rows per body. */
  record Pool(List<byte[]> bodies, int[] items, int[] rows, long totalItems, long compressedBytes, long rawBytes,
      double encodeSeconds, boolean capped) {}

  private Pool rwPool(RemoteWriteBodies rw, int samplesPerRequest, long wantSamples) {
    System.gc();
    long t0 = System.nanoTime();
    List<byte[]> bodies = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    long samples = 0;
    long bytes = 0;
    long raw = 0;
    boolean capped = false;
    while (samples < wantSamples) {
      if (bytes >= o.bodyBudgetBytes()) {
        capped = true;
        break;
      }
      RemoteWriteBodies.Body b = rw.next(samplesPerRequest);
      if (b == null) {
        break;
      }
      bodies.add(b.bytes());
      counts.add(new int[] {b.samples(), b.rows()});
      samples += b.samples();
      bytes += b.bytes().length;
      raw += b.rawBytes();
    }
    int[] items = counts.stream().mapToInt(c -> c[0]).toArray();
    int[] rows = counts.stream().mapToInt(c -> c[1]).toArray();
    double s = (System.nanoTime() - t0) / 1e9;
    log("  encoded %,d remote write bodies of %,d samples: %,d samples, %,d bytes snappy (%,d raw, %.1f B/sample on the wire) in %.1f s%s",
        bodies.size(), samplesPerRequest, samples, bytes, raw, (double) bytes / Math.max(1, samples), s,
        capped ? " (capped by --body-budget-mb)" : "");
    return new Pool(bodies, items, rows, samples, bytes, raw, s, capped);
  }

  private Pool logPool(OtlpLogBodies logs, long wantRecords) {
    System.gc();
    long t0 = System.nanoTime();
    List<byte[]> bodies = new ArrayList<>();
    long records = 0;
    long bytes = 0;
    boolean capped = false;
    while (records < wantRecords) {
      if (bytes >= o.bodyBudgetBytes()) {
        capped = true;
        break;
      }
      byte[] b = logs.next();
      bodies.add(b);
      records += logs.recordsPerRequest();
      bytes += b.length;
    }
    int[] items = new int[bodies.size()];
    Arrays.fill(items, logs.recordsPerRequest());
    double s = (System.nanoTime() - t0) / 1e9;
    log("  encoded %,d OTLP log bodies of %,d records: %,d records, %,d bytes (%.0f B/record) in %.1f s%s",
        bodies.size(), logs.recordsPerRequest(), records, bytes, (double) bytes / Math.max(1, records), s,
        capped ? " (capped by --body-budget-mb)" : "");
    return new Pool(bodies, items, new int[bodies.size()], records, bytes, bytes, s, capped);
  }

  private HttpPoster rwPoster() {
    return new HttpPoster(o.host(), o.rwPort(), "/api/v1/write", "Content-Type: application/x-protobuf\r\n"
        + "Content-Encoding: snappy\r\nX-Prometheus-Remote-Write-Version: 0.1.0\r\n");
  }

  private HttpPoster logPoster() {
    return new HttpPoster(o.host(), o.otlpPort(), "/v1/logs", "Content-Type: application/x-protobuf\r\n");
  }

  // ---- one phase ----

  /** What one phase measured. */
  record Phase(double seconds, long requests, long acked, long ackedRows, long rejectedItems, long throttled,
      double backoffSeconds, long failed, long resent, double slowestWindow, int windowSeconds,
      double serverCpuSeconds, double driverCpuSeconds, long serverPeakKb, long bytesSent) {
    double rate() {
      return acked / seconds;
    }
  }

  private Phase drive(String name, Pool pool, HttpPoster first, int connections, double seconds, boolean otlp)
      throws Exception {
    List<HttpPoster> posters = new ArrayList<>();
    posters.add(first);
    for (int i = 1; i < connections; i++) {
      posters.add(otlp ? logPoster() : rwPoster());
    }
    int n = pool.bodies().size();
    AtomicLong cursor = new AtomicLong();
    LongAdder acked = new LongAdder();
    LongAdder ackedRowsAdder = new LongAdder();
    LongAdder rejected = new LongAdder();
    LongAdder requests = new LongAdder();
    LongAdder throttled = new LongAdder();
    LongAdder backoffNanos = new LongAdder();
    LongAdder failed = new LongAdder();
    LongAdder resent = new LongAdder();
    LongAdder bytesSent = new LongAdder();
    ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicBoolean firstThrottle = new java.util.concurrent.atomic.AtomicBoolean();
    CyclicBarrier ready = new CyclicBarrier(connections + 1);
    long durationNanos = (long) (seconds * 1e9);
    long[] startHolder = new long[1];
    List<Thread> threads = new ArrayList<>();
    for (HttpPoster poster : posters) {
      threads.add(new Thread(() -> {
        try (poster) {
          ready.await();
          ready.await(); // the main thread has taken the start time
          long deadline = startHolder[0] + durationNanos;
          while (System.nanoTime() < deadline) {
            long k = cursor.getAndIncrement();
            int i = (int) (k % n);
            if (k >= n) {
              resent.increment();
            }
            byte[] body = pool.bodies().get(i);
            long backoffMs = 30;
            while (true) {
              HttpPoster.Response resp;
              try {
                resp = poster.post(body);
              } catch (IOException e) {
                failed.increment();
                if (messages.size() < 5) {
                  messages.add("I/O error: " + e);
                }
                Thread.sleep(100);
                break;
              }
              requests.increment();
              bytesSent.add(body.length);
              int st = resp.status();
              if ((!otlp && st == 204) || (otlp && st == 200)) {
                long rej = otlp ? rejectedRecords(resp.body()) : 0;
                acked.add(pool.items()[i] - rej);
                ackedRowsAdder.add(pool.rows()[i]);
                rejected.add(rej);
                if (rej > 0 && messages.size() < 5) {
                  messages.add("partial_success: " + rej + " rejected");
                }
                break;
              }
              if (st == 429 || st == 503) {
                if (firstThrottle.compareAndSet(false, true)) {
                  throttleMessages.add(name + ": first " + st + " (Retry-After " + resp.retryAfterSeconds() + "): "
                      + truncate(errorText(resp, otlp), 300));
                }
                throttled.increment();
                long sleep = resp.retryAfterSeconds() > 0 ? resp.retryAfterSeconds() * 1000L : backoffMs;
                backoffMs = Math.min(backoffMs * 2, 5000);
                if (System.nanoTime() + sleep * 1_000_000 > deadline) {
                  break; // not acknowledged, not counted
                }
                long t = System.nanoTime();
                Thread.sleep(sleep);
                backoffNanos.add(System.nanoTime() - t);
                continue;
              }
              failed.increment();
              if (messages.size() < 5) {
                messages.add("HTTP " + st + ": " + truncate(errorText(resp, otlp), 300));
              }
              break;
            }
          }
        } catch (Exception e) {
          failed.increment();
          messages.add("driver thread failed: " + e);
        }
      }, "ingest-" + threads.size()));
    }
    threads.forEach(Thread::start);
    // Connections are opened lazily by the first POST; open them here, outside the timing.
    ready.await();
    System.gc();
    boolean reset = ProcStats.resetPeak(o.serverPid());
    long serverTicks0 = ProcStats.cpuTicks(o.serverPid());
    long driverTicks0 = ProcStats.cpuTicks(ProcessHandle.current().pid());
    long start = System.nanoTime();
    startHolder[0] = start;
    ready.await();
    // Sample the server's RSS and the acknowledged count every 100 ms until the threads end.
    List<Long> perSecond = new ArrayList<>();
    long peakRss = 0;
    long nextSecond = start + 1_000_000_000L;
    long nextLog = start + 5_000_000_000L;
    long lastLogged = 0;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(100);
      peakRss = Math.max(peakRss, ProcStats.statusKb(o.serverPid(), "VmRSS"));
      long now = System.nanoTime();
      if (now >= nextSecond && now < start + durationNanos + 500_000_000L) {
        perSecond.add(acked.sum());
        nextSecond += 1_000_000_000L;
      }
      if (now >= nextLog) {
        long a = acked.sum();
        log("    %s: %.0f s, %,.0f %s/s over the last 5 s", name, (now - start) / 1e9, (a - lastLogged) / 5.0,
            otlp ? "records" : "samples");
        lastLogged = a;
        nextLog += 5_000_000_000L;
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double serverCpu = (ProcStats.cpuTicks(o.serverPid()) - serverTicks0) / (double) o.clkTck();
    double driverCpu = (ProcStats.cpuTicks(ProcessHandle.current().pid()) - driverTicks0) / (double) o.clkTck();
    long hwm = ProcStats.statusKb(o.serverPid(), "VmHWM");
    long peak = reset ? Math.max(hwm, peakRss) : peakRss;
    // Slowest window of whole seconds (5 s, or half the phase when shorter).
    int window = (int) Math.max(1, Math.min(5, Math.floor(seconds / 2)));
    double slowest = Double.NaN;
    for (int i = window; i <= perSecond.size(); i++) {
      long from = i - window == 0 ? 0 : perSecond.get(i - window - 1);
      double r = (perSecond.get(i - 1) - from) / (double) window;
      slowest = Double.isNaN(slowest) ? r : Math.min(slowest, r);
    }
    Phase p = new Phase(elapsed, requests.sum(), acked.sum(), ackedRowsAdder.sum(), rejected.sum(),
        throttled.sum(), backoffNanos.sum() / 1e9, failed.sum(), resent.sum(), slowest, window, serverCpu,
        driverCpu, peak, bytesSent.sum());
    if (otlp) {
      ackedRecords += p.acked();
    } else {
      ackedRows += p.ackedRows();
    }
    String unit = otlp ? "records" : "samples";
    log("  %s: %,d %s acknowledged in %.2f s = %,.0f %s/s (slowest %d s: %,.0f), %,d requests, %d throttled (429/503), "
            + "%d failed, %d resent; server CPU %.1f s (%.2f cores), peak RSS %,d MiB; driver CPU %.1f s",
        name, p.acked(), unit, elapsed, p.rate(), unit, window, slowest, p.requests(), p.throttled(), p.failed(),
        p.resent(), serverCpu, serverCpu / elapsed, peak / 1024, driverCpu);
    // The rate over each window of the phase, to show whether it holds up.
    List<String> windows = new ArrayList<>();
    for (int i = window; i <= perSecond.size(); i += window) {
      long from = i - window == 0 ? 0 : perSecond.get(i - window - 1);
      windows.add(StorageBench.num((perSecond.get(i - 1) - from) / (double) window));
    }
    runLog.add(String.format(Locale.ROOT, "%s: %,d %s in %.2f s = %s/s (per %d s: %s), %,d requests, "
            + "%d throttled, %d failed, %d resent, server CPU %.1f s, peak RSS %,d MiB, driver CPU %.1f s",
        name, p.acked(), unit, elapsed, StorageBench.num(p.rate()), window, String.join(", ", windows),
        p.requests(), p.throttled(), p.failed(), p.resent(), serverCpu, peak / 1024, driverCpu));
    if (p.failed() > 0 || !messages.isEmpty()) {
      String m = name + ": " + p.failed() + " failed request(s): " + String.join(" | ", messages);
      log("  %s", m);
      if (p.failed() > 0) {
        failures.add(m);
      }
    }
    if (p.resent() > 0) {
      notes.add(name + ": the " + n + " pre-encoded bodies ran out, " + p.resent()
          + " were sent a second time (the same " + (otlp ? "records" : "samples")
          + " again, stored again and counted; raise --body-budget-mb)");
    }
    if (!ProcStats.alive(o.serverPid())) {
      failures.add(name + ": the LumaDB server died");
      throw new IllegalStateException("the LumaDB server (pid " + o.serverPid() + ") died during " + name);
    }
    return p;
  }

  /** An error answer's message: OTLP/HTTP sends a google.rpc.Status, remote write plain text. */
  private static String errorText(HttpPoster.Response resp, boolean otlp) {
    if (otlp) {
      try {
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(resp.body());
        if (!status.getMessage().isEmpty()) {
          return status.getMessage();
        }
      } catch (IOException e) {
        // not protobuf: show the text
      }
    }
    return resp.bodyText();
  }

  private static long rejectedRecords(byte[] body) {
    if (body.length == 0) {
      return 0;
    }
    try {
      ExportLogsServiceResponse r = ExportLogsServiceResponse.parseFrom(body);
      return r.hasPartialSuccess() ? r.getPartialSuccess().getRejectedLogRecords() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private void record(String key, Phase p, Pool pool) {
    add(key + ".rate", LUMA, p.rate());
    add(key + ".slowest", LUMA, p.slowestWindow());
    add(key + ".cores", LUMA, p.serverCpuSeconds() / p.seconds());
    add(key + ".cpuPerM", LUMA, p.serverCpuSeconds() / (p.acked() / 1e6));
    add(key + ".rss", LUMA, p.serverPeakKb() / 1024.0);
    add(key + ".driver", LUMA, p.driverCpuSeconds() / p.seconds());
    add(key + ".throttled", LUMA, p.throttled());
    add(key + ".backoff", LUMA, p.backoffSeconds());
    add(key + ".failed", LUMA, p.failed());
    add(key + ".seconds", LUMA, p.seconds());
    add(key + ".wire", LUMA, (double) pool.compressedBytes() / pool.totalItems());
    add(key + ".mbps", LUMA, p.bytesSent() / p.seconds() / 1e6);
  }

  // ---- checks through SQL ----

  private void verifyMetrics(String when) {
    try (Connection c = DriverManager.getConnection(o.lumaUrl()); Statement s = c.createStatement()) {
      long t0 = System.nanoTime();
      List<String> wrong = new ArrayList<>();
      long total = 0;
      for (String f : TsbsCpuGenerator.FIELDS) {
        String table = "metrics." + RemoteWriteBodies.metric(f);
        long n;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          n = rs.getLong(1);
        }
        total += n;
        if (n != ackedRows) {
          wrong.add(table + " holds " + n);
        }
      }
      if (!wrong.isEmpty()) {
        failures.add("remote write " + when + ": acknowledged " + ackedRows + " samples per metric ("
            + ackedRows * FIELDS + " in all), but " + String.join(", ", wrong));
        log("  CHECK FAILED %s: %s", when, failures.get(failures.size() - 1));
      } else {
        log("  checked %s: the 10 metric tables hold %,d samples = the acknowledged ones (count(*) in %.1f s)",
            when, total, (System.nanoTime() - t0) / 1e9);
      }
    } catch (SQLException e) {
      failures.add("remote write " + when + ": the SQL check failed: " + e.getMessage());
      log("  CHECK FAILED %s: %s", when, e);
    }
  }

  private void verifyLogs(String when) {
    try (Connection c = DriverManager.getConnection(o.lumaUrl()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM otel.logs")) {
      rs.next();
      long n = rs.getLong(1);
      if (n != ackedRecords) {
        failures.add("OTLP logs " + when + ": acknowledged " + ackedRecords + " records, otel.logs holds " + n);
        log("  CHECK FAILED %s", failures.get(failures.size() - 1));
      } else {
        log("  checked %s: otel.logs holds %,d records = the acknowledged ones", when, n);
      }
    } catch (SQLException e) {
      failures.add("OTLP logs " + when + ": the SQL check failed: " + e.getMessage());
      log("  CHECK FAILED %s: %s", when, e);
    }
  }

  private String lumaQuery(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(o.lumaUrl()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Errors and warnings in the server's log (an OutOfMemoryError above all). */
  private void scanServerLog() {
    if (o.serverLog() == null || !Files.exists(o.serverLog())) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(o.serverLog());
      List<String> bad = new ArrayList<>();
      for (String l : lines) {
        if (l.contains("OutOfMemoryError") || l.contains(" ERROR ") || l.contains(" WARN ")) {
          bad.add(l);
        }
      }
      if (lines.stream().anyMatch(l -> l.contains("OutOfMemoryError"))) {
        serverOom = lines.stream().filter(l -> l.contains("OutOfMemoryError")).findFirst().orElse("").strip();
        failures.add("the server ran out of memory; its log says: `" + truncate(String.join(" / ",
            lines.stream().filter(l -> !l.isBlank()).limit(8).toList()), 900).replace('`', '\'') + "`");
      }
      if (!bad.isEmpty()) {
        notes.add(bad.size() + " warning/error line(s) in the server log, the first: `"
            + truncate(bad.get(0), 300).replace('`', '\'') + "`");
      }
    } catch (IOException e) {
      notes.add("could not read the server log: " + e);
    }
  }

  // ---- report ----

  private void add(String key, String system, double v) {
    figures.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(system, k -> new ArrayList<>()).add(v);
  }

  private List<Double> get(String key, String system) {
    return figures.getOrDefault(key, Map.of()).getOrDefault(system, List.of());
  }

  private Double median(String key, String system) {
    List<Double> v = new ArrayList<>(get(key, system));
    v.removeIf(x -> x.isNaN());
    if (v.isEmpty()) {
      return null;
    }
    v.sort(null);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private String cell(String key, String system, double scale) {
    if (key.endsWith(".throttled")) {
      List<Double> c = get(key, system);
      if (c.isEmpty()) {
        return "n/a";
      }
      List<Double> sorted = new ArrayList<>(c);
      sorted.sort(null);
      return String.format(Locale.ROOT, "%d (%d-%d)", Math.round(median(key, system)), Math.round(sorted.get(0)),
          Math.round(sorted.get(sorted.size() - 1)));
    }
    List<Double> v = new ArrayList<>(get(key, system));
    v.removeIf(x -> x.isNaN());
    if (v.isEmpty()) {
      return "n/a";
    }
    String m = StorageBench.num(median(key, system) * scale);
    if (v.size() < 2) {
      return m;
    }
    double min = v.stream().mapToDouble(x -> x).min().orElse(0) * scale;
    double max = v.stream().mapToDouble(x -> x).max().orElse(0) * scale;
    return m + " (" + StorageBench.num(min) + "-" + StorageBench.num(max) + ")";
  }

  private String durationText() {
    double d = o.duration();
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private String sectionKey() {
    return "ingest hosts=" + o.hosts() + " duration=" + durationText();
  }

  /** met / missed for a rate goal that also asks for a duration. */
  private String goal(Double value, double goal, double goalSeconds) {
    if (value == null) {
      return "not measured";
    }
    if (value < goal) {
      return "**missed**";
    }
    if (goalSeconds > 0 && o.duration() < goalSeconds) {
      return String.format(Locale.ROOT, "rate met, but over %s s, not the %.0f s asked for", durationText(), goalSeconds);
    }
    return "met";
  }

  private String report(String lumaVersion, String duckVersion, String pgVersion, Dataset peerData) {
    StringBuilder b = new StringBuilder();
    b.append("## Ingest: remote write and OTLP logs over loopback, ").append(o.hosts()).append(" hosts, ")
        .append(durationText()).append(" s per phase").append(o.quick() ? " (quick)" : "").append("\n\n");
    b.append("- Date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)")
        .append(o.gitRev() == null ? "" : ", repository at " + o.gitRev()).append('\n');
    b.append("- Machine: ").append(Machine.describe()).append(String.format(Locale.ROOT,
        "; load average %.1f at the start, %.1f at the end (other work shares the machine; the load driver runs on the same cores as the server); "
            + "4 KiB write + fdatasync on the scratch disk (where the server's data_dir is): median %.1f ms",
        loadAtStart, Machine.loadAverage(), fsyncMillis)).append('\n');
    b.append("- LumaDB: ").append(lumaVersion).append(", ").append(o.lumaJar() == null ? "" : o.lumaJar())
        .append("; ").append(o.serverInfo() == null ? "" : o.serverInfo()).append('\n');
    b.append("- Load driver: `io.lumadb.bench.IngestBench` in its own JVM (").append(System.getProperty("java.vm.name"))
        .append(' ').append(System.getProperty("java.runtime.version")).append(", flags `")
        .append(String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()))
        .append("`), a minimal blocking HTTP/1.1 client, one keep-alive connection per thread\n");
    b.append("- Peers: DuckDB ").append(duckVersion).append(" (duckdb_jdbc, in the driver's JVM)")
        .append(pgVersion == null ? ", PostgreSQL not measured: " + o.pgMissing()
            : ", PostgreSQL " + pgVersion + " (defaults, started by the script)").append('\n');
    b.append("- Command: `").append(o.command() == null ? "bench/run-ingest.sh" : o.command()).append("`\n");
    b.append(String.format(Locale.ROOT,
        "- Runs: %d; each phase sends for %s s after an untimed warm-up of %s s per phase; figures are medians (min-max over runs)%n",
        o.runs(), durationText(), StorageBench.num(o.warmup())));
    b.append('\n');

    b.append("| figure | goal | LumaDB | DuckDB | PostgreSQL | LumaDB/DuckDB | LumaDB/PostgreSQL |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    Double duck = median("peer", DUCK);
    Double pg = median("peer", PG);
    for (int bs : o.batchSamples()) {
      String k = "rw" + bs;
      String what = String.format(Locale.ROOT, "remote write, %,d samples/request, %d connections", bs, o.connections());
      Double rate = median(k + ".rate", LUMA);
      row(b, what + ": **samples/s**", "≥ 1,000,000 for 60 s: " + goal(rate, 1_000_000, 60),
          cell(k + ".rate", LUMA, 1), peerCell(DUCK, FIELDS), peerCell(PG, FIELDS), ratio(rate, duck, FIELDS),
          ratio(rate, pg, FIELDS));
      row(b, what + ": TSBS rows/s (samples / 10)", "≥ 200,000 (issue 8): " + goal(rate == null ? null : rate / FIELDS, 200_000, 0),
          cell(k + ".rate", LUMA, 1.0 / FIELDS), peerCell(DUCK, 1), peerCell(PG, 1), ratio(rate, duck, FIELDS),
          ratio(rate, pg, FIELDS));
      row(b, what + ": slowest " + windowText() + " (samples/s)", "", cell(k + ".slowest", LUMA, 1), "", "", "", "");
      row(b, what + ": server CPU (cores busy)", "", cell(k + ".cores", LUMA, 1), "", "", "", "");
      row(b, what + ": server CPU s per million samples", "", cell(k + ".cpuPerM", LUMA, 1), "", "", "", "");
      row(b, what + ": server peak RSS (MiB)", "bounded (-Xmx2g)", cell(k + ".rss", LUMA, 1), "", "", "", "");
      row(b, what + ": load driver CPU (cores busy)", "", cell(k + ".driver", LUMA, 1), "", "", "", "");
      row(b, what + ": 429/503 answers (retried)", "", cell(k + ".throttled", LUMA, 1), "", "", "", "");
      row(b, what + ": bytes/sample on the wire (snappy)", "", cell(k + ".wire", LUMA, 1), "", "", "", "");
    }
    if (o.logs()) {
      String what = String.format(Locale.ROOT, "OTLP/HTTP logs, %,d records/request, %d connections", o.logRecords(),
          o.logConnections());
      Double rate = median("logs.rate", LUMA);
      row(b, what + ": **records/s**", "≥ 200,000: " + goal(rate, 200_000, 0), cell("logs.rate", LUMA, 1),
          "n/a", "n/a", "", "");
      row(b, what + ": slowest " + windowText() + " (records/s)", "", cell("logs.slowest", LUMA, 1), "", "", "", "");
      row(b, what + ": server CPU (cores busy)", "", cell("logs.cores", LUMA, 1), "", "", "", "");
      row(b, what + ": server CPU s per million records", "", cell("logs.cpuPerM", LUMA, 1), "", "", "", "");
      row(b, what + ": server peak RSS (MiB)", "bounded (-Xmx2g)", cell("logs.rss", LUMA, 1), "", "", "", "");
      row(b, what + ": load driver CPU (cores busy)", "", cell("logs.driver", LUMA, 1), "", "", "", "");
      row(b, what + ": 429/503 answers (retried)", "", cell("logs.throttled", LUMA, 1), "", "", "", "");
      row(b, what + ": MB/s on the wire", "", cell("logs.mbps", LUMA, 1), "", "", "", "");
    }
    boolean up = ProcStats.alive(o.serverPid());
    row(b, "bounded memory: the server stays up without an OutOfMemoryError", (serverOom == null && up ? "met" : "**missed**")
            + " (server heap as in the LumaDB line above)",
        serverOom != null ? "`" + truncate(serverOom, 80) + "` in the server log" : up ? "no error" : "server gone",
        "", "", "", "");
    b.append('\n');
    b.append(String.format(Locale.ROOT,
        "Server peak RSS over the whole run (VmHWM at the end): %,d MiB; the server %s.%n",
        serverHwmAtEnd / 1024, ProcStats.alive(o.serverPid()) ? "was still running after the last phase" : "**was not running at the end**"));
    b.append('\n');
    b.append("What each column measures (different paths, compare with care):\n\n");
    b.append("- **LumaDB**: a separate JVM POSTs bodies encoded before the phase over loopback: Prometheus remote write 1.0 "
        + "(snappy `prometheus.WriteRequest`, one metric per TSBS field, `cpu_usage_user{arch, datacenter, hostname, os, rack, region, service, "
        + "service_environment, service_version, team}` ..., one series per metric and host with that host's samples of the request's timestamps) "
        + "to `/api/v1/write`, and OTLP/HTTP logs (`ExportLogsServiceRequest`, protobuf, no compression; one resource with service.name, "
        + "body text, severity, 3-4 attributes, half with trace/span ids) to `/v1/logs`. Counted: samples of requests answered 204 and "
        + "records of requests answered 200 (minus `partial_success` rejections); the rate is that count over the time from the start "
        + "until the last request in flight at the deadline has been answered. 429/503 are retried after Retry-After (else 30 ms doubling "
        + "to 5 s), as Prometheus does. The server keeps its defaults (`wal_fsync = \"always\"`: every acknowledged write is fsynced).\n");
    b.append(String.format(Locale.ROOT,
        "- **DuckDB / PostgreSQL**: the first %,d TSBS rows of the same generator (%s h, the rows remote write sent first) as one wide "
        + "row per host and time (`CpuTable`), %,d-row batches, %d writers: DuckDB's Appender in process (`flush()` per batch = a commit), "
        + "PostgreSQL `COPY FROM STDIN` per batch over a local TCP connection (`synchronous_commit = on`). Samples/s = 10 x rows/s. "
        + "Ratios are LumaDB's remote write samples/s over the peer's bulk-load samples/s: above 1 means LumaDB ingests faster. "
        + "These are different paths (HTTP + protobuf + snappy + one row per sample vs an in-process appender vs COPY of wide rows), "
        + "so the ratio says how far remote write is from a bulk load of the same data, not that the engines are compared like for like.%n",
        peerData.rows(), StorageBench.num(o.peerHours()), 10_000, o.peerWriters()));
    b.append("- **server CPU**: utime + stime of the LumaDB process (`/proc/<pid>/stat`) over the phase divided by its wall time "
        + "(2 cores = 2.0). **peak RSS**: " + (peakResetWorks
            ? "VmHWM after resetting it (`clear_refs` 5) at the start of the phase, and VmRSS sampled every 100 ms, the larger"
            : "VmRSS sampled every 100 ms (resetting VmHWM through clear_refs was not allowed)")
        + ". **slowest window**: the lowest rate over " + windowText() + " of whole seconds inside the phase.\n");
    b.append("- **Checks**: after every phase (warm-up included) SQL over pgwire (pgjdbc) counts the rows of the ten "
        + "`metrics.cpu_usage_*` tables and of `otel.logs`: each must equal what LumaDB acknowledged so far. The peers' loads are "
        + "checked by row count, sum(usage_user), distinct hostnames and max(ts).\n");
    for (String n : notes) {
      b.append("- ").append(n).append('\n');
    }
    for (String n : throttleMessages) {
      b.append("- ").append(n.replace("\n", " ")).append('\n');
    }
    b.append('\n');
    if (!failures.isEmpty()) {
      b.append("**Failures**:\n\n");
      for (String f : failures) {
        b.append("- ").append(f.replace("\n", " ")).append('\n');
      }
      b.append('\n');
    } else {
      b.append("No failures: every check passed, no request failed.\n\n");
    }
    b.append("<details><summary>every phase</summary>\n\n");
    for (String l : runLog) {
      b.append("- ").append(l).append('\n');
    }
    for (String sys : List.of(DUCK, PG)) {
      List<Double> v = get("peer", sys);
      if (!v.isEmpty()) {
        List<String> s = new ArrayList<>();
        v.forEach(x -> s.add(StorageBench.num(x)));
        b.append("- ").append(sys).append(" rows/s: ").append(String.join(", ", s)).append('\n');
      }
    }
    b.append("\n</details>\n");
    return b.toString();
  }

  private String windowText() {
    int window = (int) Math.max(1, Math.min(5, Math.floor(o.duration() / 2)));
    return window + " s";
  }

  private String peerCell(String sys, double scale) {
    return cell("peer", sys, scale);
  }

  private static String ratio(Double lumaSamples, Double peerRows, int fields) {
    if (lumaSamples == null || peerRows == null || peerRows == 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%.2f", lumaSamples / (peerRows * fields));
  }

  private static void row(StringBuilder b, String label, String goal, String luma, String duck, String pg,
      String rDuck, String rPg) {
    b.append("| ").append(label).append(" | ").append(goal).append(" | ").append(luma).append(" | ").append(duck)
        .append(" | ").append(pg).append(" | ").append(rDuck).append(" | ").append(rPg).append(" |\n");
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  private static void log(String fmt, Object... args) {
    System.err.println("[ingest-bench] " + String.format(Locale.ROOT, fmt, args));
  }

  // ---- options ----

  private static String usage() {
    return """
        usage: IngestBench [options]   (normally through bench/run-ingest.sh)
          --quick               10 s phases, 5 s warm-up, 6 h of peer data (else 60 s, 10 s, 12 h)
          --duration S          seconds each timed phase sends, default 60
          --warmup S            untimed seconds per phase before the runs, default 10
          --runs R              runs; figures are medians, default 3
          --hosts N             TSBS hosts, default 100
          --connections C       concurrent remote write connections, default 4
          --batch-samples L     samples per remote write request, comma-separated, default 2000,10000;
                                "none": no remote write phases and no peer loads (OTLP logs only)
          --log-records N       log records per OTLP request, default 1000
          --log-connections C   concurrent OTLP connections, default: --connections
          --no-logs             leave the OTLP logs phase out
          --body-budget-mb M    most MB of pre-encoded bodies held at once, default 1024
          --peer-hours H        hours of TSBS data bulk-loaded into DuckDB and PostgreSQL
          --peer-writers W      writers of those loads, default 4
          --seed S              generator seed, default 1
          --host H --rw-port P --otlp-port P   LumaDB's remote write and OTLP/HTTP endpoints (required)
          --luma-url URL        JDBC URL of LumaDB's pgwire endpoint (required)
          --server-pid PID      the LumaDB server process, for CPU and RSS (required)
          --clk-tck N           clock ticks per second of /proc/<pid>/stat, default 100
          --server-log FILE     the server's log, scanned for errors at the end
          --server-info TXT --lumadb-jar TXT   how the server was started (for the report)
          --pg-url URL          JDBC URL of the PostgreSQL server (absent: not measured)
          --pg-missing WHY      why PostgreSQL is not measured
          --work-dir DIR        scratch directory for DuckDB's files (required)
          --results FILE        RESULTS.md to update
          --command TXT --git-rev TXT          for the report
        """;
  }

  static Options parse(String[] args) {
    Map<String, String> m = Args.parse(args, usage(), List.of("quick", "no-logs"),
        List.of("duration", "warmup", "runs", "hosts", "connections", "batch-samples", "log-records",
            "log-connections", "body-budget-mb", "peer-hours", "peer-writers", "seed", "host", "rw-port",
            "otlp-port", "luma-url", "server-pid", "clk-tck", "server-log", "server-info", "lumadb-jar", "pg-url",
            "pg-missing", "work-dir", "results", "command", "git-rev"),
        List.of("rw-port", "otlp-port", "luma-url", "server-pid", "work-dir"));
    boolean quick = m.containsKey("quick");
    int connections = Integer.parseInt(m.getOrDefault("connections", "4"));
    List<Integer> sizes = new ArrayList<>();
    String batchSamples = m.getOrDefault("batch-samples", "2000,10000");
    if (!batchSamples.equals("none")) {
      for (String s : batchSamples.split(",")) {
        sizes.add(Integer.parseInt(s.trim()));
      }
    }
    return new Options(
        Integer.parseInt(m.getOrDefault("hosts", "100")),
        Double.parseDouble(m.getOrDefault("duration", quick ? "10" : "60")),
        Double.parseDouble(m.getOrDefault("warmup", quick ? "5" : "10")),
        Integer.parseInt(m.getOrDefault("runs", "3")),
        connections, List.copyOf(sizes),
        Integer.parseInt(m.getOrDefault("log-records", "1000")),
        Integer.parseInt(m.getOrDefault("log-connections", Integer.toString(connections))),
        Long.parseLong(m.getOrDefault("body-budget-mb", "1024")) << 20,
        Double.parseDouble(m.getOrDefault("peer-hours", quick ? "6" : "12")),
        Integer.parseInt(m.getOrDefault("peer-writers", "4")),
        Long.parseLong(m.getOrDefault("seed", "1")),
        m.getOrDefault("host", "127.0.0.1"),
        Integer.parseInt(m.get("rw-port")), Integer.parseInt(m.get("otlp-port")),
        m.get("luma-url"), Long.parseLong(m.get("server-pid")),
        Integer.parseInt(m.getOrDefault("clk-tck", "100")),
        m.containsKey("server-log") ? Path.of(m.get("server-log")) : null,
        m.get("server-info"), m.get("lumadb-jar"),
        m.get("pg-url"), m.getOrDefault("pg-missing", "no --pg-url given"),
        Path.of(m.get("work-dir")),
        m.containsKey("results") ? Path.of(m.get("results")) : null,
        m.get("command"), m.get("git-rev"), quick, !m.containsKey("no-logs"));
  }
}
