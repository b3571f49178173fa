package io.lumadb.sql;

import io.lumadb.sql.SqlLexer.Kind;
import io.lumadb.sql.SqlLexer.Token;
import io.lumadb.sql.pgcatalog.CatalogQueryPlanning;
import io.lumadb.sql.pgcatalog.PgCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the PostgreSQL syntax that clients send (above all in catalog queries) and that
 * Calcite's Babel parser rejects or reads differently, token by token, before a query is
 * parsed:
 * <ul>
 *   <li>{@code a OPERATOR(pg_catalog.~) b} becomes {@code a ~ b};
 *   <li>{@code E'\n'} strings become plain literals, and a LIKE pattern gets PostgreSQL's
 *       default {@code ESCAPE '\'};
 *   <li>{@code COLLATE pg_catalog.default}, {@code COLLATE "C"} are dropped (LumaDB compares
 *       strings by code point, which is what "C" means);
 *   <li>casts to PostgreSQL type names Calcite does not know ({@code ::text},
 *       {@code ::pg_catalog.oid}, {@code ::int2[]}, ...) use Calcite's names; casts to the OID
 *       alias types become functions: {@code 'pg_class'::regclass} (a literal or parameter)
 *       looks the name up, {@code c.oid::regclass} (any other expression) gives the name;
 *   <li>{@code current_catalog}, {@code current_schema}, {@code current_user},
 *       {@code session_user}, {@code user} become the catalog's functions;
 *   <li>{@code pg_catalog.f(...)} for a function the catalog does not define calls Calcite's
 *       {@code f}; set-returning functions in FROM with an alias ({@code generate_series(..) s},
 *       {@code unnest(a) x}) name their column after the alias, as PostgreSQL does;
 *   <li>pgjdbc's {@code information_schema._pg_expandarray(a)} in a select list becomes a
 *       join with {@code UNNEST(a) WITH ORDINALITY}, and {@code (alias.keys).x} a column;
 *   <li>in statements that read the catalog, {@code col = '{0}'} compares with an array, and
 *       {@code indisprimary = 't'} (a boolean catalog column) with a boolean;
 *   <li>a function call in a select list without an alias names its column after the
 *       function ({@code SELECT version()} gives a column "version"), as PostgreSQL does;
 *   <li>a scalar function in FROM ({@code string_to_array(..) s}) is a one-row relation;
 *       {@code generate_series(..)} in a select list becomes a LATERAL join, which is what a
 *       single set-returning function in a select list means in PostgreSQL 10 and later;
 *   <li>an ISO-8601 literal with a {@code T} ({@code '2024-01-01T00:00:00Z'}, Grafana's time
 *       macros) compared with something is respelled the way Calcite reads timestamps;
 *   <li>{@code timestamp with[out] time zone} is {@code timestamptz}/{@code timestamp};
 *       {@code timestamptz '..'} and a {@code TIMESTAMP '..'} literal Calcite's parser would
 *       refuse ({@code '2024-01-01 10:00'}, no seconds) become casts, read as PostgreSQL reads
 *       the text;
 *   <li>json casts and the operators {@code ->}, {@code ->>}, {@code @>}, {@code <@}
 *       ({@link JsonOperators});
 *   <li>time-series syntax: PostgreSQL interval literals, {@code date_trunc}, TimescaleDB's
 *       {@code time_bucket}, {@code first}/{@code last}, {@code percentile_cont}/{@code
 *       percentile_disc} and {@code DISTINCT ON} ({@link TimeSeriesSyntax}).
 * </ul>
 * Everything else, including the content of every string literal, is passed through
 * unchanged, and so is a statement the rewrite cannot make sense of: the parser reports it.
 */
public final class PgDialect {
  private PgDialect() {}

  /** A token of the statement being rewritten; EXPR is an already rewritten expression. */
  static final class Node {
    Kind kind;
    String text;
    final boolean expr;

    Node(Kind kind, String text, boolean expr) {
      this.kind = kind;
      this.text = text;
      this.expr = expr;
    }

    boolean sig() {
      return kind != Kind.SPACE && kind != Kind.COMMENT;
    }

    boolean is(String s) {
      return !expr && text.equals(s);
    }

    boolean word(String w) {
      return !expr && kind == Kind.WORD && text.equalsIgnoreCase(w);
    }

    String lower() {
      return text.toLowerCase(Locale.ROOT);
    }
  }

  /** PostgreSQL type names Calcite does not know, as Calcite spells them. */
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("text", "VARCHAR"), Map.entry("name", "VARCHAR"), Map.entry("char", "VARCHAR"),
      Map.entry("bpchar", "VARCHAR"), Map.entry("oid", "INTEGER"), Map.entry("xid", "INTEGER"),
      Map.entry("cid", "INTEGER"), Map.entry("int2", "SMALLINT"), Map.entry("int4", "INTEGER"),
      Map.entry("int8", "BIGINT"), Map.entry("float4", "REAL"), Map.entry("float8", "DOUBLE"),
      Map.entry("bool", "BOOLEAN"), Map.entry("int2vector", "SMALLINT ARRAY"),
      Map.entry("oidvector", "INTEGER ARRAY"), Map.entry("pg_node_tree", "VARCHAR"),
      Map.entry("timestamptz", "TIMESTAMP WITH LOCAL TIME ZONE"), Map.entry("bytea", "VARBINARY"));

  /** OID alias types: casts become {@code <type>in(text)} or {@code <type>out(oid)}. */
  private static final Set<String> REG_TYPES = Set.of(
      "regclass", "regtype", "regproc", "regnamespace");

  /** Words that end an expression or cannot name a function or an alias. */
  private static final Set<String> KEYWORDS = Set.of(
      "all", "and", "any", "array", "as", "asc", "between", "both", "by", "case", "cast",
      "collate", "cross", "desc", "distinct", "else", "end", "except", "exists", "fetch",
      "for", "from", "full", "group", "having", "ilike", "in", "inner", "intersect", "into",
      "is", "join", "lateral", "left", "like", "limit", "natural", "not", "null", "offset",
      "on", "or", "order", "outer", "right", "select", "similar", "some", "table", "then",
      "union", "using", "values", "when", "where", "window", "with");

  /** Keywords that are also called like functions: {@code CAST(...)}, {@code left(...)}, {@code EXISTS(...)}. */
  private static final Set<String> CALL_KEYWORDS = Set.of("cast", "left", "right", "exists");

  private static final Set<String> CLAUSES = Set.of(
      "select", "from", "where", "group", "having", "order", "limit", "offset", "union",
      "except", "intersect", "on", "using", "window", "values", "returning", "fetch");

  public static String rewrite(String sql) {
    return rewrite(sql, java.time.ZoneOffset.UTC);
  }

  /**
   * {@link #rewrite(String)} for a session in time zone {@code zone}, in which the statement's
   * timestamptz literals without an offset are read ({@link TimestamptzCasts}).
   */
  public static String rewrite(String sql, java.time.ZoneId zone) {
    TimestamptzCasts.nextStatementZone(zone);
    List<Node> nodes = new ArrayList<>();
    List<Token> tokens;
    try {
      tokens = SqlLexer.lex(sql);
    } catch (LumaException e) {
      CatalogQueryPlanning.nextStatementReadsCatalog(false);
      return sql; // the parser reports the lexical error with its position
    }
    boolean readsCatalog = false;
    for (Token t : tokens) {
      nodes.add(new Node(t.kind(), t.text(), false));
      readsCatalog |= t.kind() == Kind.WORD
          && PgCatalog.isCatalogName(t.text().toLowerCase(Locale.ROOT));
    }
    CatalogQueryPlanning.nextStatementReadsCatalog(readsCatalog);
    boolean changed;
    try {
      changed = operators(nodes);
      changed |= strings(nodes);
      changed |= TimeSeriesSyntax.intervals(nodes);
      changed |= arrayLiterals(nodes);
      changed |= expandArrays(nodes);
      changed |= timestamptzNames(nodes);
      changed |= casts(nodes);
      changed |= castCalls(nodes);
      changed |= JsonOperators.rewrite(nodes);
      changed |= names(nodes);
      changed |= catalogBooleans(nodes, readsCatalog);
      changed |= selectListSeries(nodes);
      changed |= TimeSeriesSyntax.calls(nodes);
      changed |= TimeSeriesSyntax.distinctOn(nodes);
    } catch (LumaException e) {
      throw e; // a literal PostgreSQL also rejects (e.g. bad bytea hex): report it as it would
    } catch (RuntimeException e) {
      return sql; // e.g. unbalanced parentheses: the parser reports them with their position
    }
    if (!changed) {
      return sql;
    }
    StringBuilder b = new StringBuilder(sql.length() + 64);
    for (Node n : nodes) {
      b.append(n.text);
    }
    return b.toString();
  }

  // Helpers over the significant nodes.

  static int next(List<Node> nodes, int i) {
    for (int j = i + 1; j < nodes.size(); j++) {
      if (nodes.get(j).sig()) {
        return j;
      }
    }
    return -1;
  }

  static int prev(List<Node> nodes, int i) {
    for (int j = i - 1; j >= 0; j--) {
      if (nodes.get(j).sig()) {
        return j;
      }
    }
    return -1;
  }

  static boolean at(List<Node> nodes, int i, String text) {
    return i >= 0 && i < nodes.size() && nodes.get(i).is(text);
  }

  static boolean wordAt(List<Node> nodes, int i, String w) {
    return i >= 0 && i < nodes.size() && nodes.get(i).word(w);
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1. */
  static int closing(List<Node> nodes, int open) {
    String o = nodes.get(open).text;
    String c = o.equals("(") ? ")" : "]";
    int depth = 0;
    for (int j = open; j < nodes.size(); j++) {
      Node n = nodes.get(j);
      if (n.is(o)) {
        depth++;
      } else if (n.is(c) && --depth == 0) {
        return j;
      }
    }
    return -1;
  }

  private static int opening(List<Node> nodes, int close) {
    String c = nodes.get(close).text;
    String o = c.equals(")") ? "(" : "[";
    int depth = 0;
    for (int j = close; j >= 0; j--) {
      Node n = nodes.get(j);
      if (n.is(c)) {
        depth++;
      } else if (n.is(o) && --depth == 0) {
        return j;
      }
    }
    return -1;
  }

  static String text(List<Node> nodes, int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int j = from; j <= to; j++) {
      b.append(nodes.get(j).text);
    }
    return b.toString();
  }

  /** Replaces nodes[from..to] by one expression node. */
  static void replace(List<Node> nodes, int from, int to, String text) {
    for (int j = to; j > from; j--) {
      nodes.remove(j);
    }
    nodes.set(from, new Node(Kind.WORD, text, true));
  }

  static boolean isName(Node n) {
    return n.kind == Kind.QUOTED_IDENT
        || (n.kind == Kind.WORD && !n.expr && !KEYWORDS.contains(n.lower()));
  }

  // OPERATOR(schema.op) and COLLATE.

  private static boolean operators(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      int open = next(nodes, i);
      if (n.word("operator") && at(nodes, open, "(")) {
        int close = closing(nodes, open);
        if (close < 0) {
          continue;
        }
        StringBuilder op = new StringBuilder();
        int j = next(nodes, open);
        if (j < close && nodes.get(j).kind == Kind.WORD && at(nodes, next(nodes, j), ".")) {
          j = next(nodes, next(nodes, j));
        }
        for (; j >= 0 && j < close; j = next(nodes, j)) {
          op.append(nodes.get(j).text);
        }
        replace(nodes, i, close, op.toString());
        nodes.get(i).kind = Kind.OPERATOR;
        changed = true;
      } else if (n.word("collate")) {
        int j = next(nodes, i);
        int end = j;
        if (j >= 0 && nodes.get(j).word("pg_catalog") && at(nodes, next(nodes, j), ".")) {
          end = next(nodes, next(nodes, j));
        }
        if (end >= 0) {
          String name = nodes.get(end).kind == Kind.QUOTED_IDENT
              ? nodes.get(end).text.substring(1, nodes.get(end).text.length() - 1)
              : nodes.get(end).lower();
          if (name.equals("default") || name.equals("C") || name.equals("POSIX")
              || name.equals("c") || name.equals("posix")) {
            for (int k = i; k <= end; k++) {
              nodes.get(k).text = "";
            }
            changed = true;
          }
        }
      }
    }
    return changed;
  }

  // E'..' strings and LIKE's escape character.

  /**
   * E'\\n' becomes a plain literal holding the character itself (Calcite reads E'' strings in
   * another character set, which then compares with nothing); and a LIKE pattern given as a
   * literal or parameter gets ESCAPE '\\', which is PostgreSQL's default (pgjdbc escapes _ and %
   * in metadata patterns that way).
   */
  private static boolean strings(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.kind == Kind.STRING && (n.text.startsWith("E'") || n.text.startsWith("e'"))) {
        n.text = SqlLexer.quoteString(SqlLexer.stringValue(new Token(Kind.STRING, n.text, 0, 0)));
        changed = true;
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (!(n.word("like") || n.word("ilike"))) {
        continue;
      }
      int pattern = next(nodes, i);
      if (pattern < 0 || !(nodes.get(pattern).kind == Kind.STRING
          || nodes.get(pattern).kind == Kind.PARAM)) {
        continue;
      }
      int after = next(nodes, pattern);
      if (after >= 0 && (nodes.get(after).word("escape") || nodes.get(after).is("::")
          || nodes.get(after).is("||"))) {
        continue;
      }
      nodes.get(pattern).text += " ESCAPE '\\'";
      changed = true;
    }
    return changed;
  }

  // '{0}' compared with an array column (psql's policy queries). Only in statements that read
  // the catalog: elsewhere such a string is more likely text that merely looks like an array.

  private static boolean arrayLiterals(List<Node> nodes) {
    boolean catalog = false;
    for (Node n : nodes) {
      catalog |= n.word("pg_catalog");
    }
    if (!catalog) {
      return false;
    }
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.kind != Kind.STRING || !n.text.matches("'\\{[0-9A-Za-z_,]+\\}'")) {
        continue;
      }
      int op = prev(nodes, i);
      if (!(at(nodes, op, "=") || at(nodes, op, "<>") || at(nodes, op, "!="))
          || prev(nodes, op) < 0 || !isName(nodes.get(prev(nodes, op)))) {
        continue;
      }
      StringBuilder b = new StringBuilder("ARRAY[");
      String[] items = n.text.substring(2, n.text.length() - 2).split(",");
      for (int k = 0; k < items.length; k++) {
        b.append(k > 0 ? ", " : "").append(items[k].matches("-?\\d+") ? items[k]
            : SqlLexer.quoteString(items[k]));
      }
      replace(nodes, i, i, b.append(']').toString());
      changed = true;
    }
    return changed;
  }

  // Casts.

  private static boolean casts(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.get(i).is("::")) {
        continue;
      }
      int t = next(nodes, i);
      if (t < 0) {
        break;
      }
      int typeStart = t;
      if (nodes.get(t).word("pg_catalog") && at(nodes, next(nodes, t), ".")) {
        t = next(nodes, next(nodes, t));
        if (t < 0) {
          break;
        }
      }
      Node type = nodes.get(t);
      String name = type.kind == Kind.QUOTED_IDENT
          ? type.text.substring(1, type.text.length() - 1) : type.lower();
      if (name.equals("char") && type.kind != Kind.QUOTED_IDENT) {
        name = "character"; // SQL's char(1), not PostgreSQL's one-byte "char"
      }
      int end = t;
      boolean array = false;
      if (at(nodes, next(nodes, t), "[") && at(nodes, next(nodes, next(nodes, t)), "]")) {
        array = true;
        end = next(nodes, next(nodes, t));
      }
      if (REG_TYPES.contains(name) && !array) {
        int start = operandStart(nodes, i);
        if (start < 0) {
          continue;
        }
        Node first = nodes.get(start);
        boolean literal = start == prev(nodes, i)
            && (first.kind == Kind.STRING || first.kind == Kind.PARAM);
        String fn = "pg_catalog." + name + (literal ? "in(" : "out(");
        String operand = text(nodes, start, prev(nodes, i));
        replace(nodes, start, end, fn + operand + ")");
        i = start;
        changed = true;
      } else if (TYPES.containsKey(name) || typeStart != t || array || TIMESTAMP_TYPES.contains(name)) {
        int operand = prev(nodes, i);
        if (!array && name.equals("bytea") && operand >= 0 && nodes.get(operand).kind == Kind.STRING) {
          changed |= byteaLiteral(nodes.get(operand));
        }
        String calcite = TYPES.getOrDefault(name, type.text);
        for (int k = typeStart; k <= end; k++) {
          nodes.get(k).text = "";
        }
        type.text = calcite + (array ? " ARRAY" : "");
        changed = true;
        int after = next(nodes, end);
        if (!(wordAt(nodes, after, "with") || wordAt(nodes, after, "without"))) {
          int start = castCall(nodes, i, end);
          i = start < 0 ? i : start;
        }
      } else if (STANDARD_TYPES.contains(name) && type.kind == Kind.WORD) {
        end = t;
        int w = next(nodes, end);
        if ((name.equals("double") && wordAt(nodes, w, "precision"))
            || (name.equals("character") && wordAt(nodes, w, "varying"))) {
          end = w;
        }
        if (at(nodes, next(nodes, end), "(")) {
          end = closing(nodes, next(nodes, end));
        }
        if (end > 0 && at(nodes, next(nodes, end), "[")
            && at(nodes, next(nodes, next(nodes, end)), "]")) {
          end = next(nodes, next(nodes, end));
        }
        int start = end < 0 ? -1 : castCall(nodes, i, end);
        if (start >= 0) {
          i = start;
          changed = true;
        }
      }
    }
    return changed;
  }

  /** Type names Calcite casts to under the same name (besides those in TYPES). */
  private static final Set<String> STANDARD_TYPES = Set.of(
      "integer", "int", "smallint", "bigint", "real", "double", "float", "numeric", "decimal",
      "boolean", "varchar", "character", "date", "time");

  /**
   * Turns {@code operand::type} (the cast at {@code cast}, the type ending at {@code typeEnd})
   * into {@code CAST(operand AS type)}: Calcite's {@code ::} binds more loosely than a
   * comparison ({@code a = 'f'::char} would cast the comparison), PostgreSQL's binds tightest.
   * Returns the index of the new node, or -1 if the operand was not found (then nothing changes).
   */
  private static int castCall(List<Node> nodes, int cast, int typeEnd) {
    int start = operandStart(nodes, cast);
    if (start < 0) {
      return -1;
    }
    String operand = text(nodes, start, prev(nodes, cast));
    String type = text(nodes, next(nodes, cast), typeEnd).trim();
    replace(nodes, start, typeEnd, "CAST(" + operand + " AS " + type + ")");
    return start;
  }

  /**
   * {@code CAST(x AS type)} with a PostgreSQL type name: the same mapping (and literal
   * respelling) as {@code x::type}.
   */
  private static boolean castCalls(List<Node> nodes) {
    boolean changed = false;
    // Innermost first: a CAST that becomes a function call takes its operand's text along.
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (!nodes.get(i).word("cast") || !at(nodes, next(nodes, i), "(")) {
        continue;
      }
      int open = next(nodes, i);
      int close = closing(nodes, open);
      if (close < 0) {
        break;
      }
      int as = -1;
      int depth = 0;
      for (int j = open + 1; j < close; j++) {
        Node n = nodes.get(j);
        if (n.is("(") || n.is("[")) {
          depth++;
        } else if (n.is(")") || n.is("]")) {
          depth--;
        } else if (depth == 0 && n.word("as")) {
          as = j;
        }
      }
      int t = as < 0 ? -1 : next(nodes, as);
      if (t < 0 || t >= close) {
        continue;
      }
      Node type = nodes.get(t);
      String name = type.kind == Kind.QUOTED_IDENT ? type.text.substring(1, type.text.length() - 1) : type.lower();
      int operand = next(nodes, open);
      boolean literal = operand >= 0 && prev(nodes, as) == operand && nodes.get(operand).kind == Kind.STRING;
      if (literal && name.equals("bytea")) {
        changed |= byteaLiteral(nodes.get(operand));
      }
      if (REG_TYPES.contains(name) && type.kind == Kind.WORD && next(nodes, t) == close) {
        // As for ::regclass: a literal or a computed value (text, usually format(..)) is looked
        // up; a column is an OID whose name is wanted.
        boolean column = true;
        for (int j = operand; j >= 0 && j < as; j = next(nodes, j)) {
          column &= isName(nodes.get(j)) || nodes.get(j).is(".");
        }
        boolean in = literal || (operand >= 0 && nodes.get(operand).kind == Kind.PARAM
            && prev(nodes, as) == operand) || !column;
        String fn = "pg_catalog." + name + (in ? "in(" : "out(");
        replace(nodes, i, close, fn + text(nodes, operand, prev(nodes, as)) + ")");
        changed = true;
        continue;
      }
      if (TYPES.containsKey(name) && !name.equals("char")) {
        type.text = TYPES.get(name);
        changed = true;
      }
    }
    return changed;
  }

  private static final Set<String> TIMESTAMP_TYPES = Set.of("timestamp", "timestamptz");

  /**
   * {@code timestamp with time zone} becomes {@code timestamptz} (Calcite would read a
   * TIMESTAMP_TZ, a type LumaDB does not have) and {@code timestamp without time zone}
   * {@code timestamp}; a typed literal {@code timestamptz '...'} becomes a cast of the text,
   * which {@link TimestamptzCasts} reads. And {@code now()::type} casts CURRENT_TIMESTAMP.
   */
  private static boolean timestamptzNames(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.get(i).word("timestamp")) {
        continue;
      }
      int w = next(nodes, i);
      int time = next(nodes, w);
      int zone = next(nodes, time);
      if ((wordAt(nodes, w, "with") || wordAt(nodes, w, "without")) && wordAt(nodes, time, "time")
          && wordAt(nodes, zone, "zone")) {
        String name = nodes.get(w).word("with") ? "timestamptz" : "timestamp";
        for (int k = zone; k > i; k--) {
          nodes.remove(k);
        }
        nodes.set(i, new Node(Kind.WORD, name, false));
        changed = true;
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      // now()::type: the cast takes now() along before names() would see it
      int open = next(nodes, i);
      int close = next(nodes, open);
      if (nodes.get(i).word("now") && !at(nodes, prev(nodes, i), ".") && at(nodes, open, "(")
          && at(nodes, close, ")") && at(nodes, next(nodes, close), "::")) {
        replace(nodes, i, close, "CURRENT_TIMESTAMP");
        changed = true;
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      int lit = next(nodes, i);
      if (lit < 0 || nodes.get(lit).kind != Kind.STRING || at(nodes, prev(nodes, i), "::")
          || wordAt(nodes, prev(nodes, i), "as")) {
        continue;
      }
      if (nodes.get(i).word("timestamptz")) {
        replace(nodes, i, lit, "CAST(" + nodes.get(lit).text + " AS TIMESTAMP WITH LOCAL TIME ZONE)");
        changed = true;
      } else if (nodes.get(i).word("timestamp") && !CALCITE_TIMESTAMP.matcher(nodes.get(lit).text).matches()) {
        // TIMESTAMP '2024-01-01 10:00' (no seconds), '... +02', 'epoch': Calcite's parser takes
        // only yyyy-MM-dd[ HH:mm:ss[.f]]; a cast is read the way PostgreSQL reads the text.
        replace(nodes, i, lit, "CAST(" + nodes.get(lit).text + " AS TIMESTAMP)");
        changed = true;
      }
    }
    return changed;
  }

  /** A timestamp literal's text as Calcite's parser accepts it (quotes included). */
  private static final java.util.regex.Pattern CALCITE_TIMESTAMP =
      java.util.regex.Pattern.compile("'\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?)?'");

  /**
   * {@code '\\x00ff'::bytea} is PostgreSQL's hex input format; Calcite would take the
   * characters' bytes, so the literal becomes the binary literal {@code X'00ff'} (a string not
   * in hex format becomes the bytes of its UTF-8 text, as PostgreSQL's escape format does for
   * text without backslashes).
   */
  private static boolean byteaLiteral(Node literal) {
    if (!literal.text.startsWith("'")) {
      return false;
    }
    String value = literal.text.substring(1, literal.text.length() - 1).replace("''", "'");
    String hex;
    if (value.startsWith("\\x") || value.startsWith("\\X")) {
      hex = value.substring(2).replaceAll("\\s", "");
      java.util.regex.Matcher bad = java.util.regex.Pattern.compile("[^0-9a-fA-F]").matcher(hex);
      if (bad.find()) {
        throw new LumaException("22023", "invalid hexadecimal digit: \"" + bad.group() + "\"");
      }
      if (hex.length() % 2 != 0) {
        throw new LumaException("22023", "invalid hexadecimal data: odd number of digits");
      }
    } else if (value.indexOf('\\') < 0) {
      hex = java.util.HexFormat.of().formatHex(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else {
      return false; // escape format with backslashes: not supported, Calcite reports it
    }
    literal.text = "X'" + hex + "'";
    return true;
  }

  /** The first node of the primary expression that ends just before {@code cast}, or -1. */
  static int operandStart(List<Node> nodes, int cast) {
    int j = prev(nodes, cast);
    while (j >= 0) {
      Node n = nodes.get(j);
      int start;
      if (n.is("]")) {
        int open = opening(nodes, j);
        if (open < 0) {
          return -1;
        }
        j = prev(nodes, open);
        continue;
      } else if (n.is(")")) {
        start = opening(nodes, j);
        if (start < 0) {
          return -1;
        }
        int fn = prev(nodes, start);
        if (fn >= 0 && (isName(nodes.get(fn)) || CALL_KEYWORDS.contains(nodes.get(fn).lower()))) {
          start = fn; // f(...)::t, and CAST(x AS t)::u, left(s, 2)::t
        }
      } else if (n.expr || n.kind == Kind.STRING || n.kind == Kind.PARAM
          || n.kind == Kind.NUMBER || isName(n)) {
        start = j;
      } else {
        return -1;
      }
      // Qualifiers: a.b.c or schema.f(...)
      while (at(nodes, prev(nodes, start), ".") && prev(nodes, prev(nodes, start)) >= 0
          && isName(nodes.get(prev(nodes, prev(nodes, start))))) {
        start = prev(nodes, prev(nodes, start));
      }
      return start;
    }
    return -1;
  }

  // Names: SQL value functions, pg_catalog-qualified functions, functions in FROM.

  private static boolean names(List<Node> nodes) {
    boolean changed = false;
    // Per parenthesis depth: the clause we are in.
    List<String> clause = new ArrayList<>();
    clause.add("");
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (!n.sig()) {
        continue;
      }
      if (n.is("(")) {
        clause.add("");
        continue;
      }
      if (n.is(")")) {
        if (clause.size() > 1) {
          clause.remove(clause.size() - 1);
        }
        continue;
      }
      int depth = clause.size() - 1;
      if (n.kind == Kind.WORD && !n.expr) {
        String w = n.lower();
        if (CLAUSES.contains(w)) {
          clause.set(depth, w);
        } else if (w.equals("join")) {
          clause.set(depth, "from");
        }
      }
      int p = prev(nodes, i);
      boolean qualified = at(nodes, p, ".") || at(nodes, next(nodes, i), ".");
      if (n.kind == Kind.WORD && !n.expr && !qualified) {
        String w = n.lower();
        String replacement = switch (w) {
          case "current_catalog" -> "pg_catalog.current_database()";
          case "current_schema" -> "pg_catalog.current_schema()";
          case "current_user", "session_user", "current_role", "user" ->
              "pg_catalog.pg_get_userbyid(" + io.lumadb.sql.pgcatalog.Oids.USER_ROLE + ")";
          // now(): the statement's start time, which Calcite calls CURRENT_TIMESTAMP.
          case "now" -> at(nodes, next(nodes, i), "(") && at(nodes, next(nodes, next(nodes, i)), ")")
              ? "CURRENT_TIMESTAMP" : null;
          default -> null;
        };
        if (replacement != null) {
          int end = i;
          int after = next(nodes, i);
          if ((w.equals("current_schema") || w.equals("now")) && at(nodes, after, "(")
              && at(nodes, next(nodes, after), ")")) {
            end = next(nodes, after);
          } else if (at(nodes, after, "(")) {
            continue;
          }
          after = next(nodes, end);
          boolean selectItem = clause.get(depth).equals("select")
              && (after < 0 || at(nodes, after, ",") || wordAt(nodes, after, "from")
                  || nodes.get(after).kind == Kind.SEMICOLON)
              && (wordAt(nodes, p, "select") || at(nodes, p, ","));
          replace(nodes, i, end,
              replacement + (selectItem ? " AS " + SqlLexer.quoteIdentifier(w) : ""));
          changed = true;
          continue;
        }
      }
      if (clause.get(depth).equals("select") && functionColumnName(nodes, i)) {
        changed = true;
      }
      // A set-returning function in FROM: name its column after the alias, as PostgreSQL does.
      boolean tablePosition = wordAt(nodes, p, "from") || wordAt(nodes, p, "join")
          || (at(nodes, p, ",") && clause.get(depth).equals("from"));
      if (tablePosition) {
        if (functionInFrom(nodes, i)) {
          changed = true;
          continue;
        }
      }
      // pg_catalog.f( for a function Calcite has under its own name.
      if (n.word("pg_catalog") && at(nodes, next(nodes, i), ".")) {
        int f = next(nodes, next(nodes, i));
        if (f >= 0 && nodes.get(f).kind == Kind.WORD && at(nodes, next(nodes, f), "(")
            && !PgCatalog.functionNames().contains(nodes.get(f).lower())) {
          for (int k = i; k < f; k++) {
            nodes.get(k).text = "";
            nodes.get(k).kind = Kind.SPACE;
          }
          changed = true;
        }
      }
    }
    return changed;
  }

  private static boolean functionInFrom(List<Node> nodes, int i) {
    int f = i;
    if (nodes.get(i).word("pg_catalog") && at(nodes, next(nodes, i), ".")) {
      f = next(nodes, next(nodes, i));
    }
    boolean scalar = f >= 0 && nodes.get(f).kind == Kind.WORD && !nodes.get(f).expr
        && SCALAR_FUNCTIONS_IN_FROM.contains(nodes.get(f).lower());
    if (f < 0 || !(scalar || nodes.get(f).word("generate_series") || nodes.get(f).word("unnest"))) {
      return false;
    }
    int open = next(nodes, f);
    if (!at(nodes, open, "(")) {
      return false;
    }
    int close = closing(nodes, open);
    if (close < 0) {
      return false;
    }
    int a = next(nodes, close);
    boolean as = wordAt(nodes, a, "as");
    if (as) {
      a = next(nodes, a);
    }
    if (a < 0 || !isName(nodes.get(a)) || at(nodes, next(nodes, a), "(")
        || wordAt(nodes, a, "with")) {
      return false;
    }
    String alias = nodes.get(a).text;
    if (scalar) {
      // A function that returns one value: a relation of one row whose column is the alias.
      replace(nodes, i, a, "(SELECT " + text(nodes, i, close) + " AS " + alias + ") AS " + alias);
      return true;
    }
    String call = nodes.get(f).word("unnest")
        ? "UNNEST" + text(nodes, open, close) : "TABLE(generate_series" + text(nodes, open, close) + ")";
    replace(nodes, i, a, call + " AS " + alias + "(" + alias + ")");
    return true;
  }

  // pgjdbc's information_schema._pg_expandarray(a) in a select list.

  private static boolean expandArrays(List<Node> nodes) {
    boolean changed = false;
    Map<String, String> aliases = new HashMap<>();
    int counter = 0;
    for (int i = 0; i < nodes.size(); i++) {
      int call = expandCall(nodes, i);
      if (call < 0) {
        continue;
      }
      // The SELECT this call belongs to: the nearest one at the same depth, looking back
      // (past the parenthesis of "(call).n").
      int select = -1;
      int depth = 0;
      int from = at(nodes, prev(nodes, i), "(") ? prev(nodes, i) : i;
      for (int j = from - 1; j >= 0; j--) {
        Node n = nodes.get(j);
        if (n.is(")")) {
          depth++;
        } else if (n.is("(")) {
          if (depth == 0) {
            break;
          }
          depth--;
        } else if (depth == 0 && n.word("select")) {
          select = j;
          break;
        }
      }
      if (select < 0) {
        return changed;
      }
      // Collect every call in this select list, keyed by argument text.
      int fromIdx = clauseEnd(nodes, select, Set.of("from"));
      if (fromIdx < 0) {
        return changed;
      }
      Map<String, String> unnests = new LinkedHashMap<>();
      for (int j = select; j < fromIdx; j++) {
        int c = expandCall(nodes, j);
        if (c < 0) {
          continue;
        }
        int open = next(nodes, c);
        int close = closing(nodes, open);
        String arg = text(nodes, next(nodes, open), prev(nodes, close));
        String k = unnests.computeIfAbsent(arg, x -> null);
        if (k == null) {
          k = "_pg_expandarray_" + (++counter);
          unnests.put(arg, k);
        }
        // (call).field -> k.field
        int before = prev(nodes, j);
        int after = next(nodes, close);
        if (at(nodes, before, "(") && at(nodes, after, ")") && at(nodes, next(nodes, after), ".")) {
          int field = next(nodes, next(nodes, after));
          replace(nodes, before, field, k + "." + nodes.get(field).lower());
        } else {
          // call AS alias -> k.x AS "alias.x", k.n AS "alias.n"
          int as = next(nodes, close);
          int alias = wordAt(nodes, as, "as") ? next(nodes, as) : as;
          if (alias < 0 || !isName(nodes.get(alias))) {
            return changed;
          }
          String name = SqlLexer.identifier(new Token(nodes.get(alias).kind,
              nodes.get(alias).text, 0, 0));
          aliases.put(name, name);
          replace(nodes, j, alias, k + ".x AS " + SqlLexer.quoteIdentifier(name + ".x") + ", "
              + k + ".n AS " + SqlLexer.quoteIdentifier(name + ".n"));
        }
        fromIdx = clauseEnd(nodes, select, Set.of("from"));
        changed = true;
      }
      int end = clauseEnd(nodes, fromIdx, Set.of("where", "group", "having", "order", "limit",
          "offset", "union", "except", "intersect", "window", "fetch"));
      StringBuilder joins = new StringBuilder();
      unnests.forEach((arg, k) -> joins.append(" CROSS JOIN UNNEST(").append(arg)
          .append(") WITH ORDINALITY AS ").append(k).append("(x, n)"));
      nodes.add(end, new Node(Kind.WORD, joins + " ", true));
      i = select;
    }
    if (!aliases.isEmpty()) {
      // (q.alias).x -> q."alias.x"
      for (int i = 0; i < nodes.size(); i++) {
        if (!nodes.get(i).is("(")) {
          continue;
        }
        int q = next(nodes, i);
        int dot = next(nodes, q);
        int a = next(nodes, dot);
        int close = next(nodes, a);
        int dot2 = next(nodes, close);
        int field = next(nodes, dot2);
        if (q < 0 || dot < 0 || a < 0 || close < 0 || dot2 < 0 || field < 0) {
          continue;
        }
        if (isName(nodes.get(q)) && at(nodes, dot, ".") && isName(nodes.get(a))
            && at(nodes, close, ")") && at(nodes, dot2, ".") && isName(nodes.get(field))) {
          String name = SqlLexer.identifier(new Token(nodes.get(a).kind, nodes.get(a).text, 0, 0));
          if (aliases.containsKey(name)) {
            replace(nodes, i, field, nodes.get(q).text + "."
                + SqlLexer.quoteIdentifier(name + "." + nodes.get(field).lower()));
            changed = true;
          }
        }
      }
    }
    return changed;
  }

  /** If nodes[i] starts information_schema._pg_expandarray(, the index of the name node. */
  private static int expandCall(List<Node> nodes, int i) {
    Node n = nodes.get(i);
    if (n.word("information_schema") && at(nodes, next(nodes, i), ".")) {
      int f = next(nodes, next(nodes, i));
      if (wordAt(nodes, f, "_pg_expandarray") && at(nodes, next(nodes, f), "(")) {
        return f;
      }
    }
    return -1;
  }

  /**
   * The index of the first word in {@code words} after {@code from} at the same parenthesis
   * depth, or of the parenthesis closing that depth, or the end of the statement.
   */
  static int clauseEnd(List<Node> nodes, int from, Set<String> words) {
    int depth = 0;
    for (int j = next(nodes, from); j >= 0 && j < nodes.size(); j = next(nodes, j)) {
      Node n = nodes.get(j);
      if (n.is("(")) {
        depth++;
      } else if (n.is(")")) {
        if (depth == 0) {
          return j;
        }
        depth--;
      } else if (depth == 0 && n.kind == Kind.WORD && !n.expr && words.contains(n.lower())) {
        return j;
      } else if (depth == 0 && n.kind == Kind.SEMICOLON) {
        return j;
      }
    }
    return nodes.size();
  }

  /** Functions that return one value, which clients also call in FROM (Grafana). */
  private static final Set<String> SCALAR_FUNCTIONS_IN_FROM = Set.of(
      "string_to_array", "parse_ident", "current_schemas", "current_setting", "array_to_string");

  /** PostgreSQL names these columns after something else (btrim, ...); leave them. */
  private static final Set<String> UNNAMED_FUNCTIONS = Set.of("trim", "row", "values");

  /**
   * If nodes[i] is the name of a function called as a whole select item without an alias
   * ({@code SELECT version(), pg_catalog.f(x) FROM}), names the column after the function.
   */
  private static boolean functionColumnName(List<Node> nodes, int i) {
    Node n = nodes.get(i);
    int open = next(nodes, i);
    if (!isName(n) || n.kind != Kind.WORD || !at(nodes, open, "(")
        || UNNAMED_FUNCTIONS.contains(n.lower())) {
      return false;
    }
    int start = i;
    int p = prev(nodes, i);
    if (at(nodes, p, ".")) {
      start = prev(nodes, p);
      if (start < 0 || !isName(nodes.get(start)) || at(nodes, prev(nodes, start), ".")) {
        return false;
      }
    }
    int before = prev(nodes, start);
    if (!(wordAt(nodes, before, "select") || at(nodes, before, ",")
        || wordAt(nodes, before, "distinct"))) {
      return false;
    }
    int close = closing(nodes, open);
    if (close < 0) {
      return false;
    }
    int after = next(nodes, close);
    if (!(after < 0 || at(nodes, after, ",") || at(nodes, after, ")")
        || wordAt(nodes, after, "from") || nodes.get(after).kind == Kind.SEMICOLON)) {
      return false;
    }
    nodes.add(close + 1, new Node(Kind.WORD, " AS " + SqlLexer.quoteIdentifier(n.lower()), true));
    return true;
  }

  /**
   * {@code indisprimary = 't'}: PostgreSQL reads the literal as a boolean because the column is
   * one; Calcite cannot cast 't' to BOOLEAN. Only for the catalog's boolean columns, in
   * statements that read the catalog.
   */
  private static boolean catalogBooleans(List<Node> nodes, boolean readsCatalog) {
    if (!readsCatalog) {
      return false;
    }
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node lit = nodes.get(i);
      if (lit.kind != Kind.STRING || lit.expr || !lit.text.startsWith("'")) {
        continue;
      }
      Boolean value = booleanInput(lit.text.substring(1, lit.text.length() - 1));
      if (value == null) {
        continue;
      }
      int op = prev(nodes, i);
      if (!(at(nodes, op, "=") || at(nodes, op, "<>") || at(nodes, op, "!="))) {
        continue;
      }
      int col = prev(nodes, op);
      if (col < 0 || !isName(nodes.get(col))) {
        continue;
      }
      Node c = nodes.get(col);
      String name = c.kind == Kind.QUOTED_IDENT ? c.text.substring(1, c.text.length() - 1)
          : c.lower();
      if (PgCatalog.isBooleanCatalogColumn(name)) {
        replace(nodes, i, i, value ? "TRUE" : "FALSE");
        changed = true;
      }
    }
    return changed;
  }

  /** PostgreSQL's boolean input syntax, or null. */
  private static Boolean booleanInput(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "t", "true", "y", "yes", "on", "1" -> true;
      case "f", "false", "n", "no", "off", "0" -> false;
      default -> null;
    };
  }

  /**
   * {@code SELECT a, generate_series(x, y) AS i FROM t1, t2 WHERE ..} becomes
   * {@code SELECT a, _srf_1.i AS i FROM t1, t2, LATERAL TABLE(generate_series(x, y)) AS
   * _srf_1(i) WHERE ..}: one row per generated value, none when the bounds are NULL.
   */
  private static boolean selectListSeries(List<Node> nodes) {
    boolean changed = false;
    int counter = 0;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      int start = i;
      int f = i;
      if (n.word("pg_catalog") && at(nodes, next(nodes, i), ".")) {
        f = next(nodes, next(nodes, i));
      }
      if (!wordAt(nodes, f, "generate_series") || at(nodes, prev(nodes, start), ".")) {
        continue;
      }
      int open = next(nodes, f);
      int before = prev(nodes, start);
      if (!at(nodes, open, "(")
          || !(at(nodes, before, ",") || wordAt(nodes, before, "select"))) {
        continue;
      }
      int close = closing(nodes, open);
      if (close < 0) {
        continue;
      }
      int a = next(nodes, close);
      if (wordAt(nodes, a, "as")) {
        a = next(nodes, a);
      }
      String alias = "generate_series";
      int end = close;
      if (a >= 0 && isName(nodes.get(a)) && !wordAt(nodes, a, "from")) {
        alias = nodes.get(a).text;
        end = a;
      }
      int after = next(nodes, end);
      if (!(at(nodes, after, ",") || wordAt(nodes, after, "from"))) {
        continue;
      }
      // The SELECT the item belongs to, at the same depth, and its FROM clause.
      int select = -1;
      int depth = 0;
      for (int j = start - 1; j >= 0; j--) {
        Node b = nodes.get(j);
        if (b.is(")")) {
          depth++;
        } else if (b.is("(")) {
          if (depth-- == 0) {
            break;
          }
        } else if (depth == 0 && b.word("from")) {
          break;
        } else if (depth == 0 && b.word("select")) {
          select = j;
          break;
        }
      }
      if (select < 0) {
        continue;
      }
      String k = "_srf_" + (++counter);
      String call = "generate_series" + text(nodes, open, close);
      replace(nodes, start, end, k + "." + alias + " AS " + alias);
      int from = clauseEnd(nodes, select, Set.of("from"));
      if (from >= nodes.size() || !wordAt(nodes, from, "from")) {
        return changed; // no FROM: leave the rest to the parser
      }
      int fromEnd = clauseEnd(nodes, from, Set.of("where", "group", "having", "order", "limit",
          "offset", "union", "except", "intersect", "window", "fetch"));
      nodes.add(fromEnd, new Node(Kind.WORD, ", LATERAL TABLE(" + call + ") AS " + k + "("
          + alias + ") ", true));
      changed = true;
    }
    return changed;
  }
}
