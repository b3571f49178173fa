package io.lumadb.sql.pgcatalog;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import io.lumadb.sql.SessionSettings;
import io.lumadb.storage.StorageEngine;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.TableFunctionImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's system catalogs for a LumaDB session: the schemas {@code pg_catalog} and
 * {@code information_schema}, whose tables describe LumaDB's real tables at query time, and
 * the catalog functions clients call. As in PostgreSQL, pg_catalog's tables and functions
 * are also found without the schema name.
 */
public final class PgCatalog {
  public static final String PG_CATALOG = "pg_catalog";
  public static final String INFORMATION_SCHEMA = "information_schema";

  /** Built-in Calcite functions with these names would clash; reach ours as pg_catalog.name. */
  private static final Set<String> QUALIFIED_ONLY = Set.of("current_schema");

  private PgCatalog() {}

  /** Adds the catalog schemas and functions to a session's Calcite root schema. */
  public static void register(SchemaPlus root, StorageEngine storage, SessionSettings settings) {
    register(root, storage, settings, List.of());
  }

  /**
   * As above, with the names of attached (federated) schemas, which pg_namespace and
   * information_schema.schemata list; their tables are listed as foreign tables (found in
   * {@code root} when a catalog query runs).
   */
  public static void register(SchemaPlus root, StorageEngine storage, SessionSettings settings,
      List<String> federatedSchemas) {
    CatalogQueryPlanning.install();
    List<CatalogTable> definitions = new ArrayList<>(PgCatalogTables.all());
    definitions.addAll(InformationSchemaTables.all());
    PgCatalogContext context = new PgCatalogContext(storage, settings, definitions, federatedSchemas, root);
    Multimap<String, Function> functions = FUNCTIONS;
    SchemaPlus pg = root.add(PG_CATALOG,
        new PgCatalogSchema(context, PG_CATALOG, definitions, functions));
    root.add(INFORMATION_SCHEMA,
        new PgCatalogSchema(context, INFORMATION_SCHEMA, definitions, ImmutableMultimap.of()));
    for (String name : pg.getTableNames()) {
      Table t = pg.getTable(name);
      root.add(name, t);
    }
    for (Map.Entry<String, Function> f : functions.entries()) {
      if (!QUALIFIED_ONLY.contains(f.getKey())) {
        root.add(f.getKey(), f.getValue());
      }
    }
  }

  /** The names of the functions registered, for the dialect's qualified-name handling. */
  public static Set<String> functionNames() {
    return FUNCTION_NAMES;
  }

  /** The functions hold no state (they find the session through the query), so all share them. */
  private static final Multimap<String, Function> FUNCTIONS = functions();

  private static final Set<String> FUNCTION_NAMES = Set.copyOf(FUNCTIONS.keySet());

  /**
   * Whether a name is one of the catalog schemas or a pg_catalog relation (information_schema's
   * views are only reached with their schema's name).
   */
  public static boolean isCatalogName(String name) {
    return CATALOG_NAMES.contains(name);
  }

  private static final Set<String> CATALOG_NAMES = catalogNames();

  /**
   * Columns of the catalog tables that are boolean in every table that has them (indisprimary,
   * attnotnull, ...): the dialect reads {@code 't'} compared with one as a boolean literal.
   */
  public static boolean isBooleanCatalogColumn(String name) {
    return BOOLEAN_COLUMNS.contains(name);
  }

  private static final Set<String> BOOLEAN_COLUMNS = booleanColumns();

  private static Set<String> booleanColumns() {
    Set<String> bool = new HashSet<>();
    Set<String> other = new HashSet<>();
    List<CatalogTable> all = new ArrayList<>(PgCatalogTables.all());
    all.addAll(InformationSchemaTables.all());
    for (CatalogTable t : all) {
      for (CatalogTable.Col c : t.columns()) {
        (c.type() == PgTypes.BOOL ? bool : other).add(c.name());
      }
    }
    bool.removeAll(other);
    return Set.copyOf(bool);
  }

  private static Set<String> catalogNames() {
    Set<String> names = new HashSet<>(Set.of(PG_CATALOG, INFORMATION_SCHEMA));
    PgCatalogTables.all().forEach(t -> names.add(t.name()));
    return Set.copyOf(names);
  }

