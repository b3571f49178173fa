package io.lumadb.bench;

import io.lumadb.storage.wal.FsyncPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The storage benchmark of issue 3: TSBS cpu-only data loaded into LumaDB's storage engine (in
 * process), DuckDB (in process, database file) and PostgreSQL 15 (a server started by
 * {@code bench/run-storage.sh}), on the same data in the same run. Measures ingest throughput,
 * hot-tier and on-disk bytes per sample and the restart (WAL replay) rate, takes medians over
 * several runs and writes a section of {@code bench/RESULTS.md}. See bench/README.md.
 */
public final class StorageBench {
  private static final String LUMA = "LumaDB";
  private static final String DUCK = "DuckDB";
  private static final String PG = "PostgreSQL";

  /** Command-line options; see {@link #usage()}. */
  record Options(int hosts, double hours, long seed, int runs, int writers, int batchRows,
      int sealRows, TsbsCpuGenerator.Values values, Path workDir, String pgUrl, String pgCtl,
      String pgMissing, Path results, String command, String gitRev, String pgSettings) {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    new StorageBench(o).run();
  }

  private final Options o;
  private final Figures figures = new Figures();
  private final List<String> notes = new ArrayList<>();
  private double loadAtStart;
  private double fsyncMillis;

  private StorageBench(Options o) {
    this.o = o;
  }

