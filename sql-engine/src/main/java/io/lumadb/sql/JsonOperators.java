package io.lumadb.sql;

import static io.lumadb.sql.PgDialect.at;
import static io.lumadb.sql.PgDialect.closing;
import static io.lumadb.sql.PgDialect.next;
import static io.lumadb.sql.PgDialect.prev;
import static io.lumadb.sql.PgDialect.replace;
import static io.lumadb.sql.PgDialect.text;
import static io.lumadb.sql.PgDialect.wordAt;

import io.lumadb.sql.PgDialect.Node;
import io.lumadb.sql.SqlLexer.Kind;
import java.util.List;

/**
 * PostgreSQL's json syntax, which Calcite does not parse, as calls of
 * {@link io.lumadb.sql.pgcatalog.JsonFunctions}: {@code x::json}, {@code CAST(x AS jsonb)} and
 * {@code jsonb '...'} check (and for jsonb normalize) the text; {@code j -> k} and
 * {@code j ->> k} read an object member (k text) or array element (k an integer, negative
 * from the end); {@code a @> b} and {@code b <@ a} are jsonb containment. The operators bind
 * to the primary expressions next to them and chain left to right ({@code j -> 'a' ->> 'b'}).
 */
final class JsonOperators {
  private JsonOperators() {}

  static boolean rewrite(List<Node> nodes) {
    boolean changed = casts(nodes);
    for (int i = 0; i < nodes.size(); i++) {
      String fn;
      int opEnd;
      boolean swap = false;
      if (adjacent(nodes, i, "-", ">")) {
        boolean text = i + 2 < nodes.size() && nodes.get(i + 2).is(">");
        fn = text ? "lumadb_json_get_text" : "lumadb_json_get";
        opEnd = text ? i + 2 : i + 1;
      } else if (adjacent(nodes, i, "@", ">")) {
        fn = "lumadb_jsonb_contains";
        opEnd = i + 1;
      } else if (adjacent(nodes, i, "<", "@")) {
        fn = "lumadb_jsonb_contains";
        opEnd = i + 1;
        swap = true;
      } else {
        continue;
      }
      int start = PgDialect.operandStart(nodes, i);
      int right = next(nodes, opEnd);
      int rightEnd = right < 0 ? -1 : operandEnd(nodes, right);
      if (start < 0 || rightEnd < 0) {
        continue;
      }
      String left = text(nodes, start, prev(nodes, i)).trim();
      String r = text(nodes, right, rightEnd).trim();
      replace(nodes, start, rightEnd, fn + "(" + (swap ? r : left) + ", " + (swap ? left : r) + ")");
      i = start;
      changed = true;
    }
    return changed;
  }

  private static boolean adjacent(List<Node> nodes, int i, String a, String b) {
    return nodes.get(i).is(a) && i + 1 < nodes.size() && nodes.get(i + 1).is(b)
        && nodes.get(i).kind == Kind.OPERATOR;
  }

  /** The last node of the primary expression starting at {@code i}, or -1. */
  private static int operandEnd(List<Node> nodes, int i) {
    Node n = nodes.get(i);
    if (n.is("-") && next(nodes, i) >= 0 && nodes.get(next(nodes, i)).kind == Kind.NUMBER) {
      return next(nodes, i);
    }
    if (n.is("(")) {
      return closing(nodes, i);
    }
    if (n.expr || n.kind == Kind.STRING || n.kind == Kind.NUMBER || n.kind == Kind.PARAM) {
      return i;
    }
    if (!PgDialect.isName(n)) {
      return -1;
    }
    int end = i;
    while (at(nodes, next(nodes, end), ".") && next(nodes, next(nodes, end)) >= 0
        && PgDialect.isName(nodes.get(next(nodes, next(nodes, end))))) {
      end = next(nodes, next(nodes, end));
    }
    if (at(nodes, next(nodes, end), "(")) {
      end = closing(nodes, next(nodes, end));
    }
    return end;
  }

  /** {@code x::json[b]}, {@code CAST(x AS json[b])}, {@code json[b] 'literal'}. */
  private static boolean casts(List<Node> nodes) {
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      String fn = jsonType(nodes, i);
      if (n.is("::")) {
        int t = next(nodes, i);
        if (t >= 0 && nodes.get(t).word("pg_catalog") && at(nodes, next(nodes, t), ".")) {
          t = next(nodes, next(nodes, t));
        }
        String cast = t < 0 ? null : jsonType(nodes, t);
        if (cast == null || at(nodes, next(nodes, t), "[")) {
          continue;
        }
        int start = PgDialect.operandStart(nodes, i);
        if (start < 0) {
          continue;
        }
        replace(nodes, start, t, cast + "(" + text(nodes, start, prev(nodes, i)).trim() + ")");
        i = start;
        changed = true;
      } else if (n.word("cast") && at(nodes, next(nodes, i), "(")) {
        int open = next(nodes, i);
        int close = closing(nodes, open);
        int t = close < 0 ? -1 : prev(nodes, close);
        String cast = t < 0 ? null : jsonType(nodes, t);
        int as = cast == null ? -1 : prev(nodes, t);
        if (at(nodes, as, ".") && wordAt(nodes, prev(nodes, as), "pg_catalog")) {
          as = prev(nodes, prev(nodes, as));
        }
        if (!wordAt(nodes, as, "as")) {
          continue;
        }
        replace(nodes, i, close, cast + "(" + text(nodes, next(nodes, open), prev(nodes, as)).trim() + ")");
        changed = true;
      } else if (fn != null && next(nodes, i) >= 0 && nodes.get(next(nodes, i)).kind == Kind.STRING
          && !at(nodes, prev(nodes, i), "::") && !at(nodes, prev(nodes, i), ".")
          && !wordAt(nodes, prev(nodes, i), "as")) {
        replace(nodes, i, next(nodes, i), fn + "(" + nodes.get(next(nodes, i)).text + ")");
        changed = true;
      }
    }
    return changed;
  }

  /** The check function for a json type name at {@code i}, or null. */
  private static String jsonType(List<Node> nodes, int i) {
    Node n = nodes.get(i);
    String name = n.kind == Kind.QUOTED_IDENT && n.text.length() >= 2 ? n.text.substring(1, n.text.length() - 1)
        : n.kind == Kind.WORD && !n.expr ? n.lower() : "";
    return name.equals("json") ? "lumadb_json" : name.equals("jsonb") ? "lumadb_jsonb" : null;
  }
}
