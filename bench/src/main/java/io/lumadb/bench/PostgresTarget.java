package io.lumadb.bench;

import io.lumadb.storage.ColumnBatch;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A real PostgreSQL server (started by the bench script), loaded with {@code COPY ... FROM
 * STDIN} through pgjdbc's CopyManager, one COPY (one transaction) per batch. The restart figure
 * stops the server with {@code pg_ctl stop -m immediate} (a crash: the rows are only in its
 * WAL) and times crash recovery until a connection succeeds.
 */
final class PostgresTarget {
  /** What one load measured; {@code restartSeconds} is NaN when the restart was not measured. */
  record Run(double loadSeconds, long relationBytes, long walBytes, double restartSeconds) {}

  private final String url;
  private final String ctlScript;

  /**
   * @param url JDBC URL of the database
   * @param ctlScript a script taking {@code stop-immediate} or {@code start} (without waiting)
   */
  PostgresTarget(String url, String ctlScript) {
    this.url = url;
    this.ctlScript = ctlScript;
  }

  String version() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The COPY input of every batch, encoded before any timing starts. */
  static List<byte[]> encode(Dataset data) {
    List<byte[]> out = new ArrayList<>(data.batches().size());
    for (ColumnBatch b : data.batches()) {
      out.add(CopyText.encode(b));
    }
    return out;
  }

  /**
   * Loads {@code copyInput} into a new table with {@code writers} connections; with
   * {@code durable} false the sessions use {@code synchronous_commit = off} (commits do not
   * wait for the WAL flush, PostgreSQL's counterpart of LumaDB's BATCH policy). With
   * {@code restart} the server is then crashed and restarted and recovery is timed.
   */
  Run load(List<byte[]> copyInput, int writers, boolean durable, boolean restart, Dataset data)
      throws Exception {
    String walStart;
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cpu");
      s.execute(CpuTable.createSql("cpu"));
      s.execute("CHECKPOINT"); // recovery then replays the load and nothing before it
      walStart = walLsn(s);
    }
    double load = Parallel.run(writers, copyInput, () -> new Copying(url, durable), Copying::copy);
    long bytes;
    long walBytes;
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + walStart + "')")) {
        rs.next();
        walBytes = rs.getLong(1);
      }
      check(s, data);
      try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('cpu')")) {
        rs.next();
        bytes = rs.getLong(1);
      }
    }
    double restartSeconds = Double.NaN;
    if (restart) {
      ctl("stop-immediate");
      System.gc();
      long start = System.nanoTime();
      ctl("start");
      Connection c = connectWhenReady(120);
      restartSeconds = (System.nanoTime() - start) / 1e9;
      try (c; Statement s = c.createStatement()) {
        check(s, data);
      }
    }
    return new Run(load, bytes, walBytes, restartSeconds);
  }

  void dropTable() throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS cpu");
      s.execute("CHECKPOINT");
    }
  }

  private Connection connectWhenReady(int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (true) {
      try {
        return DriverManager.getConnection(url);
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(5);
      }
    }
  }

  private void ctl(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(ctlScript, command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(ctlScript + " " + command + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
    }
  }

  private static String walLsn(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void check(Statement s, Dataset data) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*), sum(usage_user), count(DISTINCT hostname), "
        + "(extract(epoch FROM max(ts)) * 1000)::bigint FROM cpu")) {
      rs.next();
      data.check("PostgreSQL", rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4));
    }
  }

  /** One writer's connection. */
  static final class Copying implements AutoCloseable {
    private final Connection conn;
    private final CopyManager copy;

    Copying(String url, boolean durable) throws SQLException {
      conn = DriverManager.getConnection(url);
      if (!durable) {
        try (Statement s = conn.createStatement()) {
          s.execute("SET synchronous_commit = off");
        }
      }
      copy = conn.unwrap(PGConnection.class).getCopyAPI();
    }

    void copy(byte[] input) throws Exception {
      copy.copyIn("COPY cpu FROM STDIN (FORMAT csv)", new java.io.ByteArrayInputStream(input));
    }

    @Override
    public void close() throws SQLException {
      conn.close();
    }
  }
}