  private static Multimap<String, Function> functions() {
    ImmutableMultimap.Builder<String, Function> b = ImmutableMultimap.builder();
    java.util.function.Function<RelDataTypeFactory, RelDataType> nameArray =
        f -> f.createArrayType(f.createSqlType(SqlTypeName.VARCHAR), -1);
    fn(b, "current_database", 0, SqlTypeName.VARCHAR);
    fn(b, "version", 0, SqlTypeName.VARCHAR);
    fn(b, "current_schema", 0, SqlTypeName.VARCHAR);
    b.put("current_schemas", PgFunction.of("current_schemas", 1, nameArray));
    fn(b, "current_setting", 1, SqlTypeName.VARCHAR);
    fn(b, "current_setting", 2, SqlTypeName.VARCHAR);
    fn(b, "pg_is_in_recovery", 0, SqlTypeName.BOOLEAN);
    fn(b, "pg_encoding_to_char", 1, SqlTypeName.VARCHAR);
    fn(b, "pg_get_userbyid", 1, SqlTypeName.VARCHAR);
    fn(b, "pg_table_is_visible", 1, SqlTypeName.BOOLEAN);
    fn(b, "pg_type_is_visible", 1, SqlTypeName.BOOLEAN);
    fn(b, "pg_function_is_visible", 1, SqlTypeName.BOOLEAN);
    fn(b, "format_type", 2, SqlTypeName.VARCHAR);
    fn(b, "quote_ident", 1, SqlTypeName.VARCHAR);
    fn(b, "quote_literal", 1, SqlTypeName.VARCHAR);
    for (String reg : List.of("regclass", "regtype", "regnamespace", "regproc")) {
      fn(b, reg + "in", 1, SqlTypeName.INTEGER);
      fn(b, reg + "out", 1, SqlTypeName.VARCHAR);
    }
    fn(b, "pg_get_expr", 2, SqlTypeName.VARCHAR);
    fn(b, "pg_get_expr", 3, SqlTypeName.VARCHAR);
    fn(b, "pg_get_indexdef", 1, SqlTypeName.VARCHAR);
    fn(b, "pg_get_indexdef", 3, SqlTypeName.VARCHAR);
    for (String def : List.of("pg_get_constraintdef", "pg_get_triggerdef", "pg_get_viewdef",
        "pg_get_ruledef")) {
      fn(b, def, 1, SqlTypeName.VARCHAR);
      fn(b, def, 2, SqlTypeName.VARCHAR);
    }
    for (String def : List.of("pg_get_functiondef", "pg_get_function_result",
        "pg_get_function_arguments", "pg_get_function_identity_arguments",
        "pg_get_function_sqlbody", "pg_get_statisticsobjdef_columns", "pg_get_partkeydef")) {
      fn(b, def, 1, SqlTypeName.VARCHAR);
    }
    fn(b, "obj_description", 1, SqlTypeName.VARCHAR);
    fn(b, "obj_description", 2, SqlTypeName.VARCHAR);
    fn(b, "col_description", 2, SqlTypeName.VARCHAR);
    fn(b, "shobj_description", 2, SqlTypeName.VARCHAR);
    for (String object : List.of("table", "schema", "database", "function", "sequence", "type",
        "language", "tablespace", "foreign_data_wrapper", "server", "any_column")) {
      b.put("has_" + object + "_privilege", PgFunction.of("has_privilege", 2, SqlTypeName.BOOLEAN));
      b.put("has_" + object + "_privilege", PgFunction.of("has_privilege", 3, SqlTypeName.BOOLEAN));
    }
    fn(b, "has_column_privilege", 3, SqlTypeName.BOOLEAN);
    fn(b, "has_column_privilege", 4, SqlTypeName.BOOLEAN);
    fn(b, "pg_relation_is_publishable", 1, SqlTypeName.BOOLEAN);
    fn(b, "pg_table_size", 1, SqlTypeName.BIGINT);
    // No indexes and no TOAST: a relation's size is its table's size.
    b.put("pg_relation_size", PgFunction.of("pg_table_size", 1, SqlTypeName.BIGINT));
    b.put("pg_total_relation_size", PgFunction.of("pg_table_size", 1, SqlTypeName.BIGINT));
    fn(b, "pg_indexes_size", 1, SqlTypeName.BIGINT);
    fn(b, "pg_database_size", 1, SqlTypeName.BIGINT);
    fn(b, "pg_size_pretty", 1, SqlTypeName.VARCHAR);
    fn(b, "array_to_string", 2, SqlTypeName.VARCHAR);
    fn(b, "array_to_string", 3, SqlTypeName.VARCHAR);
    fn(b, "array_upper", 2, SqlTypeName.INTEGER);
    fn(b, "array_lower", 2, SqlTypeName.INTEGER);
    fn(b, "array_length", 2, SqlTypeName.INTEGER);
    java.util.function.Function<RelDataTypeFactory, RelDataType> textArray =
        f -> f.createArrayType(
            f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR), true), -1);
    b.put("string_to_array", PgFunction.of("string_to_array", 2, textArray));
    b.put("string_to_array", PgFunction.of("string_to_array", 3, textArray));
    b.put("parse_ident", PgFunction.of("parse_ident", 1, textArray));
    b.put("parse_ident", PgFunction.of("parse_ident", 2, textArray));
    fn(b, "pg_stat_get_numscans", 1, SqlTypeName.BIGINT);
    for (int arity = 1; arity <= 7; arity++) {
      fn(b, "format", arity, SqlTypeName.VARCHAR);
    }
    timeFunctions(b);
    jsonFunctions(b);
    textFunctions(b);
    for (Method m : GenerateSeries.class.getMethods()) {
      if (m.getName().equals("generateSeries")) {
        b.put("generate_series", TableFunctionImpl.create(m));
      }
    }
    for (Method m : OptionsTable.class.getMethods()) {
      if (m.getName().equals("pgOptionsToTable")) {
        b.put("pg_options_to_table", TableFunctionImpl.create(m));
      }
    }
    return b.build();
  }

  /** PostgreSQL's text functions that Calcite's library lacks or answers differently ({@link TextFunctions}). */
  private static void textFunctions(ImmutableMultimap.Builder<String, Function> b) {
    java.util.function.Function<RelDataTypeFactory, RelDataType> text =
        f -> f.createSqlType(SqlTypeName.VARCHAR);
    for (String name : List.of("left", "right")) {
      b.put(name, PgFunction.of(TextFunctions.class, name, 2, text));
    }
    b.put("reverse", PgFunction.of(TextFunctions.class, "reverse", 1, text));
    for (String name : List.of("btrim", "ltrim", "rtrim")) {
      b.put(name, PgFunction.of(TextFunctions.class, name, 1, text));
      b.put(name, PgFunction.of(TextFunctions.class, name, 2, text));
    }
  }

  /** date_trunc, time_bucket and the helpers the dialect's rewrites call. */
  private static void timeFunctions(ImmutableMultimap.Builder<String, Function> b) {
    java.util.function.Function<RelDataTypeFactory, RelDataType> timestamp =
        f -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
    java.util.function.Function<RelDataTypeFactory, RelDataType> dayTime =
        f -> f.createSqlIntervalType(new org.apache.calcite.sql.SqlIntervalQualifier(
            org.apache.calcite.avatica.util.TimeUnit.DAY, 9,
            org.apache.calcite.avatica.util.TimeUnit.SECOND, 3,
            org.apache.calcite.sql.parser.SqlParserPos.ZERO));
    java.util.function.Function<RelDataTypeFactory, RelDataType> yearMonth =
        f -> f.createSqlIntervalType(new org.apache.calcite.sql.SqlIntervalQualifier(
            org.apache.calcite.avatica.util.TimeUnit.YEAR, 9,
            org.apache.calcite.avatica.util.TimeUnit.MONTH, -1,
            org.apache.calcite.sql.parser.SqlParserPos.ZERO));
    // The parser reads DATE_TRUNC(..) as BigQuery's; the dialect calls this one.
    b.put("lumadb_date_trunc", PgFunction.of(TimeFunctions.class, "date_trunc", 2, timestamp));
    b.put("time_bucket", new TypedFunction(TimeFunctions.class, "time_bucket", timestamp,
        List.of(dayTime, timestamp)));
    b.put("time_bucket", new TypedFunction(TimeFunctions.class, "time_bucket", timestamp,
        List.of(dayTime, timestamp, timestamp)));
    b.put("time_bucket", new TypedFunction(TimeFunctions.class, "time_bucket_months", timestamp,
        List.of(yearMonth, timestamp)));
    b.put("time_bucket", new TypedFunction(TimeFunctions.class, "time_bucket_months", timestamp,
        List.of(yearMonth, timestamp, timestamp)));
    b.put("generate_series", new TimestampSeries(dayTime, false));
    b.put("generate_series", new TimestampSeries(yearMonth, true));
    b.put("lumadb_percentile_cont", PgFunction.of(TimeFunctions.class, "lumadb_percentile_cont", 2,
        f -> f.createSqlType(SqlTypeName.DOUBLE)));
    b.put("lumadb_percentile_disc_index", PgFunction.of(TimeFunctions.class,
        "lumadb_percentile_disc_index", 2, f -> f.createSqlType(SqlTypeName.INTEGER)));
  }

  /** What the dialect makes of json casts and the operators ->, ->> and @> (JsonOperators). */
  private static void jsonFunctions(ImmutableMultimap.Builder<String, Function> b) {
    java.util.function.Function<RelDataTypeFactory, RelDataType> json =
        f -> f.createSqlType(SqlTypeName.VARCHAR, io.lumadb.storage.ColumnType.JSON_PRECISION);
    java.util.function.Function<RelDataTypeFactory, RelDataType> jsonb =
        f -> f.createSqlType(SqlTypeName.VARCHAR, io.lumadb.storage.ColumnType.JSONB_PRECISION);
    b.put("lumadb_json", PgFunction.of(JsonFunctions.class, "lumadb_json", 1, json));
    b.put("lumadb_jsonb", PgFunction.of(JsonFunctions.class, "lumadb_jsonb", 1, jsonb));
    b.put("lumadb_json_get", PgFunction.of(JsonFunctions.class, "lumadb_json_get", 2, json));
    b.put("lumadb_json_get_text", PgFunction.of(JsonFunctions.class, "lumadb_json_get_text", 2,
        f -> f.createSqlType(SqlTypeName.VARCHAR, Integer.MAX_VALUE)));
    b.put("lumadb_jsonb_contains", PgFunction.of(JsonFunctions.class, "lumadb_jsonb_contains", 2,
        f -> f.createSqlType(SqlTypeName.BOOLEAN)));
  }

  private static void fn(ImmutableMultimap.Builder<String, Function> b, String name, int arity,
      SqlTypeName result) {
    b.put(name, PgFunction.of(name, arity, result));
  }
}