  private void run() throws Exception {
    Duration duration = Duration.ofSeconds(Math.round(o.hours() * 3600));
    TsbsCpuGenerator.Config config = new TsbsCpuGenerator.Config(o.hosts(),
        TsbsCpuGenerator.DEFAULT_START, duration, TsbsCpuGenerator.DEFAULT_INTERVAL, o.seed(), o.values());
    log("generating %,d rows (%d hosts x %s h, seed %d, %s values)", config.rows(), o.hosts(),
        hours(), o.seed(), o.values().name().toLowerCase(Locale.ROOT));
    long g0 = System.nanoTime();
    Dataset data = Dataset.generate(config, o.batchRows());
    log("generated %,d batches in %.1f s", data.batches().size(), (System.nanoTime() - g0) / 1e9);

    Files.createDirectories(o.workDir());
    LumaStorageTarget luma = new LumaStorageTarget(o.sealRows());
    DuckDbTarget duck = new DuckDbTarget();
    PostgresTarget pg = o.pgUrl() == null ? null : new PostgresTarget(o.pgUrl(), o.pgCtl());
    String duckVersion = DuckDbTarget.version();
    String pgVersion = pg == null ? null : pg.version();

    loadAtStart = Machine.loadAverage();
    fsyncMillis = Machine.fsyncMillis(o.workDir(), 50);
    log("fsync probe: median %.2f ms", fsyncMillis);
    warmUp(luma, duck, data);
    int w = o.writers();
    for (int run = 1; run <= o.runs(); run++) {
      log("run %d of %d", run, o.runs());
      Path dir = o.workDir().resolve("run" + run);
      LumaStorageTarget.deleteTree(dir);
      Files.createDirectories(dir);

      // LumaDB: durable load with W writers, hot tier, restart, warm tier.
      System.gc();
      LumaStorageTarget.FullRun f = luma.fullRun(dir.resolve("luma"), FsyncPolicy.ALWAYS, w, data);
      DuckDbTarget.checkParquet(dir.resolve("luma").resolve("warm"), data);
      LumaStorageTarget.deleteTree(dir.resolve("luma"));
      figures.add(Fig.DURABLE_W, LUMA, data.rows() / f.loadSeconds());
      figures.add(Fig.HOT, LUMA, (double) f.hotBytes() / data.samples());
      figures.add(Fig.HOT_USED, LUMA, (double) f.hotUsedBytes() / data.samples());
      figures.add(Fig.WARM, LUMA, (double) f.warmBytes() / data.samples());
      figures.add(Fig.WARM_COMPACTED, LUMA, (double) f.compactedBytes() / data.samples());
      figures.add(Fig.REPLAY, LUMA, data.rows() / f.replaySeconds());
      figures.add(Fig.WAL_BYTES, LUMA, (double) f.walBytes() / data.samples());
      figures.add(Fig.FSYNCS, LUMA, f.walSyncs());
      log("  LumaDB ALWAYS x%d: %.2f s, hot %,d B (%d segments), replay %.2f s, warm %,d B in %d files "
              + "(compacted %,d B in %d), WAL %,d B, %d fsyncs",
          w, f.loadSeconds(), f.hotBytes(), f.hotSegments(), f.replaySeconds(), f.warmBytes(),
          f.warmFiles(), f.compactedBytes(), f.compactedFiles(), f.walBytes(), f.walSyncs());
      if (run == 1) {
        LumaStorageTarget.HotBreakdown h = f.hot();
        double smp = data.samples();
        notes.add(String.format(Locale.ROOT,
            "LumaDB hot tier: %d sealed segments of %,d-%,d rows (seal_rows %,d); Arrow buffer capacity / used (dictionaries included), bytes per sample: "
                + "ts %.2f / %.2f, the 10 tags %.2f / %.2f, the 10 fields %.2f / %.2f (allocator total %.2f). "
                + "Warm tier: %d Parquet files after flushAll() (one per sealed segment and day), %d after compaction.",
            f.hotSegments(), h.minRows(), h.maxRows(), o.sealRows(), h.timeCapacity() / smp, h.timeUsed() / smp, h.tagCapacity() / smp,
            h.tagUsed() / smp, h.fieldCapacity() / smp, h.fieldUsed() / smp, f.hotBytes() / smp, f.warmFiles(),
            f.compactedFiles()));
      }

      double s = timed("LumaDB ALWAYS x1", () -> luma.load(fresh(dir, "luma1"), FsyncPolicy.ALWAYS, 1, data));
      figures.add(Fig.DURABLE_1, LUMA, data.rows() / s);
      s = timed("LumaDB BATCH x" + w, () -> luma.load(fresh(dir, "lumab"), FsyncPolicy.BATCH, w, data));
      figures.add(Fig.RELAXED_W, LUMA, data.rows() / s);
      s = timed("LumaDB WAL only ALWAYS x" + w, () -> luma.walOnly(fresh(dir, "walonly"), FsyncPolicy.ALWAYS, w, data));
      figures.add(Fig.WAL_ONLY, LUMA, data.rows() / s);
      LumaStorageTarget.deleteTree(dir);
      Files.createDirectories(dir);

      // DuckDB
      System.gc();
      DuckDbTarget.FullRun d = duck.fullRun(dir.resolve("duck-w.db"), w, data);
      figures.add(Fig.DURABLE_W, DUCK, data.rows() / d.loadSeconds());
      figures.add(Fig.WARM, DUCK, (double) d.fileBytes() / data.samples());
      figures.add(Fig.REPLAY, DUCK, data.rows() / d.reopenSeconds());
      figures.add(Fig.WAL_BYTES, DUCK, (double) d.walBytesAfterLoad() / data.samples());
      log("  DuckDB x%d: %.2f s, WAL %,d B, reopen %.2f s, file %,d B", w, d.loadSeconds(),
          d.walBytesAfterLoad(), d.reopenSeconds(), d.fileBytes());
      System.gc();
      DuckDbTarget.FullRun d1 = duck.fullRun(dir.resolve("duck-1.db"), 1, data);
      figures.add(Fig.DURABLE_1, DUCK, data.rows() / d1.loadSeconds());
      log("  DuckDB x1: %.2f s", d1.loadSeconds());
      if (run == 1) {
        System.gc();
        long mem = duck.inMemoryBytes(data);
        figures.add(Fig.HOT, DUCK, (double) mem / data.samples());
        log("  DuckDB in-memory: %,d B", mem);
      }
      LumaStorageTarget.deleteTree(dir);

      // PostgreSQL
      if (pg != null) {
        List<byte[]> copy = PostgresTarget.encode(data);
        System.gc();
        PostgresTarget.Run p = pg.load(copy, w, true, true, data);
        figures.add(Fig.DURABLE_W, PG, data.rows() / p.loadSeconds());
        figures.add(Fig.HOT, PG, (double) p.relationBytes() / data.samples());
        figures.add(Fig.WARM, PG, (double) p.relationBytes() / data.samples());
        figures.add(Fig.REPLAY, PG, data.rows() / p.restartSeconds());
        figures.add(Fig.WAL_BYTES, PG, (double) p.walBytes() / data.samples());
        log("  PostgreSQL x%d: %.2f s, %,d B, WAL %,d B, crash restart %.2f s", w, p.loadSeconds(),
            p.relationBytes(), p.walBytes(), p.restartSeconds());
        System.gc();
        PostgresTarget.Run p1 = pg.load(copy, 1, true, false, data);
        figures.add(Fig.DURABLE_1, PG, data.rows() / p1.loadSeconds());
        log("  PostgreSQL x1: %.2f s", p1.loadSeconds());
        System.gc();
        PostgresTarget.Run pr = pg.load(copy, w, false, false, data);
        figures.add(Fig.RELAXED_W, PG, data.rows() / pr.loadSeconds());
        log("  PostgreSQL x%d synchronous_commit=off: %.2f s", w, pr.loadSeconds());
        pg.dropTable();
      }
    }
    LumaStorageTarget.deleteTree(o.workDir());

    String section = report(data, duckVersion, pgVersion);
    System.out.println();
    System.out.println(section);
    if (o.results() != null) {
      ResultsFile.update(o.results(), sectionKey(), section);
      log("updated %s", o.results());
    }
  }

