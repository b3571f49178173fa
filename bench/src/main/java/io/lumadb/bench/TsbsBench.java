package io.lumadb.bench;

import io.lumadb.bench.ProcStats.Watch.Usage;
import io.lumadb.bench.TsbsQueries.Query;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * The TSBS {@code cpu-only} benchmark (issue 8), run by {@code bench/run-tsbs.sh}: the same
 * generated rows loaded into LumaDB (COPY over pgwire to a server started from its jar, and
 * again through Prometheus remote write, one metric per field), DuckDB (in process, appender)
 * and PostgreSQL 15 (COPY); then the TSBS query set ({@link TsbsQueries}) run on all three,
 * each query warmed and timed several times, results compared across the systems; then a
 * prepared point query's latency. The LumaDB server's CPU and peak RSS are watched during the
 * load and the queries. Writes a section of {@code bench/RESULTS.md}. See bench/README.md.
 */
public final class TsbsBench {
  private static final String LUMA = "LumaDB";
  private static final String DUCK = "DuckDB";
  private static final String PG = "PostgreSQL";

  record Options(int hosts, double hours, long seed, int runs, int instances, int writers, double budgetSeconds,
      int pointQueries, int rwBatchSamples, boolean remoteWrite, String lumaUrl, long serverPid, int clkTck,
      Path dataDir, String rwHost, int rwPort, String pgUrl, String pgMissing, Path workDir, Path results,
      String command, String gitRev, String serverInfo) {}

  /** Timings (ms) of one query type on one system, or why it has none. */
  record Timing(List<Double> millis, String error) {
    double median() {
      return millis.isEmpty() ? Double.NaN : sorted()[millis.size() / 2];
    }

    double[] sorted() {
      double[] v = millis.stream().mapToDouble(x -> x).toArray();
      Arrays.sort(v);
      return v;
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(new TsbsBench(parse(args)).run());
  }

  private final Options o;
  private final Map<String, Connection> systems = new LinkedHashMap<>();
  private final Map<String, String> versions = new LinkedHashMap<>();
  /** Load seconds per system ("LumaDB remote write" is its own entry). */
  private final Map<String, Double> loadSeconds = new LinkedHashMap<>();
  private final Map<String, Map<String, Timing>> timings = new LinkedHashMap<>();
  /** Per query type: "equal" or what differed. */
  private final Map<String, String> equality = new LinkedHashMap<>();
  private final Map<String, double[]> pointLatency = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private Usage loadUsage;
  private Usage queryUsage;
  private Usage rwUsage;
  private long lumaDiskBytes;
  /** LumaDB's data directory after the queries, when background tiering has had time to flush. */
  private long lumaDiskBytesLater;
  private long duckDiskBytes;
  private long pgDiskBytes;
  private double pgIndexSeconds;
  private boolean wrongAnswers;

  private TsbsBench(Options o) {
    this.o = o;
  }

