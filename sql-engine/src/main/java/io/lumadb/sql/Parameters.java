package io.lumadb.sql;

import io.lumadb.sql.SqlLexer.Kind;
import io.lumadb.sql.SqlLexer.Token;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Rewrites PostgreSQL's {@code $n} parameters for Calcite, which knows only {@code ?}. */
public final class Parameters {
  private Parameters() {}

  /**
   * SQL with each {@code $n} replaced by {@code markerFor(n)}, the parameter number of each
   * replaced marker, in text order, and the parameters that are row counts: +n for a LIMIT or
   * FETCH count, -n for an OFFSET, where a negative value is an error (PostgreSQL's 2201W and
   * 2201X).
   */
  public record Rewritten(String sql, List<Integer> order, int count, List<Integer> rowCounts) {}

  public static Rewritten rewrite(String sql, IntFunction<String> markerFor) {
    return rewrite(sql, (n, rowCount) -> markerFor.apply(n));
  }

  /** How a parameter is written for Calcite: its number, and whether it is a row count. */
  public interface Marker {
    /**
     * @param rowCount the parameter is a LIMIT, OFFSET or FETCH row count, where Calcite's parser
     *     takes a bare {@code ?} only (not a CAST)
     */
    String of(int n, boolean rowCount);
  }

  /** As {@link #rewrite(String, IntFunction)}, told which parameters are row counts. */
  public static Rewritten rewrite(String sql, Marker markerFor) {
    StringBuilder out = new StringBuilder(sql.length());
    List<Integer> order = new ArrayList<>();
    List<Integer> rowCounts = new ArrayList<>();
    int max = 0;
    int last = 0;
    Token previous = null;
    for (Token t : SqlLexer.lex(sql)) {
      if (t.kind() == Kind.PARAM) {
        int n = t.paramNumber();
        if (n < 1) {
          throw new LumaException(ErrorCode.E003, "there is no parameter $" + n);
        }
        boolean rowCount = previous != null && isRowCountWord(previous);
        if (rowCount) {
          rowCounts.add(previous.isWord("offset") ? -n : n);
        }
        out.append(sql, last, t.start()).append(markerFor.of(n, rowCount));
        last = t.end();
        order.add(n);
        max = Math.max(max, n);
      }
      if (t.isSignificant()) {
        previous = t;
      }
    }
    out.append(sql, last, sql.length());
    return new Rewritten(out.toString(), List.copyOf(order), max, List.copyOf(rowCounts));
  }

  private static boolean isRowCountWord(Token t) {
    return t.isWord("limit") || t.isWord("offset") || t.isWord("first") || t.isWord("next");
  }

  /** The highest $n in the text (0 if none). */
  public static int count(String sql) {
    return rewrite(sql, n -> "?").count();
  }

  /** SQL with each {@code $n} replaced by the literal for {@code values.get(n - 1)}. */
  public static String substitute(String sql, List<Object> values) {
    return rewrite(sql, n -> {
      if (n > values.size()) {
        throw new LumaException("42P02", "there is no parameter $" + n);
      }
      return literal(values.get(n - 1));
    }).sql();
  }

  /** A SQL literal for a parameter value. */
  public static String literal(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return "CAST('" + d + "' AS DOUBLE)";
    }
    if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
      return "CAST('" + f + "' AS REAL)";
    }
    if (v instanceof BigDecimal bd) {
      return bd.signum() < 0 ? "(" + bd.toPlainString() + ")" : bd.toPlainString();
    }
    if (v instanceof byte[] b) {
      return "X'" + java.util.HexFormat.of().formatHex(b) + "'"; // bytea: Calcite's binary literal
    }
    if (v instanceof org.apache.calcite.avatica.util.ByteString b) {
      return "X'" + b.toString() + "'";
    }
    if (v instanceof Number num) {
      String s = num.toString();
      return s.startsWith("-") ? "(" + s + ")" : s;
    }
    if (v instanceof LocalDateTime ts) {
      // not LocalDateTime.toString(): it drops zero seconds, which Calcite's literal needs
      return "TIMESTAMP '" + ValueCoercion.formatTimestamp(ts) + "'";
    }
    if (v instanceof java.time.Instant i) {
      return "TIMESTAMP WITH LOCAL TIME ZONE '"
          + ValueCoercion.formatTimestamp(LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC)) + "'";
    }
    if (v instanceof LocalDate d) {
      return "DATE '" + d + "'";
    }
    if (v instanceof LocalTime t) {
      return "TIME '" + ValueCoercion.formatTimestamp(LocalDate.EPOCH.atTime(t)).substring(11) + "'";
    }
    return SqlLexer.quoteString(v.toString());
  }
}