  /** A short load of part of the data into each in-process system, so the JIT has compiled the paths. */
  /**
   * Untimed passes over part of the data through every in-process path (append, WAL, replay,
   * flush, DuckDB's appender), so that the timed runs measure compiled code.
   */
  private void warmUp(LumaStorageTarget luma, DuckDbTarget duck, Dataset data) throws Exception {
    int n = Math.min(data.batches().size(), Math.max(1, data.batches().size() / 5));
    Dataset part = Dataset.of(data.config(), data.batches().subList(0, n));
    Path dir = o.workDir().resolve("warmup");
    long t0 = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      luma.fullRun(fresh(dir, "a"), FsyncPolicy.BATCH, o.writers(), part);
      luma.walOnly(fresh(dir, "b"), FsyncPolicy.BATCH, o.writers(), part);
    }
    duck.inMemoryBytes(part);
    LumaStorageTarget.deleteTree(dir);
    log("warm-up (%d batches, twice) %.1f s", n, (System.nanoTime() - t0) / 1e9);
  }

  private static Path fresh(Path parent, String name) throws Exception {
    Path p = parent.resolve(name);
    LumaStorageTarget.deleteTree(p);
    Files.createDirectories(p);
    return p;
  }

  @FunctionalInterface
  private interface Timed {
    double run() throws Exception;
  }

  private static double timed(String what, Timed t) throws Exception {
    System.gc();
    double s = t.run();
    log("  %s: %.2f s", what, s);
    return s;
  }

  // ---- report ----

  /** The figures, in report order. */
  enum Fig {
    DURABLE_W, DURABLE_1, RELAXED_W, WAL_ONLY, HOT, HOT_USED, WARM, WARM_COMPACTED, WAL_BYTES, FSYNCS, REPLAY
  }

  /** Values per figure and system, one per run. */
  static final class Figures {
    private final Map<Fig, Map<String, List<Double>>> values = new LinkedHashMap<>();

    void add(Fig fig, String system, double v) {
      values.computeIfAbsent(fig, k -> new LinkedHashMap<>())
          .computeIfAbsent(system, k -> new ArrayList<>()).add(v);
    }

    List<Double> get(Fig fig, String system) {
      return values.getOrDefault(fig, Map.of()).getOrDefault(system, List.of());
    }

    Double median(Fig fig, String system) {
      List<Double> v = new ArrayList<>(get(fig, system));
      if (v.isEmpty()) {
        return null;
      }
      v.sort(null);
      int n = v.size();
      return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }
  }

  private String hours() {
    return o.hours() == Math.rint(o.hours()) ? Long.toString((long) o.hours()) : Double.toString(o.hours());
  }

  private String sectionKey() {
    return "storage hosts=" + o.hosts() + " hours=" + hours() + " values="
        + o.values().name().toLowerCase(Locale.ROOT);
  }

  private String report(Dataset data, String duckVersion, String pgVersion) {
    int w = o.writers();
    StringBuilder b = new StringBuilder();
    b.append("## Storage: ").append(o.hosts()).append(" hosts x ").append(hours()).append(" h (")
        .append(String.format(Locale.ROOT, "%,d rows, %,d samples", data.rows(), data.samples()))
        .append(o.values() == TsbsCpuGenerator.Values.FULL ? ", full-precision values" : "").append(")\n\n");
    b.append("- Date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)")
        .append(o.gitRev() == null ? "" : ", repository at " + o.gitRev()).append('\n');
    b.append("- Machine: ").append(Machine.describe()).append(String.format(Locale.ROOT,
        "; load average %.1f at the start, %.1f at the end (other work shares the machine); "
            + "4 KiB write + fdatasync on the scratch disk: median %.1f ms",
        loadAtStart, Machine.loadAverage(), fsyncMillis)).append('\n');
    b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(", flags `")
        .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("`\n");
    b.append("- Peers: DuckDB ").append(duckVersion).append(" (duckdb_jdbc, in process)")
        .append(pgVersion == null ? ", PostgreSQL not measured: " + o.pgMissing()
            : ", PostgreSQL " + pgVersion + " (" + (o.pgSettings() == null ? "defaults" : o.pgSettings()) + ")")
        .append('\n');
    b.append("- LumaDB storage engine: ").append(storageJar()).append('\n');
    b.append("- Command: `").append(o.command() == null ? "bench/run-storage.sh" : o.command()).append("`\n");
    b.append(String.format(Locale.ROOT,
        "- Data: TSBS cpu-only, seed %d, 10 s interval, from %s, %s values; %,d-row batches (one append / one COPY / one appender flush each); runs: %d, timings are medians (min-max)%n",
        o.seed(), TsbsCpuGenerator.DEFAULT_START, o.values() == TsbsCpuGenerator.Values.TSBS
            ? "whole-number (as TSBS emits them)" : "full-precision", o.batchRows(), o.runs()));
    b.append('\n');
    b.append("| figure | goal | LumaDB | DuckDB | PostgreSQL | LumaDB/DuckDB | LumaDB/PostgreSQL |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    rate(b, Fig.DURABLE_W, "ingest, durable, " + w + " writers (rows/s)", "");
    rate(b, Fig.DURABLE_1, "ingest, durable, 1 writer (rows/s)", "");
    rate(b, Fig.RELAXED_W, "ingest, relaxed fsync, " + w + " writers (rows/s)", "");
    rate(b, Fig.WAL_ONLY, "LumaDB WAL alone, ALWAYS, " + w + " writers (rows/s)", "");
    bytes(b, Fig.HOT, "hot tier / in memory (bytes/sample)", 20.0);
    bytes(b, Fig.HOT_USED, "hot tier, Arrow buffers used (bytes/sample)", null);
    bytes(b, Fig.WARM, "warm tier / on disk (bytes/sample)", 2.0);
    bytes(b, Fig.WARM_COMPACTED, "warm tier after compaction (bytes/sample)", 2.0);
    bytes(b, Fig.WAL_BYTES, "WAL written by the durable load (bytes/sample)", null);
    rate(b, Fig.REPLAY, "restart: rows replayed per second", "≥ 1,000,000");
    b.append('\n');
    b.append(String.format(Locale.ROOT,
        "Samples/s = 10 x rows/s. Ratios: LumaDB divided by the peer (throughput: above 1 means LumaDB is faster; bytes: above 1 means LumaDB is bigger). "
            + "WAL fsyncs of LumaDB's durable %d-writer load: %d (median) for %,d appends.%n",
        w, Math.round(figures.median(Fig.FSYNCS, LUMA)), data.batches().size()));
    b.append('\n');
    b.append("What each system does:\n\n");
    b.append("- **durable**: LumaDB `StorageEngine.append` with `wal_fsync = ALWAYS` (returns after the WAL fsync; concurrent writers share fsyncs); "
        + "DuckDB: one Appender per writer connection, `flush()` per batch (a commit; DuckDB syncs its WAL on commit); "
        + "PostgreSQL: one `COPY FROM STDIN` per batch per connection (a commit with `synchronous_commit = on`).\n");
    b.append("- **relaxed fsync**: LumaDB `BATCH` (WAL fsync every 10 ms in the background); PostgreSQL `synchronous_commit = off`; DuckDB has no such mode.\n");
    b.append("- **WAL alone**: `WriteAheadLog.append` + `awaitDurable` of the same batches, no table: the ceiling of LumaDB's append path.\n");
    b.append("- **hot tier**: LumaDB after `LumaTable.seal()` of everything: `StorageEngine.allocatedBytes()` (Arrow memory allocated); the next line is the sum of the vectors' buffer sizes. "
        + "DuckDB: the same rows in an in-memory database, `sum(memory_usage_bytes)` of `duckdb_memory()`. PostgreSQL: `pg_total_relation_size` (its heap pages are what shared buffers hold).\n");
    b.append("- **warm tier / on disk**: LumaDB: the Parquet files under `<dir>/warm` after `flushAll()`, and again after one `runTiering()` round that compacts each day's files into one (read back with DuckDB's `read_parquet` and checked); "
        + "DuckDB: database file size after `CHECKPOINT`; PostgreSQL: `pg_total_relation_size('cpu')` (no indexes anywhere).\n");
    b.append("- **restart**: LumaDB: `close()` without flushing (rows only in the WAL), then time `StorageEngine.open` (replay, re-sealing into Arrow). "
        + "DuckDB: automatic and shutdown checkpoints off, close, time opening the file (WAL replay). "
        + "PostgreSQL: `pg_ctl stop -m immediate` (a crash), time `pg_ctl start` until a connection succeeds (crash recovery).\n");
    b.append("- Every system's copy is checked after loading (LumaDB's also after the replay and the compaction): row count, sum(usage_user), distinct hostnames and max(ts) equal the generator's.\n");
    for (String n : notes) {
      b.append("- ").append(n).append('\n');
    }
    b.append('\n');
    b.append("<details><summary>every run</summary>\n\n");
    for (Fig f : Fig.values()) {
      for (String sys : List.of(LUMA, DUCK, PG)) {
        List<Double> v = figures.get(f, sys);
        if (!v.isEmpty()) {
          b.append("- ").append(f.name().toLowerCase(Locale.ROOT)).append(' ').append(sys).append(": ");
          List<String> s = new ArrayList<>();
          v.forEach(x -> s.add(num(x)));
          b.append(String.join(", ", s)).append('\n');
        }
      }
    }
    b.append("\n</details>\n");
    return b.toString();
  }

  /** Which build of the storage engine ran: the bench runs against the installed jars. */
  private static String storageJar() {
    try {
      Path p = Path.of(io.lumadb.storage.StorageEngine.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      String home = System.getProperty("user.home");
      String shown = p.toString().startsWith(home) ? "~" + p.toString().substring(home.length()) : p.toString();
      return "`" + shown + "` (built " + Files.getLastModifiedTime(p).toInstant().truncatedTo(ChronoUnit.SECONDS) + ")";
    } catch (Exception e) {
      return "unknown location";
    }
  }

  private void rate(StringBuilder b, Fig fig, String label, String goal) {
    row(b, fig, label, goal, true, fig == Fig.REPLAY ? 1_000_000.0 : null, true);
  }

  private void bytes(StringBuilder b, Fig fig, String label, Double goalMax) {
    row(b, fig, label, goalMax == null ? "" : "≤ " + num(goalMax), false, goalMax, false);
  }

  private void row(StringBuilder b, Fig fig, String label, String goal, boolean spread, Double goalValue,
      boolean higherIsBetter) {
    b.append("| ").append(label).append(" | ").append(goal);
    Double luma = figures.median(fig, LUMA);
    if (goalValue != null && luma != null) {
      boolean met = higherIsBetter ? luma >= goalValue : luma <= goalValue;
      b.append(met ? " (met)" : " (**missed**)");
    }
    b.append(" |");
    for (String sys : List.of(LUMA, DUCK, PG)) {
      b.append(' ').append(cell(fig, sys, spread)).append(" |");
    }
    for (String peer : List.of(DUCK, PG)) {
      Double p = figures.median(fig, peer);
      b.append(' ').append(luma == null || p == null || p == 0 ? "" : String.format(Locale.ROOT, "%.2f", luma / p)).append(" |");
    }
    b.append('\n');
  }

  private String cell(Fig fig, String sys, boolean spread) {
    List<Double> v = figures.get(fig, sys);
    if (v.isEmpty()) {
      return "n/a";
    }
    String m = num(figures.median(fig, sys));
    if (!spread || v.size() < 2) {
      return m;
    }
    return m + " (" + num(v.stream().mapToDouble(x -> x).min().orElse(0)) + "-"
        + num(v.stream().mapToDouble(x -> x).max().orElse(0)) + ")";
  }

  /** Three significant digits for small numbers, grouped whole numbers for large ones. */
  static String num(Double v) {
    if (v == null || v.isNaN()) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,d", Math.round(v));
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String num(double v) {
    return num(Double.valueOf(v));
  }

  private static void log(String fmt, Object... args) {
    System.err.println("[storage-bench] " + String.format(Locale.ROOT, fmt, args));
  }

  // ---- options ----

  private static String usage() {
    return """
        usage: StorageBench [options]   (normally through bench/run-storage.sh)
          --hosts N          hosts (TSBS scale), default 100
          --hours H          hours of data (may be fractional), default 12
          --seed S           generator seed, default 1
          --values tsbs|full whole-number values as TSBS emits them (default) or full precision
          --runs R           runs; timings are medians, default 5
          --writers W        concurrent writers for the multi-writer loads, default 4
          --batch-rows B     rows per append / COPY / appender flush, default 10000
          --seal-rows N      LumaDB seal_rows, default 65536 (the engine's default)
          --work-dir DIR     scratch directory (deleted at the end), required
          --pg-url URL       JDBC URL of the PostgreSQL server (absent: PostgreSQL not measured)
          --pg-ctl SCRIPT    script taking stop-immediate | start, for the crash-restart figure
          --pg-missing WHY   why PostgreSQL is not measured (for the report)
          --pg-settings TXT  non-default PostgreSQL settings (for the report)
          --results FILE     RESULTS.md to update (section replaced or appended)
          --command TXT      the command line to print in the report
          --git-rev TXT      repository revision to print in the report
        """;
  }

  static Options parse(String[] args) {
    Map<String, String> m = Args.parse(args, usage(), List.of(),
        List.of("hosts", "hours", "seed", "values", "runs", "writers", "batch-rows", "seal-rows", "work-dir",
            "pg-url", "pg-ctl", "pg-missing", "pg-settings", "results", "command", "git-rev"),
        List.of("work-dir"));
    if (m.containsKey("pg-url") && !m.containsKey("pg-ctl")) {
      System.err.print("--pg-url needs --pg-ctl\n" + usage());
      System.exit(2);
    }
    return new Options(
        Integer.parseInt(m.getOrDefault("hosts", "100")),
        Double.parseDouble(m.getOrDefault("hours", "12")),
        Long.parseLong(m.getOrDefault("seed", "1")),
        Integer.parseInt(m.getOrDefault("runs", "5")),
        Integer.parseInt(m.getOrDefault("writers", "4")),
        Integer.parseInt(m.getOrDefault("batch-rows", "10000")),
        Integer.parseInt(m.getOrDefault("seal-rows", "65536")),
        TsbsCpuGenerator.Values.valueOf(m.getOrDefault("values", "tsbs").toUpperCase(Locale.ROOT)),
        Path.of(m.get("work-dir")),
        m.get("pg-url"), m.get("pg-ctl"), m.getOrDefault("pg-missing", "no --pg-url given"),
        m.containsKey("results") ? Path.of(m.get("results")) : null,
        m.get("command"), m.get("git-rev"), m.get("pg-settings"));
  }
}