  private int run() throws Exception {
    double loadAtStart = Machine.loadAverage();
    Files.createDirectories(o.workDir());
    TsbsCpuGenerator.Config config = new TsbsCpuGenerator.Config(o.hosts(), TsbsCpuGenerator.DEFAULT_START,
        Duration.ofSeconds(Math.round(o.hours() * 3600)), TsbsCpuGenerator.DEFAULT_INTERVAL, o.seed(),
        TsbsCpuGenerator.Values.TSBS);
    if (config.duration().toMillis() < TsbsQueries.longestWindowMs()) {
      throw new IllegalArgumentException("--hours must be at least 12: TSBS's longest query window is 12 h");
    }
    long t0 = System.nanoTime();
    Dataset data = Dataset.generate(config, 10_000);
    List<byte[]> copyInput = PostgresTarget.encode(data);
    log("generated %,d rows (%,d samples) in %.1f s", data.rows(), data.samples(), (System.nanoTime() - t0) / 1e9);

    loadLuma(copyInput, data);
    loadDuck(data);
    if (o.pgUrl() != null) {
      loadPostgres(copyInput, data);
    }

    long start = config.start().toEpochMilli();
    TsbsQueries queries = new TsbsQueries(o.hosts(), start, start + config.duration().toMillis(), o.seed());
    warmUp(start, start + config.duration().toMillis());
    Watch watch = new Watch();
    for (String type : TsbsQueries.TYPES) {
      runQueries(type, queries.instances(type, o.instances()));
    }
    queryUsage = watch.stop();
    lumaDiskBytesLater = directoryBytes(o.dataDir());
    for (Map.Entry<String, Connection> s : systems.entrySet()) {
      pointLatency.put(s.getKey(), pointQueries(s.getValue(), data));
    }
    if (o.remoteWrite()) {
      loadRemoteWrite(config, data);
    }
    if (!ProcStats.alive(o.serverPid())) {
      notes.add("**The LumaDB server was not running at the end of the run.**");
    }
    for (Connection c : systems.values()) {
      c.close();
    }
    String section = report(data, loadAtStart);
    if (o.results() != null) {
      ResultsFile.update(o.results(), key(), section);
      log("updated %s (section %s)", o.results(), key());
    }
    System.out.println(section);
    return wrongAnswers ? 1 : 0;
  }

  private String key() {
    return "tsbs hosts=" + o.hosts() + " hours=" + StorageBench.num(o.hours());
  }

  // ---- loads ----

  private void loadLuma(List<byte[]> copyInput, Dataset data) throws Exception {
    Connection c = DriverManager.getConnection(o.lumaUrl());
    systems.put(LUMA, c);
    versions.put(LUMA, scalar(c, "SELECT version()"));
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cpu");
      s.execute(CpuTable.createSql("cpu") + " WITH (timestamp = 'ts')");
    }
    Watch watch = new Watch();
    double seconds = Parallel.run(o.writers(), copyInput, () -> new PostgresTarget.Copying(o.lumaUrl(), true),
        PostgresTarget.Copying::copy);
    loadUsage = watch.stop();
    loadSeconds.put(LUMA, seconds);
    check(LUMA, c, "cpu", data);
    lumaDiskBytes = directoryBytes(o.dataDir());
    log("LumaDB: COPY of %,d rows with %d connections in %.1f s (%,.0f rows/s)", data.rows(), o.writers(), seconds,
        data.rows() / seconds);
  }

