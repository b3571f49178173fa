package io.lumadb.sql;

import io.lumadb.sql.SqlLexer.Kind;
import io.lumadb.sql.SqlLexer.Token;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * DELETE on a time range: LumaDB deletes rows by its tables' time column (the storage rewrites
 * whole files, see {@link StorageEngine#deleteRows}). The condition must be an AND of
 * comparisons of the time column with values ({@code ts >= now() - interval '30 days'},
 * {@code ts < $1}, {@code ts BETWEEN '2024-01-01' AND '2024-01-31'}); each value is evaluated
 * once, as a timestamp (timestamptz for a timestamptz column), before any row is touched.
 * Anything else is 0A000 and changes nothing. Without a condition every row goes.
 */
final class TimeRangeDelete {
  private TimeRangeDelete() {}

  /** Deletes and returns the number of rows deleted. */
  static long run(Session session, StorageEngine storage, Statement.Delete d, List<Object> params)
      throws SQLException {
    LumaTable table = table(storage, d.table());
    if (d.where() == null) {
      return delete(storage, d.table(), null, null, true);
    }
    int tc = table.timeColumn();
    if (tc < 0) {
      throw new LumaException("0A000", "DELETE with a WHERE clause needs a time column, and table \""
          + d.table().name() + "\" has none").withHint("DELETE FROM " + d.table().name()
          + " without WHERE (or TRUNCATE) removes every row.");
    }
    String column = table.schema().column(tc).name();
    ColumnType type = table.schema().column(tc).type();
    Long lo = null;
    Long hi = null;
    for (List<Token> conjunct : conjuncts(d.where())) {
      long[] range = range(session, conjunct, d.where(), column, d.table().name(), d.alias(), type, params);
      if (range == null) {
        return 0; // a comparison with NULL: no row qualifies
      }
      lo = lo == null ? range[0] : Math.max(lo, range[0]);
      hi = hi == null ? range[1] : Math.min(hi, range[1]);
    }
    if (lo != null && hi != null && lo > hi) {
      return 0;
    }
    return delete(storage, d.table(), lo == null || lo == Long.MIN_VALUE ? null : lo,
        hi == null || hi == Long.MAX_VALUE ? null : hi, false);
  }

  static LumaTable table(StorageEngine storage, io.lumadb.storage.TableId id) {
    return storage.table(id).orElseThrow(() -> storage.view(id).isPresent()
        ? new LumaException("42809", "cannot delete from view \"" + id.name() + "\"")
        : new LumaException(ErrorCode.E004, "relation \"" + id.name() + "\" does not exist"));
  }

  static long delete(StorageEngine storage, io.lumadb.storage.TableId id, Long lo, Long hi, boolean all) {
    try {
      return storage.deleteRows(id, lo, hi, all);
    } catch (IOException e) {
      throw new LumaException(ErrorCode.E005, "DELETE failed: " + e.getMessage(), e);
    }
  }

  /** The condition split at its top-level ANDs (the AND of a BETWEEN stays inside). */
  private static List<List<Token>> conjuncts(String where) {
    List<List<Token>> out = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int depth = 0;
    boolean between = false;
    for (Token t : SqlLexer.significant(where)) {
      if (t.text().equals("(")) {
        depth++;
      } else if (t.text().equals(")")) {
        depth--;
      }
      if (depth == 0 && t.isWord("between")) {
        between = true;
      } else if (depth == 0 && t.isWord("and")) {
        if (between) {
          between = false;
        } else {
          out.add(current);
          current = new ArrayList<>();
          continue;
        }
      }
      if (t.kind() != Kind.SEMICOLON) {
        current.add(t);
      }
    }
    out.add(current);
    return out;
  }

  /**
   * The inclusive [lo, hi] epoch-millisecond range one conjunct allows, or null when it
   * compares with NULL.
   */
  private static long[] range(Session session, List<Token> c, String where, String column, String table,
      String alias, ColumnType type, List<Object> params) throws SQLException {
    int ref = columnRef(c, 0, column, table, alias);
    if (ref > 0 && ref < c.size() && c.get(ref).isWord("between")) {
      int and = -1;
      int depth = 0;
      for (int i = ref + 1; i < c.size(); i++) {
        String t = c.get(i).text();
        depth += t.equals("(") ? 1 : t.equals(")") ? -1 : 0;
        if (depth == 0 && c.get(i).isWord("and")) {
          and = i;
          break;
        }
      }
      if (and > ref + 1 && and < c.size() - 1) {
        Long a = value(session, text(where, c, ref + 1, and), type, params, column);
        Long b = value(session, text(where, c, and + 1, c.size()), type, params, column);
        return a == null || b == null ? null : new long[] {a, b};
      }
    } else if (ref > 0 && ref < c.size() - 1 && isComparison(c.get(ref))) {
      return bound(c.get(ref).text(), value(session, text(where, c, ref + 1, c.size()), type, params, column));
    } else {
      // value op column
      for (int i = c.size() - 1; i > 0; i--) {
        if (isComparison(c.get(i)) && columnRef(c, i + 1, column, table, alias) == c.size()) {
          return bound(reverse(c.get(i).text()), value(session, text(where, c, 0, i), type, params, column));
        }
      }
    }
    throw unsupported(column);
  }

  /** The index after a reference to the time column starting at {@code at}, or -1. */
  private static int columnRef(List<Token> c, int at, String column, String table, String alias) {
    int i = at;
    if (i + 2 < c.size() && c.get(i + 1).text().equals(".")) {
      String q = name(c.get(i));
      if (q == null || !(q.equals(table) || q.equals(alias))) {
        return -1;
      }
      i += 2;
    }
    return i < c.size() && column.equals(name(c.get(i))) ? i + 1 : -1;
  }

  private static String name(Token t) {
    return t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT ? SqlLexer.identifier(t) : null;
  }

  private static boolean isComparison(Token t) {
    return t.kind() == Kind.OPERATOR && List.of("=", "<", "<=", ">", ">=").contains(t.text());
  }

  private static String reverse(String op) {
    return switch (op) {
      case "<" -> ">";
      case "<=" -> ">=";
      case ">" -> "<";
      case ">=" -> "<=";
      default -> op;
    };
  }

  private static long[] bound(String op, Long v) {
    if (v == null) {
      return null;
    }
    return switch (op) {
      case "=" -> new long[] {v, v};
      case "<" -> new long[] {Long.MIN_VALUE, v - 1};
      case "<=" -> new long[] {Long.MIN_VALUE, v};
      case ">" -> new long[] {v + 1, Long.MAX_VALUE};
      default -> new long[] {v, Long.MAX_VALUE};
    };
  }

  private static String text(String where, List<Token> c, int from, int to) {
    return where.substring(c.get(from).start(), c.get(to - 1).end());
  }

  /**
   * Evaluates a value expression as the time column's type: epoch milliseconds, or null. One
   * that reads a column (42703: there is no table to read it from) is not a value.
   */
  private static Long value(Session session, String expr, ColumnType type, List<Object> params, String column)
      throws SQLException {
    for (Token t : SqlLexer.significant(expr)) {
      if (t.isWord("or") || t.isWord("and") || isComparison(t)) {
        throw unsupported(column);
      }
    }
    try {
      return evaluate(session, expr, type, params);
    } catch (SQLException | RuntimeException e) {
      LumaException le = Errors.translate(e);
      throw "42703".equals(le.sqlState()) ? unsupported(column) : le;
    }
  }

  private static Long evaluate(Session session, String expr, ColumnType type, List<Object> params)
      throws SQLException {
    String sql = "SELECT CAST((" + expr + ") AS " + (type == ColumnType.TIMESTAMPTZ ? "timestamptz" : "timestamp") + ")";
    sql = Parameters.substitute(PgDialect.rewrite(sql, session.settings().zone()), params);
    try (java.sql.Statement st = session.calcite().createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      Object v = rs.getObject(1);
      return v == null ? null : ((java.sql.Timestamp) v).toInstant().toEpochMilli();
    }
  }

  private static LumaException unsupported(String column) {
    return new LumaException("0A000", "DELETE deletes a range of the time column \"" + column
        + "\": its WHERE clause must be comparisons of \"" + column + "\" with values, joined by AND")
        .withHint("For example: DELETE FROM t WHERE " + column + " >= '2024-01-01' AND " + column
            + " < now() - interval '30 days'");
  }
}
