package io.lumadb.sqltests;

import io.lumadb.server.testing.PostgresTestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A front end reached through a JDBC driver: pgjdbc for pgwire now, Avatica's remote driver later.
 * Values are read with {@code getString}, which for pgjdbc is the server's text output unchanged.
 * If the connection breaks (the server closed it), the next statement reconnects.
 */
public final class JdbcFrontEnd implements SqlFrontEnd {
  private final String name;
  private final String url;
  private final Properties properties;
  private final int queryTimeoutSeconds;
  private final boolean pgText;
  private Connection connection;

  public JdbcFrontEnd(String name, String url, Properties properties, int queryTimeoutSeconds) {
    this(name, url, properties, queryTimeoutSeconds, false);
  }

  /**
   * @param pgText print values from {@code getObject} as PostgreSQL prints them (for drivers
   *     whose {@code getString} is not the server's text, such as Avatica's)
   */
  public JdbcFrontEnd(String name, String url, Properties properties, int queryTimeoutSeconds, boolean pgText) {
    this.name = name;
    this.url = url;
    this.properties = properties;
    this.queryTimeoutSeconds = queryTimeoutSeconds;
    this.pgText = pgText;
  }

  /** Avatica's remote JDBC driver (protobuf, HTTP Basic) to LumaDB's Avatica endpoint. */
  public static JdbcFrontEnd avatica(int port, String user, String password) {
    Properties p = new Properties();
    p.setProperty("avatica_user", user);
    p.setProperty("avatica_password", password);
    return new JdbcFrontEnd("avatica", "jdbc:avatica:remote:url=http://127.0.0.1:" + port
        + ";serialization=protobuf;authentication=BASIC", p, 60, true);
  }

  private java.time.ZoneId sessionZone() throws SQLException {
    try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery("SHOW TimeZone")) {
      rs.next();
      return java.time.ZoneId.of(rs.getString(1));
    }
  }

  /** @param zone for a timestamptz column, the session's time zone it prints in; else null */
  private String value(ResultSet rs, int column, java.time.ZoneId zone) throws SQLException {
    if (!pgText) {
      return rs.getString(column);
    }
    Object v = rs.getObject(column);
    if (v instanceof java.sql.Timestamp ts && zone != null) {
      return io.lumadb.pgwire.PgText.format(ts.toInstant(), zone);
    }
    if (v instanceof java.sql.Timestamp ts) {
      v = ts.toLocalDateTime();
    } else if (v instanceof java.sql.Date d) {
      v = d.toLocalDate();
    } else if (v instanceof java.sql.Time t) {
      v = t.toLocalTime();
    } else if (v instanceof java.sql.Array a) {
      v = java.util.Arrays.asList((Object[]) a.getArray());
    }
    return io.lumadb.pgwire.PgText.format(v);
  }

  /** pgjdbc to a PostgreSQL-protocol server on loopback. */
  /** pgjdbc to a real PostgreSQL's database {@code default} as {@code lumadb}, as for LumaDB. */
  public static JdbcFrontEnd postgres(PostgresTestServer pg) {
    return pgwire(pg.port(), PostgresTestServer.DATABASE, PostgresTestServer.USER, PostgresTestServer.PASSWORD);
  }

  public static JdbcFrontEnd pgwire(int port, String database, String user, String password) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "120");
    return new JdbcFrontEnd("pgwire", "jdbc:postgresql://127.0.0.1:" + port + "/" + database, p, 60);
  }

  @Override
  public String name() {
    return name;
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(url, properties);
    }
    return connection;
  }

  @Override
  public Outcome execute(String sql) {
    try (Statement st = connection().createStatement()) {
      st.setQueryTimeout(queryTimeoutSeconds);
      if (!st.execute(sql)) {
        return new Done(st.getUpdateCount());
      }
      try (ResultSet rs = st.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          names.add(md.getColumnLabel(i));
        }
        java.time.ZoneId zone = null; // the session's TimeZone, asked once a timestamptz column comes
        for (int i = 1; pgText && zone == null && i <= n; i++) {
          if (md.getColumnTypeName(i).equals("TIMESTAMP WITH TIME ZONE")) {
            zone = sessionZone();
          }
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(value(rs, i, zone != null && md.getColumnTypeName(i).equals("TIMESTAMP WITH TIME ZONE") ? zone : null));
          }
          rows.add(row);
        }
        return new Rows(names, rows);
      }
    } catch (SQLException e) {
      dropIfBroken();
      return new Failed(e.getSQLState(), String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      // A driver-side failure (e.g. a value it cannot decode) is the statement's failure too.
      dropIfBroken();
      return new Failed(null, e.toString());
    }
  }

  private void dropIfBroken() {
    try {
      if (connection != null && !connection.isValid(5)) {
        connection.close();
        connection = null;
      }
    } catch (SQLException e) {
      connection = null;
    }
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // closing anyway
      }
      connection = null;
    }
  }
}