  private void loadDuck(Dataset data) throws Exception {
    Path file = o.workDir().resolve("tsbs.duckdb");
    Files.deleteIfExists(file);
    DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file);
    systems.put(DUCK, c);
    versions.put(DUCK, scalar(c, "SELECT version()"));
    try (Statement s = c.createStatement()) {
      s.execute(CpuTable.createSql("cpu"));
    }
    double seconds = Parallel.run(o.writers(), data.batches(), () -> new DuckDbTarget.Appending(c),
        DuckDbTarget.Appending::append);
    loadSeconds.put(DUCK, seconds);
    check(DUCK, c, "cpu", data);
    try (Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    }
    duckDiskBytes = Files.size(file);
    log("DuckDB: appenders, %,d rows in %.1f s", data.rows(), seconds);
  }

  private void loadPostgres(List<byte[]> copyInput, Dataset data) throws Exception {
    PostgresTarget pg = new PostgresTarget(o.pgUrl(), "/bin/false");
    versions.put(PG, pg.version());
    PostgresTarget.Run run = pg.load(copyInput, o.writers(), true, false, data);
    loadSeconds.put(PG, run.loadSeconds());
    Connection c = DriverManager.getConnection(o.pgUrl());
    systems.put(PG, c);
    long t = System.nanoTime();
    try (Statement s = c.createStatement()) {
      // TSBS's TimescaleDB loader creates these two indexes (on its tags id rather than hostname).
      s.execute("CREATE INDEX cpu_hostname_ts ON cpu (hostname, ts DESC)");
      s.execute("CREATE INDEX cpu_ts ON cpu (ts DESC)");
      s.execute("VACUUM ANALYZE cpu");
    }
    pgIndexSeconds = (System.nanoTime() - t) / 1e9;
    pgDiskBytes = Long.parseLong(scalar(c, "SELECT pg_total_relation_size('cpu')"));
    log("PostgreSQL: COPY of %,d rows in %.1f s, indexes and VACUUM ANALYZE %.1f s", data.rows(),
        run.loadSeconds(), pgIndexSeconds);
  }

  /** Posts the data set once as remote write bodies (one metric per field) and checks what LumaDB holds. */
  private void loadRemoteWrite(TsbsCpuGenerator.Config config, Dataset data) throws Exception {
    try (Statement s = systems.get(LUMA).createStatement()) { // a fresh load, also on a reused server
      for (String field : TsbsCpuGenerator.FIELDS) {
        s.execute("DROP TABLE IF EXISTS metrics." + RemoteWriteBodies.metric(field));
      }
    }
    RemoteWriteBodies gen = new RemoteWriteBodies(config);
    List<RemoteWriteBodies.Body> bodies = new ArrayList<>();
    for (RemoteWriteBodies.Body b = gen.next(o.rwBatchSamples()); b != null; b = gen.next(o.rwBatchSamples())) {
      bodies.add(b);
    }
    Watch watch = new Watch();
    double seconds = Parallel.run(o.writers(), bodies, () -> new HttpPoster(o.rwHost(), o.rwPort(), "/api/v1/write",
        "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n"
            + "X-Prometheus-Remote-Write-Version: 0.1.0\r\n"), TsbsBench::postUntilAccepted);
    rwUsage = watch.stop();
    loadSeconds.put(LUMA + " remote write", seconds);
    Connection c = systems.get(LUMA);
    for (String field : TsbsCpuGenerator.FIELDS) {
      long rows = Long.parseLong(scalar(c, "SELECT count(*) FROM metrics." + RemoteWriteBodies.metric(field)));
      if (rows != data.rows()) {
        throw new IllegalStateException("LumaDB holds " + rows + " samples of " + RemoteWriteBodies.metric(field)
            + " after remote write, expected " + data.rows());
      }
    }
    log("LumaDB: remote write of %,d samples (%,d requests of %,d samples) in %.1f s (%,.0f samples/s)",
        data.samples(), bodies.size(), o.rwBatchSamples(), seconds, data.samples() / seconds);
  }

  /** One request, retried after 429/503 as Prometheus retries; any other answer but 204 fails the load. */
  private static void postUntilAccepted(HttpPoster poster, RemoteWriteBodies.Body body) throws Exception {
    long backoffMs = 30;
    while (true) {
      HttpPoster.Response r = poster.post(body.bytes());
      if (r.status() == 204) {
        return;
      }
      if (r.status() != 429 && r.status() != 503) {
        throw new IOException("remote write answered " + r.status() + ": " + r.bodyText());
      }
      Thread.sleep(r.retryAfterSeconds() > 0 ? r.retryAfterSeconds() * 1000L : backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5000);
    }
  }

  /** Throws unless a system holds the data set (rows, sum(usage_user), hosts, max(ts)). */
  private static void check(String system, Connection c, String table, Dataset data) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT count(*), sum(usage_user), count(DISTINCT hostname), max(ts) FROM " + table)) {
      rs.next();
      data.check(system, rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getTimestamp(4).getTime());
    }
  }

  // ---- queries ----

  /**
   * One untimed pass over every query type on every system, with parameter sets of another seed,
   * before any is timed: the timings are of warmed servers (the JVM's JIT, caches), not of the
   * first type run after the load. A failure here is left to the timed run to report.
   */
  private void warmUp(long startMs, long endMs) {
    TsbsQueries other = new TsbsQueries(o.hosts(), startMs, endMs, o.seed() + 1);
    long t0 = System.nanoTime();
    for (Connection c : systems.values()) {
      for (String type : TsbsQueries.TYPES) {
        for (Query q : other.instances(type, 1)) {
          try {
            fetch(c, q.sql());
          } catch (SQLException e) {
            // the timed run reports it
          }
        }
      }
    }
    log("warm-up pass over every query type in %.1f s", (System.nanoTime() - t0) / 1e9);
  }

  private void runQueries(String type, List<Query> instances) {
    Map<String, Timing> byType = new LinkedHashMap<>();
    Map<String, List<List<String>>> answers = new LinkedHashMap<>();
    for (Map.Entry<String, Connection> s : systems.entrySet()) {
      String system = s.getKey();
      Connection c = s.getValue();
      List<List<String>> results = new ArrayList<>();
      List<Double> millis = new ArrayList<>();
      String error = null;
      try {
        for (Query q : instances) { // warm-up, and the answers compared below
          results.add(execute(c, q.sql(), null));
        }
        long deadline = System.nanoTime() + (long) (o.budgetSeconds() * 1e9);
        for (int round = 0; round < o.runs() && (round == 0 || System.nanoTime() < deadline); round++) {
          for (Query q : instances) {
            long t = System.nanoTime();
            fetch(c, q.sql());
            millis.add((System.nanoTime() - t) / 1e6);
          }
        }
        answers.put(system, results);
      } catch (SQLException | RuntimeException e) {
        error = oneLine(e.getMessage());
        log("%s %s failed: %s", system, type, error);
      }
      byType.put(system, new Timing(millis, error));
    }
    timings.put(type, byType);
    equality.put(type, compare(instances, answers));
    log("%-22s %s  [%s]", type, summary(byType), equality.get(type));
  }

  private static String summary(Map<String, Timing> byType) {
    StringBuilder b = new StringBuilder();
    byType.forEach((sys, t) -> b.append(String.format(Locale.ROOT, "%s %s ms  ", sys,
        t.error() != null ? "failed" : StorageBench.num(t.median()))));
    return b.toString().strip();
  }

  /** "equal", or which systems' answers differ from the reference (PostgreSQL, else DuckDB) and how. */
  private String compare(List<Query> instances, Map<String, List<List<String>>> answers) {
    String ref = answers.containsKey(PG) ? PG : answers.containsKey(DUCK) ? DUCK : null;
    if (ref == null || answers.size() < 2) {
      return "not compared (fewer than two systems answered)";
    }
    List<String> diffs = new ArrayList<>();
    for (String sys : answers.keySet()) {
      if (sys.equals(ref)) {
        continue;
      }
      for (int i = 0; i < instances.size(); i++) {
        List<String> want = answers.get(ref).get(i);
        List<String> got = answers.get(sys).get(i);
        if (!want.equals(got)) {
          wrongAnswers = true;
          diffs.add(sys + " differs from " + ref + " on `" + instances.get(i).sql() + "`: " + firstDifference(want, got));
          break;
        }
      }
    }
    long rows = answers.get(ref).stream().mapToLong(List::size).sum();
    return diffs.isEmpty() ? "equal (" + rows + " rows)" : String.join("; ", diffs);
  }

  private static String firstDifference(List<String> want, List<String> got) {
    if (want.size() != got.size()) {
      return got.size() + " rows instead of " + want.size();
    }
    for (int i = 0; i < want.size(); i++) {
      if (!want.get(i).equals(got.get(i))) {
        return "row [" + got.get(i) + "] instead of [" + want.get(i) + "]";
      }
    }
    return "?";
  }

  /**
   * Runs a query and returns its rows in a canonical form, sorted (TSBS's high-cpu queries have
   * no ORDER BY): timestamps as epoch milliseconds, numbers to 10 significant digits (sums and
   * means may differ in the last bits between systems that add in another order).
   */
  private static List<String> execute(Connection c, String sql, Object[] params) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (params != null) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
          types[i] = md.getColumnType(i + 1);
        }
        StringBuilder b = new StringBuilder();
        while (rs.next()) {
          b.setLength(0);
          for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : "|").append(canonical(rs, i + 1, types[i]));
          }
          rows.add(b.toString());
        }
      }
    }
    rows.sort(null);
    return rows;
  }

  /**
   * Runs a query as a client would, reading every value of every row with getObject, and
   * returns the row count. The timed rounds use it: the canonical form {@link #execute} builds to
   * compare answers costs the client more than some queries cost the server.
   */
  private static int fetch(Connection c, String sql) throws SQLException {
    int rows = 0;
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          rs.getObject(i);
        }
        rows++;
      }
    }
    return rows;
  }

  private static String canonical(ResultSet rs, int i, int type) throws SQLException {
    switch (type) {
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE -> {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? "NULL" : Long.toString(t.getTime());
      }
      case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL, Types.BIGINT, Types.INTEGER,
          Types.SMALLINT, Types.TINYINT -> {
        double d = rs.getDouble(i);
        return rs.wasNull() ? "NULL" : String.format(Locale.ROOT, "%.10g", d);
      }
      default -> {
        String s = rs.getString(i);
        return s == null ? "NULL" : s;
      }
    }
  }

  /** Latency (ms) of a prepared point query, one client: p50, p99. */
  private double[] pointQueries(Connection c, Dataset data) throws SQLException {
    SplittableRandom r = new SplittableRandom(o.seed());
    long start = data.config().start().toEpochMilli();
    long steps = data.config().duration().toMillis() / TsbsCpuGenerator.DEFAULT_INTERVAL.toMillis();
    double[] ms = new double[o.pointQueries()];
    int warm = Math.max(50, o.pointQueries() / 5);
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM cpu WHERE hostname = ? AND ts = ?")) {
      for (int i = -warm; i < ms.length; i++) {
        ps.setString(1, "host_" + r.nextInt(o.hosts()));
        ps.setTimestamp(2, new Timestamp(start + r.nextLong(steps) * TsbsCpuGenerator.DEFAULT_INTERVAL.toMillis()));
        long t = System.nanoTime();
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
          }
        }
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t) / 1e6;
        }
        if (rows != 1) {
          throw new IllegalStateException("point query returned " + rows + " rows instead of 1");
        }
      }
    }
    Arrays.sort(ms);
    return new double[] {ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)]};
  }

  // ---- helpers ----

  /** Watches the LumaDB server process. */
  private final class Watch {
    private final ProcStats.Watch w = ProcStats.Watch.start(o.serverPid(), o.clkTck());

    Usage stop() throws InterruptedException {
      return w.stop();
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long directoryBytes(Path dir) throws IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      return -1;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // removed meanwhile (a WAL segment or a compacted file)
        }
      }).sum();
    }
  }

  private static String oneLine(String s) {
    String t = s == null ? "(no message)" : s.replaceAll("\\s+", " ").strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  private static void log(String fmt, Object... args) {
    System.err.println("[tsbs-bench] " + String.format(Locale.ROOT, fmt, args));
  }

  // ---- report ----

  private String report(Dataset data, double loadAtStart) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "## TSBS cpu-only: %d hosts x %s h (%,d rows, %,d samples)%n%n", o.hosts(),
        StorageBench.num(o.hours()), data.rows(), data.samples()));
    b.append("- Date: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)")
        .append(o.gitRev() == null ? "" : ", repository at " + o.gitRev()).append('\n');
    b.append("- Machine: ").append(Machine.describe()).append(String.format(Locale.ROOT,
        "; load average %.1f at the start, %.1f at the end (other work shares the machine)%n", loadAtStart,
        Machine.loadAverage()));
    b.append("- LumaDB: ").append(versions.get(LUMA)).append(", server ")
        .append(o.serverInfo() == null ? "" : o.serverInfo()).append(", queried over pgwire with pgjdbc\n");
    b.append("- Peers: ").append(DUCK).append(' ').append(versions.get(DUCK)).append(" (duckdb_jdbc, in process, "
        + "a database file)").append(", ").append(versions.containsKey(PG) ? PG + " " + versions.get(PG)
            + " (pgjdbc over loopback; indexes on (hostname, ts DESC) and (ts DESC) as TSBS creates them, "
            + "VACUUM ANALYZE after the load)" : PG + ": " + o.pgMissing()).append('\n');
    if (o.command() != null) {
      b.append("- Command: `").append(o.command()).append("`\n");
    }
    b.append(String.format(Locale.ROOT, "- Data: TSBS cpu-only, seed %d, 10 s interval, from %s, whole-number values; "
        + "%d writers load 10,000-row batches%n", o.seed(), data.config().start(), o.writers()));
    b.append(String.format(Locale.ROOT, "- Queries: %d parameter sets per query type (seeded, the same for every "
        + "system), each run once to warm up and to compare answers (after one untimed pass over every query type with other parameters), then timed in up to %d rounds (fewer when a "
        + "type's rounds pass %s s); figures are the median and the range of those timings, in milliseconds, "
        + "fetching every row and reading each value with getObject (the answers are compared from the warm-up round)%n%n", o.instances(), o.runs(), StorageBench.num(o.budgetSeconds())));

    b.append("### Load\n\n| figure | LumaDB | DuckDB | PostgreSQL | LumaDB/DuckDB | LumaDB/PostgreSQL |\n"
        + "|---|---|---|---|---|---|\n");
    Double luma = rate(LUMA, data.rows());
    Double duck = rate(DUCK, data.rows());
    Double pg = rate(PG, data.rows());
    b.append("| rows/s (LumaDB: COPY over pgwire; DuckDB: appender; PostgreSQL: COPY) | ").append(num(luma))
        .append(" | ").append(num(duck)).append(" | ").append(num(pg)).append(" | ").append(ratio(luma, duck))
        .append(" | ").append(ratio(luma, pg)).append(" |\n");
    Double rw = rate(LUMA + " remote write", data.samples());
    if (rw != null) {
      b.append("| LumaDB remote write, samples/s (rows/s) | ").append(num(rw)).append(" (")
          .append(num(rw / TsbsCpuGenerator.FIELDS.size())).append(") | | | ")
          .append(ratio(rw / TsbsCpuGenerator.FIELDS.size(), duck)).append(" | ")
          .append(ratio(rw / TsbsCpuGenerator.FIELDS.size(), pg)).append(" |\n");
    }
    b.append("| bytes on disk per sample | ").append(lumaDiskBytes < 0 ? "n/a" : num((double) lumaDiskBytes / data.samples()))
        .append(" | ").append(num((double) duckDiskBytes / data.samples())).append(" | ")
        .append(pgDiskBytes > 0 ? num((double) pgDiskBytes / data.samples()) : "n/a").append(" | | |\n");
    if (lumaDiskBytesLater > 0) {
      b.append("| LumaDB bytes on disk per sample after the queries | ")
          .append(num((double) lumaDiskBytesLater / data.samples())).append(" | | | | |\n");
    }
    b.append(usageRow("LumaDB server during the COPY load", loadUsage));
    if (rwUsage != null) {
      b.append(usageRow("LumaDB server during the remote write load", rwUsage));
    }
    b.append(usageRow("LumaDB server during the queries", queryUsage));
    b.append("\nGoal (issue 8): ingest at least 200,000 TSBS rows/s (2M samples/s): ")
        .append(luma != null && luma >= 200_000 ? "met" : "missed").append(" by COPY, ")
        .append(rw == null ? "remote write not measured" : rw >= 2_000_000 ? "met by remote write" : "missed by remote write")
        .append(". LumaDB's bytes on disk are its data directory right after the load (the WAL, and Parquet "
            + "files if any were flushed yet) and again after the queries (by then the background tiering has "
            + "flushed to Parquet and trimmed the WAL); DuckDB's file after CHECKPOINT; PostgreSQL's "
            + "pg_total_relation_size with the indexes")
        .append(pgIndexSeconds > 0 ? String.format(Locale.ROOT, " (building them and VACUUM ANALYZE took %.1f s, "
            + "not in its load rate)", pgIndexSeconds) : "").append(".\n\n");

    b.append("### Queries (milliseconds)\n\n| query | LumaDB | DuckDB | PostgreSQL | LumaDB/DuckDB (goal ≤ 1.5) "
        + "| LumaDB/PostgreSQL (goal ≤ 0.1) | answers |\n|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, Map<String, Timing>> e : timings.entrySet()) {
      Map<String, Timing> t = e.getValue();
      Double l = median(t.get(LUMA));
      b.append("| ").append(e.getKey()).append(" | ").append(cell(t.get(LUMA))).append(" | ").append(cell(t.get(DUCK)))
          .append(" | ").append(cell(t.get(PG))).append(" | ").append(goalRatio(l, median(t.get(DUCK)), 1.5))
          .append(" | ").append(goalRatio(l, median(t.get(PG)), 0.1)).append(" | ")
          .append(equality.get(e.getKey()).replace("|", "\\|")).append(" |\n");
    }
    b.append("\nRatios are LumaDB's time divided by the peer's (below 1: LumaDB faster). DuckDB runs in the "
        + "benchmark's JVM, LumaDB and PostgreSQL answer over loopback, so the smallest queries include a "
        + "round trip for them only.\n\n");
    long met = timings.values().stream().filter(t -> {
      Double l = median(t.get(LUMA));
      Double d = median(t.get(DUCK));
      Double p = median(t.get(PG));
      return l != null && d != null && l <= 1.5 * d && (p == null || l <= 0.1 * p);
    }).count();
    b.append(String.format(Locale.ROOT, "Goal (issues 8 and 9: within 1.5x of DuckDB and at least 10x faster than "
        + "PostgreSQL on every query): met on %d of %d queries.%n%n", met, timings.size()));

    b.append("### Point query latency (one client, prepared `SELECT * FROM cpu WHERE hostname = ? AND ts = ?`)\n\n"
        + "| | LumaDB | DuckDB | PostgreSQL |\n|---|---|---|---|\n");
    b.append("| p50 (ms) | ").append(latency(LUMA, 0)).append(" | ").append(latency(DUCK, 0)).append(" | ")
        .append(latency(PG, 0)).append(" |\n");
    b.append("| p99 (ms) | ").append(latency(LUMA, 1)).append(" | ").append(latency(DUCK, 1)).append(" | ")
        .append(latency(PG, 1)).append(" |\n");
    b.append(String.format(Locale.ROOT, "%n%,d queries per system after a warm-up, random host and timestamp.%n",
        o.pointQueries()));
    if (!notes.isEmpty()) {
      b.append('\n');
      notes.forEach(n -> b.append("- ").append(n).append('\n'));
    }
    return b.toString();
  }

  private Double rate(String system, long items) {
    Double s = loadSeconds.get(system);
    return s == null ? null : items / s;
  }

  private String usageRow(String what, Usage u) {
    if (u == null) {
      return "";
    }
    return "| " + what + ": CPU cores used, peak RSS (MiB) | " + String.format(Locale.ROOT, "%.2f", u.cores()) + ", "
        + (u.peakRssMiB() < 0 ? "n/a" : num(u.peakRssMiB())) + " | | | | |\n";
  }

  private String latency(String system, int which) {
    double[] v = pointLatency.get(system);
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v[which]);
  }

  private static Double median(Timing t) {
    return t == null || t.millis().isEmpty() ? null : t.median();
  }

  private static String cell(Timing t) {
    if (t == null) {
      return "n/a";
    }
    if (t.error() != null) {
      return "failed: " + t.error().replace("|", "\\|");
    }
    double[] v = t.sorted();
    return num(t.median()) + " (" + num(v[0]) + "-" + num(v[v.length - 1]) + ")";
  }

  private static String goalRatio(Double luma, Double peer, double goal) {
    if (luma == null || peer == null || peer == 0) {
      return "";
    }
    double r = luma / peer;
    return String.format(Locale.ROOT, "%s (%s)", r >= 100 ? String.format(Locale.ROOT, "%.0f", r)
        : String.format(Locale.ROOT, "%.2f", r), r <= goal ? "met" : "missed");
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? "" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  private static String num(Double v) {
    return StorageBench.num(v);
  }

  // ---- options ----

  private static String usage() {
    return """
        usage: TsbsBench [options]   (normally through bench/run-tsbs.sh)
          --hosts N             TSBS hosts (scale), default 100
          --hours H             hours of data, at least 12 (TSBS's longest window), default 12
          --seed S              seed of the data and of the query parameters, default 1
          --runs R              timed rounds per query type, default 5
          --instances K         parameter sets per query type, default 3
          --budget S            seconds after which a type's timed rounds stop (at least one), default 60
          --writers W           loader connections / appenders, default 4
          --point-queries N     point queries per system, default 1000
          --rw-batch-samples N  samples per remote write request, default 10000
          --no-remote-write     leave the remote write load out
          --luma-url URL        JDBC URL of LumaDB's pgwire endpoint (required)
          --server-pid PID      the LumaDB server process, for CPU and RSS (required)
          --clk-tck N           clock ticks per second of /proc/<pid>/stat, default 100
          --data-dir DIR        LumaDB's data directory, for bytes on disk
          --rw-host H --rw-port P   LumaDB's remote write endpoint (required unless --no-remote-write)
          --pg-url URL          JDBC URL of the PostgreSQL server (absent: not measured)
          --pg-missing WHY      why PostgreSQL is not measured
          --work-dir DIR        scratch directory for DuckDB's file (required)
          --results FILE        RESULTS.md to update
          --command TXT --git-rev TXT --server-info TXT   for the report
        """;
  }

  static Options parse(String[] args) {
    Map<String, String> m = Args.parse(args, usage(), List.of("no-remote-write"),
        List.of("hosts", "hours", "seed", "runs", "instances", "budget", "writers", "point-queries",
            "rw-batch-samples", "luma-url", "server-pid", "clk-tck", "data-dir", "rw-host", "rw-port", "pg-url",
            "pg-missing", "work-dir", "results", "command", "git-rev", "server-info"),
        List.of("luma-url", "server-pid", "work-dir"));
    boolean rw = !m.containsKey("no-remote-write");
    if (rw && !m.containsKey("rw-port")) {
      System.err.print("--rw-port is required unless --no-remote-write\n" + usage());
      System.exit(2);
    }
    return new Options(
        Integer.parseInt(m.getOrDefault("hosts", "100")),
        Double.parseDouble(m.getOrDefault("hours", "12")),
        Long.parseLong(m.getOrDefault("seed", "1")),
        Integer.parseInt(m.getOrDefault("runs", "5")),
        Integer.parseInt(m.getOrDefault("instances", "3")),
        Integer.parseInt(m.getOrDefault("writers", "4")),
        Double.parseDouble(m.getOrDefault("budget", "60")),
        Integer.parseInt(m.getOrDefault("point-queries", "1000")),
        Integer.parseInt(m.getOrDefault("rw-batch-samples", "10000")),
        rw, m.get("luma-url"), Long.parseLong(m.get("server-pid")),
        Integer.parseInt(m.getOrDefault("clk-tck", "100")),
        m.containsKey("data-dir") ? Path.of(m.get("data-dir")) : null,
        m.getOrDefault("rw-host", "127.0.0.1"), rw ? Integer.parseInt(m.get("rw-port")) : 0,
        m.get("pg-url"), m.getOrDefault("pg-missing", "no --pg-url given"),
        Path.of(m.get("work-dir")),
        m.containsKey("results") ? Path.of(m.get("results")) : null,
        m.get("command"), m.get("git-rev"), m.get("server-info"));
  }
}
