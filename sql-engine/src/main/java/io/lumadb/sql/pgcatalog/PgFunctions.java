package io.lumadb.sql.pgcatalog;

import io.lumadb.sql.LumaException;
import io.lumadb.sql.SessionSettings;
import io.lumadb.sql.pgcatalog.PgCatalogContext.Relation;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;

/**
 * PostgreSQL's system information and catalog functions, as clients call them. Arguments
 * arrive untyped (see {@link PgFunction}); a NULL argument gives NULL, as the strict
 * PostgreSQL functions do. Functions about objects LumaDB does not have (indexes,
 * constraints, triggers, rules, views, functions, comments) answer NULL, as PostgreSQL does
 * for an OID that names nothing.
 */
public final class PgFunctions {
  private PgFunctions() {}

  private static PgCatalogContext ctx(DataContext root) {
    return PgCatalogContext.of(root);
  }

  /** An oid or integer argument, which clients also write as a string literal ('16384'). */
  private static Integer oid(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    String s = v.toString().trim();
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new LumaException("22P02", "invalid input syntax for type oid: \"" + s + "\"");
    }
  }

  /** A regclass argument: an OID, or a relation name as a string literal. */
  private static Integer relOid(DataContext root, Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof Number n ? Integer.valueOf(n.intValue()) : ctx(root).regclassIn(v.toString());
  }

  // Session information.

  public static String current_database() {
    return PgCatalogContext.DATABASE;
  }

  public static String version(DataContext root) {
    return "PostgreSQL " + ctx(root).settings().get("server_version") + " (LumaDB)";
  }

  public static String current_schema(DataContext root) {
    return ctx(root).searchPath(false).get(0);
  }

  public static List<String> current_schemas(DataContext root, Object includeImplicit) {
    if (includeImplicit == null) {
      return null;
    }
    return new ArrayList<>(ctx(root).searchPath(Boolean.TRUE.equals(includeImplicit)));
  }

  public static String current_setting(DataContext root, Object name) {
    return current_setting(root, name, false);
  }

  public static String current_setting(DataContext root, Object name, Object missingOk) {
    if (name == null) {
      return null;
    }
    SessionSettings settings = ctx(root).settings();
    String value = settings.get(name.toString());
    if (value == null && !Boolean.TRUE.equals(missingOk)) {
      throw new LumaException("42704", "unrecognized configuration parameter \"" + name + "\"");
    }
    return value;
  }

  public static Boolean pg_is_in_recovery() {
    return false;
  }

  public static String pg_encoding_to_char(Object encoding) {
    Integer e = oid(encoding);
    return e == null ? null : e == 6 ? "UTF8" : "";
  }

  // Visibility and naming.

  public static String pg_get_userbyid(DataContext root, Object roleOid) {
    Integer o = oid(roleOid);
    if (o == null) {
      return null;
    }
    return o == Oids.USER_ROLE ? ctx(root).user() : "unknown (OID=" + o + ")";
  }

  public static Boolean pg_table_is_visible(DataContext root, Object relOid) {
    Integer o = oid(relOid);
    if (o == null) {
      return null;
    }
    PgCatalogContext c = ctx(root);
    Relation r = c.relation(o);
    return r == null ? null : c.isVisible(r);
  }

  public static Boolean pg_type_is_visible(DataContext root, Object typeOid) {
    Integer o = oid(typeOid);
    if (o == null) {
      return null;
    }
    if (PgTypes.byOid(o) != null) {
      return true;
    }
    PgCatalogContext c = ctx(root);
    Relation r = c.relationOfRowType(o);
    return r == null || r.rowType() != o ? null : c.isVisible(r);
  }

  /** LumaDB has no functions in pg_proc, so no OID names a visible one. */
  public static Boolean pg_function_is_visible(Object procOid) {
    return null;
  }

  public static String format_type(DataContext root, Object typeOid, Object typmod) {
    Integer o = oid(typeOid);
    if (o == null) {
      return null;
    }
    Integer mod = oid(typmod);
    String s = ctx(root).formatType(o, mod == null ? -1 : mod);
    return s == null ? "???" : s;
  }

  public static String quote_ident(Object name) {
    return name == null ? null : PgCatalogContext.quoteIdent(name.toString());
  }

  /**
   * A string as a SQL literal: single quotes doubled; with a backslash, backslashes doubled and
   * the escape-string form {@code E'...'}, as PostgreSQL's quote_literal.
   */
  public static String quote_literal(Object value) {
    if (value == null) {
      return null;
    }
    String v = value.toString();
    String quoted = "'" + v.replace("\\", "\\\\").replace("'", "''") + "'";
    return v.indexOf('\\') >= 0 ? "E" + quoted : quoted;
  }

  // OID alias types (the PgDialect rewrites casts to these).

  public static Integer regclassin(DataContext root, Object text) {
    return text == null ? null : ctx(root).regclassIn(text.toString());
  }

  public static String regclassout(DataContext root, Object oid) {
    Integer o = oid(oid);
    return o == null ? null : ctx(root).regclassOut(o);
  }

  public static Integer regtypein(DataContext root, Object text) {
    return text == null ? null : ctx(root).regtypeIn(text.toString());
  }

  public static String regtypeout(DataContext root, Object oid) {
    Integer o = oid(oid);
    return o == null ? null : ctx(root).regtypeOut(o);
  }

  public static Integer regnamespacein(DataContext root, Object text) {
    return text == null ? null : ctx(root).regnamespaceIn(text.toString());
  }

  public static String regnamespaceout(DataContext root, Object oid) {
    Integer o = oid(oid);
    return o == null ? null : ctx(root).regnamespaceOut(o);
  }

  public static Integer regprocin(DataContext root, Object text) {
    return text == null ? null : ctx(root).regprocIn(text.toString());
  }

  public static String regprocout(DataContext root, Object oid) {
    Integer o = oid(oid);
    return o == null ? null : ctx(root).regprocOut(o);
  }

  // Definitions and comments of objects LumaDB does not have.

  /** Our node trees (column defaults, predicates) would be stored as SQL text already. */
  public static String pg_get_expr(Object expr, Object relOid) {
    return expr == null ? null : expr.toString();
  }

  public static String pg_get_expr(Object expr, Object relOid, Object pretty) {
    return pg_get_expr(expr, relOid);
  }

  public static String pg_get_indexdef(DataContext root, Object indexOid) {
    return pg_get_indexdef(root, indexOid, 0, false);
  }

  /** An index's definition (column 0) or one key column's name; NULL for anything else. */
  public static String pg_get_indexdef(DataContext root, Object indexOid, Object column, Object pretty) {
    Integer o = oid(indexOid);
    if (o == null || column == null) {
      return null;
    }
    PgCatalogContext ctx = ctx(root);
    PgCatalogContext.Relation r = ctx.relation(o);
    return r == null || !r.isIndex() ? null : ctx.indexDefinition(r, Integer.parseInt(column.toString().trim()));
  }

  public static String pg_get_constraintdef(Object constraintOid) {
    return null;
  }

  public static String pg_get_constraintdef(Object constraintOid, Object pretty) {
    return null;
  }

  public static String pg_get_triggerdef(Object triggerOid) {
    return null;
  }

  public static String pg_get_triggerdef(Object triggerOid, Object pretty) {
    return null;
  }

  /** A user view's query as it was written (PostgreSQL deparses it instead); null otherwise. */
  public static String pg_get_viewdef(DataContext root, Object view) {
    Integer o = relOid(root, view);
    if (o == null) {
      return null;
    }
    Relation r = ctx(root).relation(o);
    return r == null ? null : r.viewDefinition();
  }

  public static String pg_get_viewdef(DataContext root, Object view, Object pretty) {
    return pg_get_viewdef(root, view);
  }

  public static String pg_get_ruledef(Object ruleOid) {
    return null;
  }

  public static String pg_get_ruledef(Object ruleOid, Object pretty) {
    return null;
  }

  public static String pg_get_functiondef(Object procOid) {
    return null;
  }

  public static String pg_get_function_result(Object procOid) {
    return null;
  }

  public static String pg_get_function_arguments(Object procOid) {
    return null;
  }

  public static String pg_get_function_identity_arguments(Object procOid) {
    return null;
  }

  public static String pg_get_function_sqlbody(Object procOid) {
    return null;
  }

  public static String pg_get_statisticsobjdef_columns(Object statOid) {
    return null;
  }

  public static String pg_get_partkeydef(Object relOid) {
    return null;
  }

  /** The deprecated one-argument form: the object's description in any catalog. */
  public static String obj_description(Object oid) {
    Integer o = oid(oid);
    return o == null ? null : PgCatalogTables.description(o, null, 0);
  }

  public static String obj_description(DataContext root, Object oid, Object catalog) {
    Integer o = oid(oid);
    if (o == null || catalog == null) {
      return null;
    }
    Integer classOid = relOid(root, catalog);
    return PgCatalogTables.description(o, classOid, 0);
  }

  public static String col_description(Object relOid, Object column) {
    return null;
  }

  public static String shobj_description(Object oid, Object catalog) {
    return null;
  }

  /** LumaDB has one role and it may do everything. */
  public static Boolean has_privilege(Object object, Object privilege) {
    return object == null || privilege == null ? null : true;
  }

  public static Boolean has_privilege(Object role, Object object, Object privilege) {
    return role == null || object == null || privilege == null ? null : true;
  }

  public static Boolean has_column_privilege(Object table, Object column, Object privilege) {
    return table == null || column == null || privilege == null ? null : true;
  }

  public static Boolean has_column_privilege(Object role, Object table, Object column,
      Object privilege) {
    return role == null || table == null || column == null || privilege == null ? null : true;
  }

  /** Publications do not exist; a LumaDB table could be published if they did. */
  public static Boolean pg_relation_is_publishable(DataContext root, Object rel) {
    Integer o = relOid(root, rel);
    if (o == null) {
      return null;
    }
    Relation r = ctx(root).relation(o);
    return r == null ? null : r.isUserTable();
  }

  // Sizes.

  public static Long pg_table_size(DataContext root, Object rel) {
    Integer o = relOid(root, rel);
    if (o == null) {
      return null;
    }
    PgCatalogContext c = ctx(root);
    Relation r = c.relation(o);
    return r == null ? null : c.tableBytes(r);
  }

  public static Long pg_indexes_size(DataContext root, Object rel) {
    Integer o = relOid(root, rel);
    return o == null || ctx(root).relation(o) == null ? null : 0L;
  }

  public static Long pg_database_size(DataContext root, Object database) {
    if (database == null) {
      return null;
    }
    PgCatalogContext c = ctx(root);
    long n = 0;
    for (Relation r : c.userRelations()) {
      n += c.tableBytes(r);
    }
    return n;
  }

  /** PostgreSQL's pg_size_pretty(bigint): bytes below 10 kB, then kB, MB, GB, TB, PB. */
  public static String pg_size_pretty(Object bytes) {
    if (bytes == null) {
      return null;
    }
    long size = ((Number) bytes).longValue();
    long limit = 10 * 1024;
    long limit2 = limit * 2 - 1;
    if (Math.abs(size) < limit) {
      return size + " bytes";
    }
    size >>= 9; // one extra bit for rounding
    for (String unit : new String[] {"kB", "MB", "GB", "TB"}) {
      if (Math.abs(size) < limit2) {
        return halfRounded(size) + " " + unit;
      }
      size >>= 10;
    }
    return halfRounded(size) + " PB";
  }

  private static long halfRounded(long x) {
    return (x + (x < 0 ? -1 : 1)) / 2;
  }

  // Arrays (PostgreSQL's one-dimensional arrays are Calcite ARRAYs, held as lists).

  public static String array_to_string(Object array, Object separator) {
    return array_to_string(array, separator, null);
  }

  public static String array_to_string(Object array, Object separator, Object nullString) {
    if (array == null || separator == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    boolean first = true;
    for (Object item : (List<?>) array) {
      if (item == null && nullString == null) {
        continue;
      }
      if (!first) {
        b.append(separator);
      }
      b.append(item == null ? nullString : item);
      first = false;
    }
    return b.toString();
  }

  public static Integer array_upper(Object array, Object dimension) {
    Integer lower = array_lower(array, dimension);
    return lower == null ? null : lower + ((List<?>) array).size() - 1;
  }

  public static Integer array_lower(Object array, Object dimension) {
    if (array == null || dimension == null || oid(dimension) != 1 || ((List<?>) array).isEmpty()) {
      return null;
    }
    return PgArrays.lowerBound((List<?>) array);
  }

  public static Integer array_length(Object array, Object dimension) {
    return array_lower(array, dimension) == null ? null : ((List<?>) array).size();
  }

  /**
   * PostgreSQL's string_to_array(text, delimiter[, null_string]): an empty string gives an
   * empty array, a NULL delimiter splits into characters, an empty delimiter gives the whole
   * string; elements equal to null_string become NULL.
   */
  public static List<String> string_to_array(Object text, Object delimiter) {
    return string_to_array(text, delimiter, null);
  }

  public static List<String> string_to_array(Object text, Object delimiter, Object nullString) {
    if (text == null) {
      return null;
    }
    String s = text.toString();
    List<String> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    if (delimiter == null) {
      s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
    } else if (delimiter.toString().isEmpty()) {
      out.add(s);
    } else {
      String d = delimiter.toString();
      int from = 0;
      for (int at = s.indexOf(d); at >= 0; at = s.indexOf(d, from)) {
        out.add(s.substring(from, at));
        from = at + d.length();
      }
      out.add(s.substring(from));
    }
    if (nullString != null) {
      out.replaceAll(e -> e.equals(nullString.toString()) ? null : e);
    }
    return out;
  }

  public static List<String> parse_ident(Object text) {
    return parse_ident(text, true);
  }

  /**
   * PostgreSQL's parse_ident(text[, strict]): splits a qualified identifier into its parts,
   * down-casing unquoted parts and unquoting quoted ones. With strict false, text after the
   * last identifier is ignored.
   */
  public static List<String> parse_ident(Object text, Object strict) {
    if (text == null || strict == null) {
      return null;
    }
    String s = text.toString();
    boolean isStrict = Boolean.TRUE.equals(strict) || "t".equals(strict.toString())
        || "true".equalsIgnoreCase(strict.toString());
    List<String> out = new ArrayList<>();
    int i = skipSpace(s, 0);
    while (true) {
      StringBuilder part = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '"') {
        int j = i + 1;
        while (true) {
          int q = s.indexOf('"', j);
          if (q < 0) {
            throw notIdentifier(s, "String has unclosed double quotes.");
          }
          part.append(s, j, q);
          if (q + 1 < s.length() && s.charAt(q + 1) == '"') {
            part.append('"');
            j = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        if (part.length() == 0) {
          throw notIdentifier(s, "Quoted identifier must not be empty.");
        }
      } else {
        int j = i;
        while (j < s.length() && identChar(s.charAt(j), j == i)) {
          j++;
        }
        if (j == i) {
          if (i < s.length() && s.charAt(i) == '.' ) {
            throw notIdentifier(s, out.isEmpty() ? "No valid identifier before \".\"."
                : "No valid identifier after \".\".");
          }
          if (out.isEmpty() || isStrict) {
            throw notIdentifier(s, out.isEmpty() ? null : "No valid identifier after \".\".");
          }
          break;
        }
        part.append(s.substring(i, j).toLowerCase(java.util.Locale.ROOT));
        i = j;
      }
      out.add(part.toString());
      i = skipSpace(s, i);
      if (i < s.length() && s.charAt(i) == '.') {
        i = skipSpace(s, i + 1);
        continue;
      }
      if (i < s.length() && isStrict) {
        throw notIdentifier(s, null);
      }
      return out;
    }
    return out;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean identChar(char c, boolean first) {
    return Character.isLetter(c) || c == '_' || c >= 0x80
        || (!first && (Character.isDigit(c) || c == '$'));
  }

  private static LumaException notIdentifier(String s, String detail) {
    return new LumaException("22023", "string is not a valid identifier: \"" + s + "\""
        + (detail == null ? "" : " (" + detail + ")"));
  }

  /** Scan counters of indexes: LumaDB has no indexes, and PostgreSQL answers 0 for none. */
  public static Long pg_stat_get_numscans(Object oid) {
    return oid == null ? null : 0L;
  }

  // format(formatstr, args...): PostgreSQL's %s, %I, %L and %% with positions, flags, widths.
  // Calcite has no variadic user functions, so each arity has its method (up to six values).

  public static String format(Object formatString) {
    return formatArgs(formatString);
  }

  public static String format(Object formatString, Object a1) {
    return formatArgs(formatString, a1);
  }

  public static String format(Object formatString, Object a1, Object a2) {
    return formatArgs(formatString, a1, a2);
  }

  public static String format(Object formatString, Object a1, Object a2, Object a3) {
    return formatArgs(formatString, a1, a2, a3);
  }

  public static String format(Object formatString, Object a1, Object a2, Object a3, Object a4) {
    return formatArgs(formatString, a1, a2, a3, a4);
  }

  public static String format(Object formatString, Object a1, Object a2, Object a3, Object a4, Object a5) {
    return formatArgs(formatString, a1, a2, a3, a4, a5);
  }

  public static String format(Object formatString, Object a1, Object a2, Object a3, Object a4, Object a5, Object a6) {
    return formatArgs(formatString, a1, a2, a3, a4, a5, a6);
  }

  private static String formatArgs(Object formatString, Object... args) {
    if (formatString == null) {
      return null;
    }
    String f = formatString.toString();
    StringBuilder out = new StringBuilder();
    int nextArg = 0;
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (++i >= f.length()) {
        throw new LumaException("22023", "unterminated format() type specifier");
      }
      if (f.charAt(i) == '%') {
        out.append('%');
        continue;
      }
      // [position$][-][width | * | *n$]type
      int position = -1;
      int j = i;
      while (j < f.length() && Character.isDigit(f.charAt(j))) {
        j++;
      }
      if (j > i && j < f.length() && f.charAt(j) == '$') {
        position = Integer.parseInt(f.substring(i, j));
        i = j + 1;
      }
      boolean left = false;
      if (i < f.length() && f.charAt(i) == '-') {
        left = true;
        i++;
      }
      Integer width = null;
      if (i < f.length() && f.charAt(i) == '*') {
        i++;
        int k = i;
        while (k < f.length() && Character.isDigit(f.charAt(k))) {
          k++;
        }
        Object w;
        if (k > i && k < f.length() && f.charAt(k) == '$') {
          w = formatArg(args, Integer.parseInt(f.substring(i, k)) - 1);
          nextArg = Integer.parseInt(f.substring(i, k));
          i = k + 1;
        } else {
          w = formatArg(args, nextArg++);
        }
        width = w == null ? null : oid(w);
        if (width != null && width < 0) {
          left = true;
          width = -width;
        }
      } else {
        int k = i;
        while (k < f.length() && Character.isDigit(f.charAt(k))) {
          k++;
        }
        if (k > i) {
          width = Integer.parseInt(f.substring(i, k));
          i = k;
        }
      }
      if (i >= f.length()) {
        throw new LumaException("22023", "unterminated format() type specifier");
      }
      char type = f.charAt(i);
      int index = position > 0 ? position - 1 : nextArg;
      Object v = formatArg(args, index);
      nextArg = index + 1;
      String text = switch (type) {
        case 's' -> v == null ? "" : formatText(v);
        case 'I' -> {
          if (v == null) {
            throw new LumaException("22004", "null values cannot be formatted as an SQL identifier");
          }
          yield PgCatalogContext.quoteIdent(formatText(v));
        }
        case 'L' -> v == null ? "NULL" : quoteLiteral(formatText(v));
        default -> throw new LumaException("22023",
            "unrecognized format() type specifier \"" + type + "\"");
      };
      if (width != null && text.length() < width) {
        String pad = " ".repeat(width - text.length());
        text = left ? text + pad : pad + text;
      }
      out.append(text);
    }
    return out.toString();
  }

  private static Object formatArg(Object[] args, int index) {
    if (index < 0 || index >= args.length) {
      throw new LumaException("22023", "too few arguments for format()");
    }
    return args[index];
  }

  private static String formatText(Object v) {
    return v instanceof Boolean b ? (b ? "t" : "f") : v.toString();
  }

  /** PostgreSQL's quote_literal: doubled quotes, and E'' with doubled backslashes if any. */
  private static String quoteLiteral(String s) {
    String q = "'" + s.replace("'", "''").replace("\\", "\\\\") + "'";
    return s.indexOf('\\') >= 0 ? "E" + q : q;
  }
}
