package io.lumadb.bench;

import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB in process (duckdb_jdbc), a native table in a database file, loaded with its
 * Appender. Each appended batch is flushed, which commits it (DuckDB syncs its WAL on commit),
 * the counterpart of LumaDB's durable append.
 */
final class DuckDbTarget {
  /** What one load into a database file measured. */
  record FullRun(double loadSeconds, long walBytesAfterLoad, double reopenSeconds, long fileBytes) {}

  static String version() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Loads the data into a new database file with {@code writers} appenders (one connection
   * each), automatic checkpoints off so the rows stay in DuckDB's WAL; closes; times the reopen
   * (WAL replay); checks the rows; checkpoints and measures the file.
   */
  FullRun fullRun(Path file, int writers, Dataset data) throws Exception {
    String url = "jdbc:duckdb:" + file;
    double load;
    try (DuckDBConnection conn = (DuckDBConnection) DriverManager.getConnection(url)) {
      try (Statement s = conn.createStatement()) {
        s.execute("SET checkpoint_threshold = '1TB'");
        s.execute("PRAGMA disable_checkpoint_on_shutdown");
        s.execute(CpuTable.createSql("cpu"));
      }
      load = Parallel.run(writers, data.batches(), () -> new Appending(conn), Appending::append);
    }
    Path wal = Path.of(file + ".wal");
    long walBytes = Files.exists(wal) ? Files.size(wal) : 0;
    System.gc();
    long start = System.nanoTime();
    Connection reopened = DriverManager.getConnection(url);
    double reopen = (System.nanoTime() - start) / 1e9;
    try (Statement s = reopened.createStatement()) {
      check(s, "cpu", data);
      s.execute("CHECKPOINT");
    } finally {
      reopened.close();
    }
    long bytes = Files.size(file) + (Files.exists(wal) ? Files.size(wal) : 0);
    return new FullRun(load, walBytes, reopen, bytes);
  }

  /**
   * Loads the data into an in-memory database (one appender, one commit) and returns the
   * memory DuckDB reports for it: the counterpart of LumaDB's hot tier.
   */
  long inMemoryBytes(Dataset data) throws Exception {
    try (DuckDBConnection conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = conn.createStatement()) {
        s.execute(CpuTable.createSql("cpu"));
      }
      Parallel.run(1, data.batches(), () -> new Appending(conn), Appending::append);
      try (Statement s = conn.createStatement()) {
        check(s, "cpu", data);
        try (ResultSet rs = s.executeQuery("SELECT sum(memory_usage_bytes) FROM duckdb_memory()")) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }
  }

  /** Reads LumaDB's warm Parquet files and checks that they hold the data set. */
  static void checkParquet(Path warmDir, Dataset data) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      String files = warmDir.toAbsolutePath().toString().replace("'", "''") + "/**/*.parquet";
      check(s, "read_parquet('" + files + "')", data);
    }
  }

  private static void check(Statement s, String from, Dataset data) throws SQLException {
    try (ResultSet rs = s.executeQuery(
        "SELECT count(*), sum(usage_user), count(DISTINCT hostname), epoch_ms(max(ts)) FROM " + from)) {
      rs.next();
      data.check("DuckDB " + from, rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4));
    }
  }

  /** One writer's connection and appender. */
  static final class Appending implements AutoCloseable {
    private final DuckDBConnection conn;
    private final DuckDBAppender appender;

    Appending(DuckDBConnection shared) throws SQLException {
      this.conn = (DuckDBConnection) shared.duplicate();
      this.appender = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "cpu");
    }

    void append(ColumnBatch b) throws SQLException {
      int n = b.rowCount();
      ColumnReader[] cols = new ColumnReader[CpuTable.COLUMNS];
      for (int c = 0; c < cols.length; c++) {
        cols[c] = b.column(c).view();
      }
      int tags = TsbsCpuGenerator.TAGS.size();
      for (int i = 0; i < n; i++) {
        appender.beginRow();
        appender.appendEpochMicros(cols[0].getLong(i) * 1000); // TIMESTAMP holds microseconds
        for (int c = 1; c <= tags; c++) {
          appender.append((String) cols[c].get(i));
        }
        for (int c = tags + 1; c < cols.length; c++) {
          appender.append(cols[c].getDouble(i));
        }
        appender.endRow();
      }
      appender.flush();
    }

    @Override
    public void close() throws SQLException {
      appender.close();
      conn.close();
    }
  }
}
