package io.lumadb.sql.pgcatalog;

import static io.lumadb.sql.pgcatalog.PgTypes.INT4;
import static io.lumadb.sql.pgcatalog.PgTypes.NAME;
import static io.lumadb.sql.pgcatalog.PgTypes.VARCHAR;

import io.lumadb.sql.pgcatalog.PgCatalogContext.Attribute;
import io.lumadb.sql.pgcatalog.PgCatalogContext.Namespace;
import io.lumadb.sql.pgcatalog.PgCatalogContext.Relation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The SQL-standard views of information_schema that clients read, computed from the same
 * relations as pg_catalog. PostgreSQL's domain types (sql_identifier, cardinal_number,
 * character_data, yes_or_no) appear as name, int4 and varchar.
 */
final class InformationSchemaTables {
  private InformationSchemaTables() {}

  private static final int ID = NAME;
  private static final int NUM = INT4;
  private static final int TEXT = VARCHAR;
  private static final List<CatalogTable> VIEWS = new ArrayList<>();
  private static int nextOid = 13100;

  private static void view(String name, Function<PgCatalogContext, List<Object[]>> rows,
      Object... columns) {
    VIEWS.add(new CatalogTable(PgCatalog.INFORMATION_SCHEMA, name, nextOid++, true,
        PgCatalogTables.cols(columns), rows));
  }

  static List<CatalogTable> all() {
    return List.copyOf(VIEWS);
  }

  static {
    view("schemata", InformationSchemaTables::schemata,
        "catalog_name", ID, "schema_name", ID, "schema_owner", ID,
        "default_character_set_catalog", ID, "default_character_set_schema", ID,
        "default_character_set_name", ID, "sql_path", TEXT);
    view("tables", InformationSchemaTables::tables,
        "table_catalog", ID, "table_schema", ID, "table_name", ID, "table_type", TEXT,
        "self_referencing_column_name", ID, "reference_generation", TEXT,
        "user_defined_type_catalog", ID, "user_defined_type_schema", ID,
        "user_defined_type_name", ID, "is_insertable_into", TEXT, "is_typed", TEXT,
        "commit_action", TEXT);
    view("columns", InformationSchemaTables::columns,
        "table_catalog", ID, "table_schema", ID, "table_name", ID, "column_name", ID,
        "ordinal_position", NUM, "column_default", TEXT, "is_nullable", TEXT,
        "data_type", TEXT, "character_maximum_length", NUM, "character_octet_length", NUM,
        "numeric_precision", NUM, "numeric_precision_radix", NUM, "numeric_scale", NUM,
        "datetime_precision", NUM, "interval_type", TEXT, "interval_precision", NUM,
        "character_set_catalog", ID, "character_set_schema", ID, "character_set_name", ID,
        "collation_catalog", ID, "collation_schema", ID, "collation_name", ID,
        "domain_catalog", ID, "domain_schema", ID, "domain_name", ID, "udt_catalog", ID,
        "udt_schema", ID, "udt_name", ID, "scope_catalog", ID, "scope_schema", ID,
        "scope_name", ID, "maximum_cardinality", NUM, "dtd_identifier", ID,
        "is_self_referencing", TEXT, "is_identity", TEXT, "identity_generation", TEXT,
        "identity_start", TEXT, "identity_increment", TEXT, "identity_maximum", TEXT,
        "identity_minimum", TEXT, "identity_cycle", TEXT, "is_generated", TEXT,
        "generation_expression", TEXT, "is_updatable", TEXT);
    view("views", InformationSchemaTables::views,
        "table_catalog", ID, "table_schema", ID, "table_name", ID, "view_definition", TEXT,
        "check_option", TEXT, "is_updatable", TEXT, "is_insertable_into", TEXT,
        "is_trigger_updatable", TEXT, "is_trigger_deletable", TEXT,
        "is_trigger_insertable_into", TEXT);
    view("table_constraints", InformationSchemaTables::tableConstraints,
        "constraint_catalog", ID, "constraint_schema", ID, "constraint_name", ID,
        "table_catalog", ID, "table_schema", ID, "table_name", ID, "constraint_type", TEXT,
        "is_deferrable", TEXT, "initially_deferred", TEXT, "enforced", TEXT,
        "nulls_distinct", TEXT);
    view("check_constraints", InformationSchemaTables::checkConstraints,
        "constraint_catalog", ID, "constraint_schema", ID, "constraint_name", ID,
        "check_clause", TEXT);
    view("key_column_usage", ctx -> List.of(),
        "constraint_catalog", ID, "constraint_schema", ID, "constraint_name", ID,
        "table_catalog", ID, "table_schema", ID, "table_name", ID, "column_name", ID,
        "ordinal_position", NUM, "position_in_unique_constraint", NUM);
    view("referential_constraints", ctx -> List.of(),
        "constraint_catalog", ID, "constraint_schema", ID, "constraint_name", ID,
        "unique_constraint_catalog", ID, "unique_constraint_schema", ID,
        "unique_constraint_name", ID, "match_option", TEXT, "update_rule", TEXT,
        "delete_rule", TEXT);
    view("sequences", ctx -> List.of(),
        "sequence_catalog", ID, "sequence_schema", ID, "sequence_name", ID, "data_type", TEXT,
        "numeric_precision", NUM, "numeric_precision_radix", NUM, "numeric_scale", NUM,
        "start_value", TEXT, "minimum_value", TEXT, "maximum_value", TEXT, "increment", TEXT,
        "cycle_option", TEXT);
  }

