package io.lumadb.sql;

import io.lumadb.storage.StorageException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.validate.SqlValidatorException;

/**
 * Turns whatever a statement threw into the one exception family clients see. Calcite's
 * validator reports through resource messages only, so those few are matched here, in one
 * place.
 */
public final class Errors {
  private static final Pattern OBJECT_NOT_FOUND =
      Pattern.compile("(?:Object|Table) '([^']*)' not found(?: within '([^']*)')?");
  private static final Pattern COLUMN_NOT_FOUND =
      Pattern.compile("Column '([^']*)' not found in (?:any table|table '([^']*)')");
  private static final Pattern NOT_GROUPED = Pattern.compile("Expression '(.+)' is not being grouped");
  private static final Pattern NO_FUNCTION =
      Pattern.compile("No match found for function signature ([^(]*)\\(");
  private static final Pattern AMBIGUOUS = Pattern.compile("Column '([^']*)' is ambiguous");
  private static final Pattern COLUMN_COUNT = Pattern.compile("Column count mismatch in (UNION|INTERSECT|EXCEPT)");
  private static final Pattern NOT_CONDITION = Pattern.compile("(WHERE|HAVING) clause must be a condition");

  private Errors() {}

  public static LumaException translate(Throwable t) {
    return translate(t, null);
  }

  /** Like {@link #translate(Throwable)}; with the statement's text, syntax errors name the token. */
  public static LumaException translate(Throwable t, String sql) {
    if (t instanceof LumaException e) {
      return e;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LumaException e) {
        return e;
      }
      if (c instanceof StorageException s) {
        return fromStorage(s);
      }
      if (c instanceof SqlParseException p) {
        return new LumaException(ErrorCode.E003, syntaxMessage(p, sql), p);
      }
      if (c instanceof SqlValidatorException || c instanceof CalciteContextException) {
        LumaException v = fromValidator(c);
        if (v != null) {
          return v;
        }
      }
      if (c.getMessage() != null && c.getMessage().contains("more than one value in agg SINGLE_VALUE")) {
        return new LumaException(null, "21000", "more than one row returned by a subquery used as an expression", c);
      }
      if (c instanceof io.lumadb.storage.calcite.QueryMemory.LimitExceeded m) {
        return new LumaException(ErrorCode.E002, m.getMessage(), m);
      }
      if (c instanceof io.lumadb.storage.calcite.QueryCancellation.CanceledException q) {
        return new LumaException(null, "57014", q.getMessage(), q);
      }
      if (c instanceof NumberFormatException nfe) {
        return new LumaException(null, "22P02", "invalid input syntax: " + nfe.getMessage(), nfe);
      }
      if (c instanceof ArithmeticException ae) {
        String msg = ae.getMessage() == null ? "arithmetic error" : ae.getMessage();
        if (msg.contains("by zero")) {
          return new LumaException(null, "22012", "division by zero", ae);
        }
        if (msg.contains("overflow")) { // Java's exact arithmetic: "integer overflow", "long overflow"
          msg = (msg.contains("long") ? "bigint" : msg.contains("short") ? "smallint" : "integer") + " out of range";
        }
        return new LumaException(null, "22003", msg, ae);
      }
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : firstLine(root.getMessage());
    return new LumaException(ErrorCode.E005, abbreviate(msg), t);
  }

  private static LumaException fromStorage(StorageException s) {
    return switch (s.kind()) {
      case NOT_FOUND -> new LumaException(ErrorCode.E004, s.getMessage(), s);
      case ALREADY_EXISTS -> new LumaException(null, "42P07", s.getMessage(), s);
      case INVALID -> new LumaException(null, "22023", s.getMessage(), s);
      case WRONG_OBJECT_TYPE -> new LumaException(null, "42809", s.getMessage(), s);
      case OVERLOADED -> new LumaException(ErrorCode.E002, s.getMessage(), s);
      case UNIQUE_VIOLATION -> new LumaException(null, "23505", s.getMessage(), s)
          .withDetail(s instanceof io.lumadb.storage.UniqueViolationException u ? u.detail() : null);
      case INTERNAL -> new LumaException(ErrorCode.E005, s.getMessage(), s);
    };
  }

  private static LumaException fromValidator(Throwable c) {
    String msg = c.getMessage() == null ? "" : c.getMessage();
    // CalciteContextException prefixes the position: "From line 1, column 15 to ...: <msg>"
    String core = msg.replaceFirst("^From line \\d+, column \\d+ to line \\d+, column \\d+: ", "");
    Matcher m = OBJECT_NOT_FOUND.matcher(core);
    if (m.find()) {
      return new LumaException(
          ErrorCode.E004, "relation \"" + m.group(1) + "\" does not exist", c);
    }
    m = COLUMN_NOT_FOUND.matcher(core);
    if (m.find()) {
      return new LumaException(null, "42703", "column \"" + m.group(1) + "\" does not exist", c);
    }
    m = NOT_GROUPED.matcher(core);
    if (m.find()) {
      return new LumaException(null, "42803", "column \"" + m.group(1)
          + "\" must appear in the GROUP BY clause or be used in an aggregate function", c);
    }
    m = AMBIGUOUS.matcher(core);
    if (m.find()) {
      return new LumaException(null, "42702", "column reference \"" + m.group(1) + "\" is ambiguous", c);
    }
    m = COLUMN_COUNT.matcher(core);
    if (m.find()) {
      return new LumaException(null, "42601", "each " + m.group(1) + " query must have the same number of columns", c);
    }
    m = NOT_CONDITION.matcher(core);
    if (m.find()) {
      return new LumaException(null, "42804", "argument of " + m.group(1) + " must be type boolean", c);
    }
    m = NO_FUNCTION.matcher(core);
    if (m.find()) {
      return new LumaException(
          null, "42883", "function " + m.group(1).toLowerCase(java.util.Locale.ROOT)
              + " does not exist: " + firstLine(core), c);
    }
    if (c instanceof CalciteContextException) {
      // Other validation failures: the query is well formed but not meaningful.
      return new LumaException(null, "42000", firstLine(core), c);
    }
    return null;
  }

  /** PostgreSQL's wording: syntax error at or near "token" (or at end of input). */
  private static String syntaxMessage(SqlParseException p, String sql) {
    if (sql == null || p.getPos() == null || p.getPos().getLineNum() < 1) {
      return "syntax error: " + firstLine(p.getMessage());
    }
    String[] lines = sql.split("\n", -1);
    int line = p.getPos().getLineNum() - 1;
    int col = p.getPos().getColumnNum() - 1;
    if (line >= lines.length || col >= lines[line].length() || col < 0) {
      return "syntax error at end of input";
    }
    int offset = 0;
    for (int i = 0; i < line; i++) {
      offset += lines[i].length() + 1;
    }
    offset += col;
    for (SqlLexer.Token tok : SqlLexer.lex(sql)) {
      if (tok.start() <= offset && offset < tok.end() && tok.isSignificant()) {
        return "syntax error at or near \"" + tok.text() + "\"";
      }
    }
    return "syntax error: " + firstLine(p.getMessage());
  }

  /** Keeps messages readable when a cause quotes a whole (long) statement. */
  static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
