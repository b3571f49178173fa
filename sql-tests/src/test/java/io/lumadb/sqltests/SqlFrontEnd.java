package io.lumadb.sqltests;

import java.util.List;

/**
 * One way into a database under test: it executes SQL text and gives back rows as strings or the
 * error. pgwire through pgjdbc ({@link JdbcFrontEnd}) today; Avatica JDBC (another
 * {@link JdbcFrontEnd}) and the gRPC QueryService plug in here later. The sqllogictest runner
 * only sees this interface.
 */
public interface SqlFrontEnd extends AutoCloseable {

  /** Runs one SQL text; SQL errors come back as {@link Failed}, never as exceptions. */
  Outcome execute(String sql);

  /** A short name for reports, such as {@code pgwire}. */
  String name();

  @Override
  void close();

  /** What one SQL text did. */
  sealed interface Outcome permits Rows, Done, Failed {}

  /**
   * A result set. Each value is the database's text form (PostgreSQL's text output for pgwire), or
   * {@code null} for SQL NULL.
   */
  record Rows(List<String> columnNames, List<List<String>> rows) implements Outcome {
    public int columnCount() {
      return columnNames.size();
    }
  }

  /** A statement without a result set. */
  record Done(long updateCount) implements Outcome {}

  /** An error, with its SQLSTATE (may be null if the front end has none) and message. */
  record Failed(String sqlState, String message) implements Outcome {}
}
