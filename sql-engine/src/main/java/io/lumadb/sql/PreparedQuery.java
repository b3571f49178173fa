package io.lumadb.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A statement prepared once and executed many times with different parameters. Queries are
 * planned once by Calcite with {@code ?} markers; other statements (DDL, INSERT, SET) are
 * parsed once and get their parameters as literals on each execution.
 */
public final class PreparedQuery implements AutoCloseable {
  private final Session session;
  private final String sql;
  private final Statement statement;
  private final List<SqlTypeName> paramTypes;
  private final List<ResultColumn> columns;
  private final PreparedStatement prepared;
  private final List<Integer> markerOrder;
  /** Parameters that are row counts ({@link Parameters.Rewritten#rowCounts}). */
  private final List<Integer> rowCounts;

  PreparedQuery(Session session, String sql, List<SqlTypeName> declared) throws SQLException {
    this.session = session;
    this.sql = sql;
    this.statement = StatementParser.parse(sql);
    int count = Math.max(Parameters.count(sql), declared.size());
    List<SqlTypeName> types = new ArrayList<>(Collections.nCopies(count, (SqlTypeName) null));
    for (int i = 0; i < declared.size(); i++) {
      types.set(i, declared.get(i));
    }
    if (statement instanceof Statement.Query q && isCalciteQuery(q.sql())) {
      String text = PgDialect.rewrite(q.sql(), session.settings().zone());
      Parameters.Rewritten r = Parameters.rewrite(text, (n, rowCount) -> rowCount ? "?" : marker(types, n - 1));
      PreparedStatement ps;
      try {
        ps = session.calcite().prepareStatement(r.sql());
      } catch (SQLException e) {
        if (count == 0 || !types.contains(null)) {
          throw e;
        }
        // Calcite could not infer some parameter types: treat the unknown ones as text.
        for (int i = 0; i < types.size(); i++) {
          if (types.get(i) == null) {
            types.set(i, SqlTypeName.VARCHAR);
          }
        }
        r = Parameters.rewrite(text, (n, rowCount) -> rowCount ? "?" : marker(types, n - 1));
        ps = session.calcite().prepareStatement(r.sql());
      }
      var pmd = ps.getParameterMetaData();
      for (int i = 0; i < r.order().size(); i++) {
        int n = r.order().get(i) - 1;
        if (types.get(n) == null) {
          SqlTypeName t = SqlTypeName.getNameForJdbcType(pmd.getParameterType(i + 1));
          types.set(n, t == null ? SqlTypeName.VARCHAR : t);
        }
      }
      this.prepared = ps;
      this.markerOrder = r.order();
      this.rowCounts = r.rowCounts();
      this.columns = Session.columns(ps.getMetaData());
    } else {
      this.prepared = null;
      this.markerOrder = List.of();
      this.rowCounts = List.of();
      this.columns = statement instanceof Statement.Show || statement instanceof Statement.Query
          ? null : List.of();
    }
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i) == null) {
        types.set(i, SqlTypeName.VARCHAR);
      }
    }
    this.paramTypes = List.copyOf(types);
  }

  /**
   * Whether {@code sql} is one query Calcite runs (SELECT, WITH, VALUES) without {@code $n}
   * parameters: what a front end may prepare once and run again for the same text.
   */
  public static boolean isPlainQuery(String sql) {
    return isQuery(sql) && Parameters.count(sql) == 0;
  }

  /**
   * Whether {@code sql} is one query Calcite runs (SELECT, WITH, VALUES), with or without
   * {@code $n} parameters: a statement that leaves the session as it was.
   */
  public static boolean isQuery(String sql) {
    if (!startsLikeAQuery(sql)) {
      return false; // INSERT, COPY, SET...: not parsed twice (a bulk INSERT's text can be large)
    }
    try {
      return StatementParser.parse(sql) instanceof Statement.Query q && isCalciteQuery(q.sql());
    } catch (RuntimeException e) {
      return false; // not a statement LumaDB understands: executing it reports why
    }
  }

  /** Whether the first word, past blanks, comments and opening parentheses, starts a query. */
  private static boolean startsLikeAQuery(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    return sql.regionMatches(true, i, "select", 0, 6) || sql.regionMatches(true, i, "with", 0, 4)
        || sql.regionMatches(true, i, "values", 0, 6);
  }

  private static boolean isCalciteQuery(String sql) {
    List<SqlLexer.Token> t = SqlLexer.significant(sql);
    return !t.isEmpty() && (t.get(0).isWord("select") || t.get(0).isWord("with")
        || t.get(0).isWord("values") || t.get(0).text().equals("("));
  }

  private static String marker(List<SqlTypeName> types, int index) {
    SqlTypeName t = index < types.size() ? types.get(index) : null;
    if (t == null) {
      return "?";
    }
    return "CAST(? AS " + switch (t) {
      case TIMESTAMP -> "TIMESTAMP(3)";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMP(3) WITH LOCAL TIME ZONE";
      case VARCHAR, CHAR -> "VARCHAR";
      case DECIMAL -> "DECIMAL"; // unconstrained: see LumaTypeSystem
      default -> t.getName();
    } + ")";
  }

  public String sql() {
    return sql;
  }

  /** The type of each parameter $1..$n: declared by the client, else inferred, else VARCHAR. */
  public List<SqlTypeName> paramTypes() {
    return paramTypes;
  }

  /**
   * The result's columns: empty for a statement that returns no rows, null when they are only
   * known once it runs (SHOW, statements Calcite could not prepare ahead).
   */
  public List<ResultColumn> columns() {
    return columns;
  }

  /** Runs the statement with these parameter values (in the internal types RowCursor names). */
  public StatementResult execute(List<Object> params) {
    session.countQuery();
    try {
      if (params.size() < paramTypes.size()) {
        throw new LumaException("08P01", "statement needs " + paramTypes.size()
            + " parameters, got " + params.size());
      }
      session.beginStatement();
      session.checkTransaction(statement);
      if (prepared == null) {
        return session.run(statement, params);
      }
      for (int n : rowCounts) {
        if (params.get(Math.abs(n) - 1) instanceof Number v && v.longValue() < 0) {
          throw n < 0 ? new LumaException("2201X", "OFFSET must not be negative")
              : new LumaException("2201W", "LIMIT must not be negative");
        }
      }
      for (int i = 0; i < markerOrder.size(); i++) {
        prepared.setObject(i + 1, jdbcValue(params.get(markerOrder.get(i) - 1)));
      }
      io.lumadb.storage.calcite.QueryCancellation.takeResult(); // only this query's may be read
      ResultSet rs = prepared.executeQuery();
      return new StatementResult.Rows(columns, VectorRowCursor.over(rs, null), "SELECT");
    } catch (Throwable t) {
      throw session.failed(t, sql);
    }
  }

  private static Object jdbcValue(Object v) {
    if (v instanceof java.time.LocalDateTime ts) {
      return java.sql.Timestamp.valueOf(ts);
    }
    if (v instanceof java.time.Instant i) {
      return java.sql.Timestamp.from(i); // Calcite reads it as epoch millis (the JVM runs in UTC)
    }
    if (v instanceof java.time.LocalDate d) {
      return java.sql.Date.valueOf(d);
    }
    if (v instanceof java.time.LocalTime t) {
      return java.sql.Time.valueOf(t);
    }
    return v;
  }

  @Override
  public void close() {
    if (prepared != null) {
      try {
        prepared.close();
      } catch (SQLException e) {
        // Closing an in-process Calcite statement does not fail in practice.
      }
    }
  }
}
