package io.lumadb.sql;

import static io.lumadb.sql.PgDialect.at;
import static io.lumadb.sql.PgDialect.closing;
import static io.lumadb.sql.PgDialect.isName;
import static io.lumadb.sql.PgDialect.next;
import static io.lumadb.sql.PgDialect.prev;
import static io.lumadb.sql.PgDialect.replace;
import static io.lumadb.sql.PgDialect.text;
import static io.lumadb.sql.PgDialect.wordAt;

import io.lumadb.sql.PgDialect.Node;
import io.lumadb.sql.SqlLexer.Kind;
import io.lumadb.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The dialect's rewrites for time-series SQL (PostgreSQL and TimescaleDB syntax Calcite does not
 * read), part of {@link PgDialect#rewrite}:
 * <ul>
 *   <li>{@code INTERVAL '5 minutes'}, {@code '1 hour'::interval}, {@code CAST('1 day' AS
 *       interval)} become Calcite interval literals ({@link PgInterval});
 *   <li>{@code date_trunc('hour', ts)} with a literal unit becomes {@code FLOOR(ts TO HOUR)}
 *       (weeks start on Monday, as in PostgreSQL), so a GROUP BY over millions of rows computes on
 *       the primitive epoch milliseconds; any other unit calls the run-time function;
 *   <li>{@code time_bucket('5 minutes', ts)}: the text width becomes an interval literal;
 *   <li>TimescaleDB's {@code first(v, t)}/{@code last(v, t)} become
 *       {@code ARG_MIN(ARRAY[v], t)[1]}/{@code ARG_MAX(..)}: Calcite's ARG_MIN skips rows with a
 *       NULL time (as TimescaleDB does) but would also skip a NULL value, which TimescaleDB
 *       returns when it is the value at the first/last time; the one-element array is never NULL;
 *   <li>{@code percentile_cont(f) WITHIN GROUP (ORDER BY x)} (and {@code percentile_disc}), which
 *       Calcite parses but cannot execute, become the sorted {@code ARRAY_AGG} of the non-null
 *       values and a function picking from it;
 *   <li>{@code SELECT DISTINCT ON (a) .. ORDER BY a, b} becomes
 *       {@code QUALIFY ROW_NUMBER() OVER (PARTITION BY a ORDER BY a, b) = 1}: the first row of
 *       each group in the ORDER BY's order, with the select list and the ORDER BY unchanged.
 * </ul>
 */
final class TimeSeriesSyntax {
  private TimeSeriesSyntax() {}

  /** Interval units Calcite's own {@code INTERVAL '1' HOUR} syntax names after the literal. */
  private static final Set<String> CALCITE_INTERVAL_UNITS = Set.of(
      "year", "years", "quarter", "quarters", "month", "months", "week", "weeks", "day", "days",
      "hour", "hours", "minute", "minutes", "second", "seconds", "millisecond", "milliseconds",
      "microsecond", "microseconds", "nanosecond", "nanoseconds");

  // Interval literals.

  static boolean intervals(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.word("interval")) {
        int lit = next(nodes, i);
        if (lit < 0 || !isPlainString(nodes.get(lit))) {
          continue;
        }
        int after = next(nodes, lit);
        if (after >= 0 && nodes.get(after).kind == Kind.WORD && !nodes.get(after).expr
            && CALCITE_INTERVAL_UNITS.contains(nodes.get(after).lower())) {
          continue; // INTERVAL '1' HOUR: Calcite's syntax
        }
        replace(nodes, i, lit, interval(nodes.get(lit)));
        changed = true;
      } else if (isPlainString(n) && at(nodes, next(nodes, i), "::")
          && wordAt(nodes, next(nodes, next(nodes, i)), "interval")
          && !at(nodes, next(nodes, next(nodes, next(nodes, i))), "[")) {
        replace(nodes, i, next(nodes, next(nodes, i)), interval(n));
        changed = true;
      } else if (n.word("cast") && at(nodes, next(nodes, i), "(")) {
        int open = next(nodes, i);
        int lit = next(nodes, open);
        int as = next(nodes, lit);
        int type = next(nodes, as);
        int close = next(nodes, type);
        if (lit >= 0 && isPlainString(nodes.get(lit)) && wordAt(nodes, as, "as")
            && wordAt(nodes, type, "interval") && at(nodes, close, ")")) {
          replace(nodes, i, close, interval(nodes.get(lit)));
          changed = true;
        }
      }
    }
    return changed;
  }

  private static boolean isPlainString(Node n) {
    return n.kind == Kind.STRING && !n.expr && n.text.startsWith("'");
  }

  private static String interval(Node literal) {
    String value = SqlLexer.stringValue(new Token(Kind.STRING, literal.text, 0, 0));
    return PgInterval.parse(value).toCalciteLiteral();
  }

  // Function calls: date_trunc, time_bucket, first/last, percentile_cont/percentile_disc.

  static boolean calls(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      int open = next(nodes, i);
      if (n.kind != Kind.WORD || n.expr || !at(nodes, open, "(") || at(nodes, prev(nodes, i), ".")) {
        continue;
      }
      int close = closing(nodes, open);
      if (close < 0) {
        continue;
      }
      List<int[]> args = arguments(nodes, open, close);
      switch (n.lower()) {
        case "date_trunc" -> {
          if (args.size() == 2) {
            replace(nodes, i, close, dateTrunc(nodes, args));
            changed = true;
          }
        }
        case "time_bucket" -> {
          if (args.size() >= 2 && args.get(0)[0] == args.get(0)[1]
              && isPlainString(nodes.get(args.get(0)[0]))) {
            int lit = args.get(0)[0];
            replace(nodes, lit, lit, interval(nodes.get(lit)));
            changed = true;
          }
        }
        case "first", "last" -> {
          if (args.size() == 2 && !wordAt(nodes, prev(nodes, i), "nulls")) {
            String fn = n.lower().equals("first") ? "ARG_MIN" : "ARG_MAX";
            replace(nodes, i, close, fn + "(ARRAY[" + arg(nodes, args.get(0)) + "], "
                + arg(nodes, args.get(1)) + ")[1]");
            changed = true;
          }
        }
        case "percentile_cont", "percentile_disc" -> changed |= percentile(nodes, i, open, close);
        default -> {
        }
      }
    }
    return changed;
  }

  /** The top-level arguments between the parentheses, as [first, last] significant nodes. */
  private static List<int[]> arguments(List<Node> nodes, int open, int close) {
    List<int[]> out = new ArrayList<>();
    int start = next(nodes, open);
    if (start == close) {
      return out;
    }
    int depth = 0;
    int last = start;
    for (int j = start; j >= 0 && j < close; j = next(nodes, j)) {
      Node x = nodes.get(j);
      if (x.is("(") || x.is("[")) {
        depth++;
      } else if (x.is(")") || x.is("]")) {
        depth--;
      } else if (depth == 0 && x.is(",")) {
        out.add(new int[] {start, last});
        start = next(nodes, j);
        continue;
      }
      last = j;
    }
    out.add(new int[] {start, last});
    return out;
  }

  private static String arg(List<Node> nodes, int[] range) {
    return text(nodes, range[0], range[1]).trim();
  }

  private static String dateTrunc(List<Node> nodes, List<int[]> args) {
    int[] unitArg = args.get(0);
    String ts = arg(nodes, args.get(1));
    if (unitArg[0] == unitArg[1] && isPlainString(nodes.get(unitArg[0]))) {
      String unit = SqlLexer.stringValue(new Token(Kind.STRING, nodes.get(unitArg[0]).text, 0, 0));
      PgTimeUnit u = PgTimeUnit.decode(unit);
      if (u != null && u != PgTimeUnit.TIMEZONE) {
        String value = "CAST(" + ts + " AS TIMESTAMP)";
        return switch (u) {
          case MICROSECOND, MILLISECOND -> value; // timestamps hold milliseconds
          // Calcite's weeks start on Sunday, PostgreSQL's (ISO) on Monday.
          case WEEK -> "(FLOOR(" + value + " - INTERVAL '1' DAY TO WEEK) + INTERVAL '1' DAY)";
          default -> "FLOOR(" + value + " TO " + u.name() + ")";
        };
      }
    }
    // A unit known at run time, or one PostgreSQL rejects (the function reports it per row).
    return "lumadb_date_trunc(" + arg(nodes, unitArg) + ", " + ts + ")";
  }

  /**
   * {@code percentile_cont(f) WITHIN GROUP (ORDER BY x [ASC|DESC]) [FILTER (WHERE c)]}: the
   * sorted non-null values of x collected with ARRAY_AGG and the percentile picked from them.
   */
  private static boolean percentile(List<Node> nodes, int name, int open, int close) {
    int within = next(nodes, close);
    int group = next(nodes, within);
    int gOpen = next(nodes, group);
    int order = next(nodes, gOpen);
    int by = next(nodes, order);
    if (!wordAt(nodes, within, "within") || !wordAt(nodes, group, "group") || !at(nodes, gOpen, "(")
        || !wordAt(nodes, order, "order") || !wordAt(nodes, by, "by")) {
      return false;
    }
    int gClose = closing(nodes, gOpen);
    List<int[]> keys = arguments(nodes, by, gClose);
    if (gClose < 0 || keys.size() != 1) {
      return false;
    }
    // The sort key: x [ASC|DESC] [NULLS FIRST|LAST] (nulls are left out anyway).
    int[] key = keys.get(0);
    int keyEnd = key[1];
    if (wordAt(nodes, keyEnd, "first") || wordAt(nodes, keyEnd, "last")) {
      keyEnd = prev(nodes, prev(nodes, keyEnd));
    }
    String direction = "";
    if (wordAt(nodes, keyEnd, "asc") || wordAt(nodes, keyEnd, "desc")) {
      direction = " " + nodes.get(keyEnd).text.toUpperCase(Locale.ROOT);
      keyEnd = prev(nodes, keyEnd);
    }
    String x = text(nodes, key[0], keyEnd).trim();
    String filter = "(" + x + ") IS NOT NULL";
    int end = gClose;
    int f = next(nodes, gClose);
    if (wordAt(nodes, f, "filter") && at(nodes, next(nodes, f), "(")
        && wordAt(nodes, next(nodes, next(nodes, f)), "where")) {
      int fClose = closing(nodes, next(nodes, f));
      if (fClose < 0) {
        return false;
      }
      filter += " AND (" + text(nodes, next(nodes, next(nodes, next(nodes, f))), prev(nodes, fClose)).trim() + ")";
      end = fClose;
    }
    List<int[]> fraction = arguments(nodes, open, close);
    if (fraction.size() != 1) {
      return false;
    }
    String p = arg(nodes, fraction.get(0));
    String sorted = "ARRAY_AGG(" + x + " ORDER BY " + x + direction + ") FILTER (WHERE " + filter + ")";
    String fn = nodes.get(name).lower();
    String call = fn.equals("percentile_cont")
        ? "lumadb_percentile_cont(" + sorted + ", " + p + ")"
        : "(" + sorted + ")[lumadb_percentile_disc_index(CARDINALITY(" + sorted + "), " + p + ")]";
    int before = prev(nodes, name);
    int after = next(nodes, end);
    boolean selectItem = (wordAt(nodes, before, "select") || at(nodes, before, ","))
        && (after < 0 || wordAt(nodes, after, "from") || at(nodes, after, ",")
            || nodes.get(after).kind == Kind.SEMICOLON);
    replace(nodes, name, end, call + (selectItem ? " AS " + SqlLexer.quoteIdentifier(fn) : ""));
    return true;
  }

  // DISTINCT ON.

  private static final Set<String> AFTER_ORDER_BY = Set.of("limit", "offset", "fetch");

  static boolean distinctOn(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      int distinct = next(nodes, i);
      int on = next(nodes, distinct);
      int open = next(nodes, on);
      if (!nodes.get(i).word("select") || !wordAt(nodes, distinct, "distinct")
          || !wordAt(nodes, on, "on") || !at(nodes, open, "(")) {
        continue;
      }
      int close = closing(nodes, open);
      if (close < 0) {
        return changed;
      }
      List<String> on1 = new ArrayList<>();
      for (int[] a : arguments(nodes, open, close)) {
        on1.add(arg(nodes, a));
      }
      // The select list: items and their aliases.
      int from = PgDialect.clauseEnd(nodes, close, Set.of("from", "where", "group", "having",
          "window", "order", "limit", "offset", "fetch", "union", "except", "intersect"));
      List<String[]> items = selectItems(nodes, close, from);
      int orderWord = PgDialect.clauseEnd(nodes, close, Set.of("order", "union", "except",
          "intersect"));
      List<String[]> orderItems = new ArrayList<>(); // {expression, direction}
      int insertAt;
      if (wordAt(nodes, orderWord, "order") && wordAt(nodes, next(nodes, orderWord), "by")) {
        int by = next(nodes, orderWord);
        int orderEnd = PgDialect.clauseEnd(nodes, by, AFTER_ORDER_BY);
        for (int[] a : arguments(nodes, by, orderEnd)) {
          int e = a[1];
          int dirStart = e + 1;
          if ((wordAt(nodes, e, "first") || wordAt(nodes, e, "last"))
              && wordAt(nodes, prev(nodes, e), "nulls")) {
            e = prev(nodes, prev(nodes, e));
            dirStart = e + 1;
          }
          if (wordAt(nodes, e, "asc") || wordAt(nodes, e, "desc")) {
            e = prev(nodes, e);
            dirStart = e + 1;
          }
          orderItems.add(new String[] {text(nodes, a[0], e).trim(),
              text(nodes, dirStart, a[1]).trim()});
        }
        insertAt = orderWord;
      } else {
        insertAt = PgDialect.clauseEnd(nodes, close, AFTER_ORDER_BY);
      }
      // PostgreSQL's rule: the DISTINCT ON expressions are the leading ORDER BY expressions.
      List<String> partition = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (String e : on1) {
        String resolved = resolve(e, items);
        partition.add(resolved);
        keys.add(normalize(resolved));
      }
      Set<String> matched = new HashSet<>();
      boolean skipped = false;
      StringBuilder window = new StringBuilder();
      for (String[] o : orderItems) {
        String resolved = resolve(o[0], items);
        String k = normalize(resolved);
        if (keys.contains(k)) {
          if (skipped) {
            throw mismatch();
          }
          matched.add(k);
        } else {
          skipped = true;
        }
        window.append(window.length() == 0 ? " ORDER BY " : ", ").append(resolved)
            .append(o[1].isEmpty() ? "" : " " + o[1]);
      }
      if (skipped && !matched.containsAll(keys)) {
        throw mismatch();
      }
      String qualify = " QUALIFY ROW_NUMBER() OVER (PARTITION BY " + String.join(", ", partition)
          + window + ") = 1 ";
      nodes.add(insertAt, new Node(Kind.WORD, qualify, true));
      for (int k = distinct; k <= close; k++) {
        nodes.get(k).text = "";
        nodes.get(k).kind = Kind.SPACE;
      }
      changed = true;
    }
    return changed;
  }

  private static LumaException mismatch() {
    return new LumaException("42P10",
        "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
  }

  /** The select list's items as {expression, output name or null}. */
  private static List<String[]> selectItems(List<Node> nodes, int before, int end) {
    List<String[]> out = new ArrayList<>();
    int open = before; // arguments() starts after this node and stops at end
    for (int[] a : arguments(nodes, open, end)) {
      int last = a[1];
      int p = prev(nodes, last);
      Node l = nodes.get(last);
      if (p >= a[0] && isName(l) && wordAt(nodes, p, "as")) {
        out.add(new String[] {text(nodes, a[0], prev(nodes, p)).trim(), identifier(l)});
      } else if (p >= a[0] && isName(l) && (isName(nodes.get(p)) || nodes.get(p).is(")")
          || nodes.get(p).kind == Kind.STRING || nodes.get(p).kind == Kind.NUMBER)
          && !nodes.get(p).is(".")) {
        out.add(new String[] {text(nodes, a[0], p).trim(), identifier(l)});
      } else if (p >= a[0] && l.expr && l.text.trim().regionMatches(true, 0, "AS ", 0, 3)) {
        // an alias an earlier pass added (a function named after itself)
        out.add(new String[] {text(nodes, a[0], p).trim(),
            SqlLexer.identifier(new Token(Kind.QUOTED_IDENT, l.text.trim().substring(3).trim(), 0, 0))});
      } else {
        String e = text(nodes, a[0], last).trim();
        String name = isName(l) && (p < a[0] || nodes.get(p).is(".")) ? identifier(l) : null;
        out.add(new String[] {e, name});
      }
    }
    return out;
  }

  private static String identifier(Node n) {
    return SqlLexer.identifier(new Token(n.kind, n.text, 0, 0));
  }

  /**
   * An ORDER BY or DISTINCT ON expression as a window can use it: {@code 2} is the second select
   * item, an output column's name its expression (PostgreSQL looks there first).
   */
  private static String resolve(String e, List<String[]> items) {
    if (e.matches("\\d+")) {
      int k = Integer.parseInt(e);
      if (k >= 1 && k <= items.size() && !items.get(k - 1)[0].equals("*")) {
        return items.get(k - 1)[0];
      }
      throw new LumaException("42P10", "ORDER BY position " + k + " is not in select list");
    }
    List<Token> t = SqlLexer.significant(e);
    if (t.size() == 1 && (t.get(0).kind() == Kind.WORD || t.get(0).kind() == Kind.QUOTED_IDENT)) {
      String name = SqlLexer.identifier(t.get(0));
      for (String[] item : items) {
        if (name.equals(item[1])) {
          return item[0];
        }
      }
    }
    return e;
  }

  private static String normalize(String e) {
    StringBuilder b = new StringBuilder();
    for (Token t : SqlLexer.significant(e)) {
      b.append(t.kind() == Kind.WORD ? t.text().toLowerCase(Locale.ROOT) : t.text()).append(' ');
    }
    return b.toString();
  }
}
