package io.lumadb.server.avatica;

import io.lumadb.sql.RowCursor;
import io.lumadb.sql.Session;
import io.lumadb.sql.StatementResult;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.Meta;

/**
 * The answers of {@link java.sql.DatabaseMetaData}, read from LumaDB's own
 * {@code information_schema} through SQL on the connection's session (so they show exactly
 * what pgwire clients see), filtered with the JDBC search patterns and shaped as JDBC says.
 */
final class CatalogResults {
  /** An answer: JDBC column names and types, and rows. */
  record Table(List<String> names, List<Integer> types, List<Object[]> rows) {}

  private static final int V = Types.VARCHAR;
  private static final int I = Types.INTEGER;
  private static final int S = Types.SMALLINT;
  private static final int B = Types.BOOLEAN;

  private CatalogResults() {}

  static Table tables(Session s, String catalog, Meta.Pat schema, Meta.Pat table, List<String> types) {
    List<Object[]> rows = new ArrayList<>();
    Set<String> wanted = types == null ? null : new HashSet<>(types);
    for (Object[] r : query(s, "SELECT table_catalog, table_schema, table_name, table_type"
        + " FROM information_schema.tables")) {
      String type = tableType((String) r[1], (String) r[3]);
      if (catalogMatches(catalog, r[0]) && matches(schema, r[1]) && matches(table, r[2])
          && (wanted == null || wanted.contains(type))) {
        rows.add(new Object[] {r[0], r[1], r[2], type, null, null, null, null, null, null});
      }
    }
    rows.sort(Comparator.comparing((Object[] r) -> (String) r[3]).thenComparing(r -> (String) r[1])
        .thenComparing(r -> (String) r[2]));
    return new Table(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS",
        "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION"),
        List.of(V, V, V, V, V, V, V, V, V, V), rows);
  }

  private static String tableType(String schema, String infoType) {
    String t = "VIEW".equals(infoType) ? "VIEW" : "TABLE";
    return schema.equals("pg_catalog") || schema.equals("information_schema") ? "SYSTEM " + t : t;
  }

  static Table tableTypes() {
    List<Object[]> rows = new ArrayList<>();
    for (String t : List.of("SYSTEM TABLE", "SYSTEM VIEW", "TABLE", "VIEW")) {
      rows.add(new Object[] {t});
    }
    return new Table(List.of("TABLE_TYPE"), List.of(V), rows);
  }

  static Table columns(Session s, String catalog, Meta.Pat schema, Meta.Pat table, Meta.Pat column) {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r : query(s, "SELECT table_catalog, table_schema, table_name, column_name,"
        + " ordinal_position, column_default, is_nullable, data_type, character_maximum_length,"
        + " numeric_precision, numeric_scale, datetime_precision, udt_name"
        + " FROM information_schema.columns")) {
      if (!catalogMatches(catalog, r[0]) || !matches(schema, r[1]) || !matches(table, r[2])
          || !matches(column, r[3])) {
        continue;
      }
      String dataType = (String) r[7];
      int jdbc = jdbcType(dataType);
      Integer size = columnSize(jdbc, (Number) r[8], (Number) r[9]);
      Integer digits = r[10] != null ? (Integer) ((Number) r[10]).intValue()
          : r[11] != null && jdbc == Types.TIMESTAMP ? (Integer) ((Number) r[11]).intValue() : null;
      boolean nullable = !"NO".equals(r[6]);
      boolean text = jdbc == Types.VARCHAR || jdbc == Types.CHAR;
      rows.add(new Object[] {r[0], r[1], r[2], r[3], jdbc, r[12] != null ? r[12] : dataType, size,
          null, digits, 10,
          nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
          null, r[5], null, null, text ? size : null, ((Number) r[4]).intValue(),
          nullable ? "YES" : "NO", null, null, null, null, "NO", "NO"});
    }
    rows.sort(Comparator.comparing((Object[] r) -> (String) r[1]).thenComparing(r -> (String) r[2])
        .thenComparingInt(r -> (Integer) r[16]));
    return new Table(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE",
        "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH", "DECIMAL_DIGITS", "NUM_PREC_RADIX", "NULLABLE",
        "REMARKS", "COLUMN_DEF", "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "CHAR_OCTET_LENGTH",
        "ORDINAL_POSITION", "IS_NULLABLE", "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_TABLE",
        "SOURCE_DATA_TYPE", "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN"),
        List.of(V, V, V, V, I, V, I, I, I, I, I, V, V, I, I, I, I, V, V, V, V, S, V, V), rows);
  }

  /** The JDBC type of an {@code information_schema.columns.data_type}. */
  static int jdbcType(String dataType) {
    return switch (dataType == null ? "" : dataType) {
      case "boolean" -> Types.BOOLEAN;
      case "smallint" -> Types.SMALLINT;
      case "integer" -> Types.INTEGER;
      case "bigint", "oid" -> Types.BIGINT;
      case "real" -> Types.REAL;
      case "double precision" -> Types.DOUBLE;
      case "numeric" -> Types.DECIMAL;
      case "character varying", "text", "name" -> Types.VARCHAR;
      case "character", "\"char\"" -> Types.CHAR;
      case "bytea" -> Types.VARBINARY;
      case "date" -> Types.DATE;
      case "time without time zone" -> Types.TIME;
      case "timestamp without time zone", "timestamp with time zone" -> Types.TIMESTAMP;
      case "ARRAY" -> Types.ARRAY;
      default -> Types.OTHER;
    };
  }

  private static Integer columnSize(int jdbc, Number charLength, Number precision) {
    if (charLength != null) {
      return charLength.intValue();
    }
    return switch (jdbc) {
      case Types.BOOLEAN -> 1;
      case Types.SMALLINT -> 5;
      case Types.INTEGER -> 10;
      case Types.BIGINT -> 19;
      case Types.REAL -> 8;
      case Types.DOUBLE -> 17;
      case Types.DECIMAL -> precision != null ? precision.intValue() : 1000;
      case Types.DATE -> 13;
      case Types.TIME -> 15;
      case Types.TIMESTAMP -> 29;
      case Types.VARCHAR, Types.CHAR, Types.VARBINARY -> Integer.MAX_VALUE;
      default -> null;
    };
  }

  static Table schemas(Session s, String catalog, Meta.Pat schema) {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r : query(s, "SELECT schema_name, catalog_name FROM information_schema.schemata")) {
      if (catalogMatches(catalog, r[1]) && matches(schema, r[0])) {
        rows.add(new Object[] {r[0], r[1]});
      }
    }
    rows.sort(Comparator.comparing((Object[] r) -> (String) r[0]));
    return new Table(List.of("TABLE_SCHEM", "TABLE_CATALOG"), List.of(V, V), rows);
  }

  static Table catalogs(Session s) {
    Set<String> names = new java.util.TreeSet<>();
    for (Object[] r : query(s, "SELECT catalog_name FROM information_schema.schemata")) {
      names.add((String) r[0]);
    }
    List<Object[]> rows = new ArrayList<>();
    names.forEach(n -> rows.add(new Object[] {n}));
    return new Table(List.of("TABLE_CAT"), List.of(V), rows);
  }

  /** Primary keys from information_schema's constraints (LumaDB tables declare none today). */
  static Table primaryKeys(Session s, String catalog, String schema, String table) {
    Set<List<Object>> pks = new HashSet<>();
    for (Object[] r : query(s, "SELECT constraint_schema, constraint_name, constraint_type"
        + " FROM information_schema.table_constraints")) {
      if ("PRIMARY KEY".equals(r[2])) {
        pks.add(Arrays.asList(r[0], r[1]));
      }
    }
    List<Object[]> rows = new ArrayList<>();
    if (!pks.isEmpty()) {
      for (Object[] r : query(s, "SELECT table_catalog, table_schema, table_name, column_name,"
          + " ordinal_position, constraint_schema, constraint_name"
          + " FROM information_schema.key_column_usage")) {
        if (pks.contains(Arrays.asList(r[5], r[6])) && catalogMatches(catalog, r[0])
            && (schema == null || schema.equals(r[1])) && (table == null || table.equals(r[2]))) {
          rows.add(new Object[] {r[0], r[1], r[2], r[3], ((Number) r[4]).shortValue(), r[6]});
        }
      }
    }
    rows.sort(Comparator.comparing((Object[] r) -> (String) r[3]));
    return new Table(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"),
        List.of(V, V, V, V, S, V), rows);
  }

  /** The types LumaDB's CREATE TABLE takes, as JDBC describes types. */
  static Table typeInfo() {
    List<Object[]> rows = new ArrayList<>();
    short nullable = (short) DatabaseMetaData.typeNullable;
    short searchable = (short) DatabaseMetaData.typeSearchable;
    Object[][] types = {
        // name, JDBC type, precision, literal prefix/suffix, create params, case sensitive, unsigned, fixed scale, max scale, radix
        {"boolean", Types.BOOLEAN, 1, null, null, null, false, false, false, 0, null},
        {"smallint", Types.SMALLINT, 5, null, null, null, false, false, false, 0, 10},
        {"integer", Types.INTEGER, 10, null, null, null, false, false, false, 0, 10},
        {"bigint", Types.BIGINT, 19, null, null, null, false, false, false, 0, 10},
        {"real", Types.REAL, 8, null, null, null, false, false, false, 0, 10},
        {"double precision", Types.DOUBLE, 17, null, null, null, false, false, false, 0, 10},
        {"numeric", Types.DECIMAL, 38, null, null, "precision,scale", false, false, false, 38, 10},
        {"varchar", Types.VARCHAR, Integer.MAX_VALUE, "'", "'", "length", true, true, false, 0, null},
        {"text", Types.VARCHAR, Integer.MAX_VALUE, "'", "'", null, true, true, false, 0, null},
        {"bytea", Types.VARBINARY, Integer.MAX_VALUE, "'", "'", null, false, true, false, 0, null},
        {"date", Types.DATE, 13, "DATE '", "'", null, false, true, false, 0, null},
        {"timestamp", Types.TIMESTAMP, 29, "TIMESTAMP '", "'", null, false, true, false, 3, null},
    };
    for (Object[] t : types) {
      rows.add(new Object[] {t[0], t[1], t[2], t[3], t[4], t[5], nullable, t[6], searchable, t[7],
          t[8], false, t[0], (short) 0, ((Integer) t[9]).shortValue(), null, null, t[10]});
    }
    rows.sort(Comparator.comparingInt((Object[] r) -> (Integer) r[1]));
    return new Table(List.of("TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX", "LITERAL_SUFFIX",
        "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE", "UNSIGNED_ATTRIBUTE",
        "FIXED_PREC_SCALE", "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE",
        "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "NUM_PREC_RADIX"),
        List.of(V, I, I, V, V, V, S, B, S, B, B, B, V, S, S, I, I, I), rows);
  }

  /** An empty answer for what LumaDB does not have (procedures, privileges, foreign keys...). */
  static Table empty(String... names) {
    List<Integer> types = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      types.add(V);
    }
    return new Table(List.of(names), types, List.of());
  }

  /** A null catalog matches every catalog, "" those without one (none here). */
  private static boolean catalogMatches(String catalog, Object value) {
    return catalog == null || catalog.equals(value);
  }

  /** A JDBC search pattern: % any text, _ one character, \ escapes. Null matches all. */
  static boolean matches(Meta.Pat pattern, Object value) {
    if (pattern == null || pattern.s == null) {
      return true;
    }
    return value != null && like(pattern.s).matcher(value.toString()).matches();
  }

  private static Pattern like(String p) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < p.length()) {
        re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
      } else if (c == '%') {
        re.append(".*");
      } else if (c == '_') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  private static List<Object[]> query(Session s, String sql) {
    List<Object[]> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      if (!(r instanceof StatementResult.Rows rows)) {
        throw new IllegalStateException("catalog query returned no rows: " + sql);
      }
      RowCursor c = rows.cursor();
      int width = rows.columns().size();
      while (c.next()) {
        Object[] row = new Object[width];
        for (int i = 0; i < width; i++) {
          row[i] = c.get(i);
        }
        out.add(row);
      }
    }
    return out;
  }
}
