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

  public static String pg_get_indexdef(Object indexOid) {
    return null;
  }

  public static String pg_get_indexdef(Object indexOid, Object column, Object pretty) {
    return null;
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

  public static String pg_get_viewdef(Object view) {
    return null;
  }

  public static String pg_get_viewdef(Object view, Object pretty) {
    return null;
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

  public static String obj_description(Object oid) {
    return null;
  }

  public static String obj_description(Object oid, Object catalog) {
    return null;
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
    if (array == null || dimension == null || oid(dimension) != 1 || ((List<?>) array).isEmpty()) {
      return null;
    }
    return ((List<?>) array).size();
  }

  public static Integer array_lower(Object array, Object dimension) {
    if (array == null || dimension == null || oid(dimension) != 1 || ((List<?>) array).isEmpty()) {
      return null;
    }
    return 1;
  }

  public static Integer array_length(Object array, Object dimension) {
    return array_upper(array, dimension);
  }
}