  private static List<Object[]> schemata(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Namespace n : ctx.namespaces()) {
      out.add(new Object[] {PgCatalogContext.DATABASE, n.name(), ctx.user(), null, null, null,
          null});
    }
    return out;
  }

  private static List<Object[]> tables(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      if (r.isIndex()) {
        continue;
      }
      String type = switch (r.kind()) {
        case 'r' -> "BASE TABLE";
        case 'f' -> "FOREIGN";
        default -> "VIEW";
      };
      out.add(new Object[] {PgCatalogContext.DATABASE, r.namespace().name(), r.name(),
          type, null, null, null, null, null,
          r.isUserTable() ? "YES" : "NO", "NO", null});
    }
    return out;
  }

  private static List<Object[]> columns(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      if (r.isIndex()) {
        continue;
      }
      int pos = 0;
      for (Attribute a : r.attributes()) {
        pos++;
        PgTypes.TypeDef t = a.type();
        boolean array = t.isArray();
        boolean text = t.category() == 'S';
        boolean number = switch (t.oid()) {
          case PgTypes.INT2, PgTypes.INT4, PgTypes.INT8, PgTypes.FLOAT4, PgTypes.FLOAT8,
              PgTypes.NUMERIC -> true;
          default -> false;
        };
        Integer precision = switch (t.oid()) {
          case PgTypes.INT2 -> 16;
          case PgTypes.INT4 -> 32;
          case PgTypes.INT8 -> 64;
          case PgTypes.FLOAT4 -> 24;
          case PgTypes.FLOAT8 -> 53;
          case PgTypes.NUMERIC -> a.typmod() >= 4 ? ((a.typmod() - 4) >> 16) & 0xffff : null;
          default -> null;
        };
        Integer scale = switch (t.oid()) {
          case PgTypes.INT2, PgTypes.INT4, PgTypes.INT8 -> 0;
          case PgTypes.NUMERIC -> a.typmod() >= 4 ? (a.typmod() - 4) & 0xffff : null;
          default -> null;
        };
        // LumaDB keeps timestamps to the millisecond.
        Integer datetime = switch (t.oid()) {
          case PgTypes.DATE -> 0;
          case PgTypes.TIMESTAMP, PgTypes.TIMESTAMPTZ, PgTypes.TIME -> 3;
          default -> null;
        };
        String collation = t.collation() == PgTypes.C_COLLATION ? "C" : null;
        out.add(new Object[] {
            PgCatalogContext.DATABASE, r.namespace().name(), r.name(), a.name(), pos, null,
            a.notNull() ? "NO" : "YES",
            array ? "ARRAY" : PgTypes.format(t.oid(), -1),
            null, text && t.oid() != PgTypes.CHAR && t.oid() != PgTypes.NAME ? 1073741824 : null,
            number ? precision : null,
            number && precision != null ? (t.oid() == PgTypes.NUMERIC ? 10 : 2) : null,
            scale, datetime, null, null, null, null, null,
            collation == null ? null : PgCatalogContext.DATABASE,
            collation == null ? null : PgCatalog.PG_CATALOG, collation,
            null, null, null, PgCatalogContext.DATABASE, PgCatalog.PG_CATALOG, t.name(),
            null, null, null, null, Integer.toString(pos), "NO", "NO", null, null, null, null,
            null, "NO", "NEVER", null, r.isUserTable() ? "YES" : "NO"});
      }
    }
    return out;
  }

  private static List<Object[]> views(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      if (r.kind() == 'v') {
        out.add(new Object[] {PgCatalogContext.DATABASE, r.namespace().name(), r.name(),
            r.viewDefinition(), "NONE", "NO", "NO", "NO", "NO", "NO"});
      }
    }
    return out;
  }

  /** PostgreSQL 15 lists each NOT NULL column as a CHECK constraint with this name. */
  private static String notNullName(Relation r, int attnum) {
    return r.namespace().oid() + "_" + r.oid() + "_" + attnum + "_not_null";
  }

  private static List<Object[]> tableConstraints(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.userRelations()) {
      for (int i = 0; i < r.attributes().size(); i++) {
        if (r.attributes().get(i).notNull()) {
          out.add(new Object[] {PgCatalogContext.DATABASE, r.namespace().name(),
              notNullName(r, i + 1), PgCatalogContext.DATABASE, r.namespace().name(), r.name(),
              "CHECK", "NO", "NO", "YES", null});
        }
      }
    }
    return out;
  }

  private static List<Object[]> checkConstraints(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.userRelations()) {
      for (int i = 0; i < r.attributes().size(); i++) {
        Attribute a = r.attributes().get(i);
        if (a.notNull()) {
          out.add(new Object[] {PgCatalogContext.DATABASE, r.namespace().name(),
              notNullName(r, i + 1), PgCatalogContext.quoteIdent(a.name()) + " IS NOT NULL"});
        }
      }
    }
    return out;
  }
}
