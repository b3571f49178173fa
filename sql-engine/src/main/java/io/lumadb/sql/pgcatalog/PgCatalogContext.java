package io.lumadb.sql.pgcatalog;

import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.SessionSettings;
import io.lumadb.storage.Column;
import io.lumadb.storage.IndexDefinition;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.ViewDefinition;
import io.lumadb.storage.WarmFileRef;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.jdbc.JdbcTable;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one session's catalog describes: LumaDB's schemas and tables (read live from the
 * storage engine), the catalog's own relations, and the session's user and settings.
 * Catalog tables and functions reach it through the query's {@link DataContext}.
 */
public final class PgCatalogContext {
  private static final Logger LOG = LoggerFactory.getLogger(PgCatalogContext.class);
  /** The only database; pgwire refuses connections to any other name. */
  public static final String DATABASE = "default";

  /** A schema. */
  public record Namespace(int oid, String name) {}

  /** A column of a relation; {@code typmod} is -1 but for numeric(p, s) (no lengths are kept). */
  public record Attribute(String name, PgTypes.TypeDef type, int typmod, boolean notNull) {}

  /**
   * A relation of pg_class: a LumaDB table ({@code table} set, kind 'r'), a user's view
   * ({@code view} set, kind 'v'), an index ({@code index} and its {@code table} set, kind 'i'),
   * a table of an attached (federated) source (kind 'f', a foreign table as PostgreSQL's
   * postgres_fdw shows one) or one of the catalog's own tables ('r') and views ('v').
   */
  public record Relation(int oid, Namespace namespace, String name, char kind,
      List<Attribute> attributes, LumaTable table, int rowType, ViewDefinition view,
      IndexDefinition index) {
    Relation(int oid, Namespace namespace, String name, char kind, List<Attribute> attributes,
        LumaTable table, int rowType, ViewDefinition view) {
      this(oid, namespace, name, kind, attributes, table, rowType, view, null);
    }

    public boolean isUserTable() {
      return table != null && index == null;
    }

    public boolean isIndex() {
      return index != null;
    }

    public boolean isUserView() {
      return view != null;
    }

    public boolean isForeign() {
      return kind == 'f';
    }

    /** A user view's definition as pg_views and pg_get_viewdef show it, else null. */
    public String viewDefinition() {
      return view == null ? null : " " + view.query() + ";";
    }
  }

  private final StorageEngine storage;
  private final SessionSettings settings;
  private final String user;
  private final List<CatalogTable> systemTables;
  private final List<String> federatedSchemas;
  /** The session's root schema, where the federated schemas are; null: none are listed. */
  private final SchemaPlus root;
  private List<Relation> foreign;
  private long foreignListedAt;

  PgCatalogContext(StorageEngine storage, SessionSettings settings, List<CatalogTable> systemTables,
      List<String> federatedSchemas, SchemaPlus root) {
    this.federatedSchemas = federatedSchemas;
    this.root = root;
    this.storage = storage;
    this.settings = settings;
    this.user = settings.get("session_authorization");
    this.systemTables = systemTables;
  }

  /** The context of the session a query runs in. */
  static PgCatalogContext of(DataContext root) {
    SchemaPlus schema = root.getRootSchema() == null ? null
        : root.getRootSchema().getSubSchema(PgCatalog.PG_CATALOG);
    PgCatalogSchema pg = schema == null ? null : schema.unwrap(PgCatalogSchema.class);
    if (pg == null) {
      throw new IllegalStateException("pg_catalog is not registered in this connection");
    }
    return pg.context();
  }

  /** The login role's name. */
  public String user() {
    return user;
  }

  public SessionSettings settings() {
    return settings;
  }

  public List<Namespace> namespaces() {
    List<Namespace> out = new ArrayList<>();
    out.add(new Namespace(Oids.PG_CATALOG_NAMESPACE, PgCatalog.PG_CATALOG));
    out.add(new Namespace(Oids.INFORMATION_SCHEMA_NAMESPACE, PgCatalog.INFORMATION_SCHEMA));
    for (String s : StorageEngine.BUILT_IN_SCHEMAS) {
      out.add(new Namespace(Oids.namespace(s), s));
    }
    for (int i = 0; i < federatedSchemas.size(); i++) {
      out.add(new Namespace(Oids.federatedNamespace(i), federatedSchemas.get(i)));
    }
    out.sort(Comparator.comparingInt(Namespace::oid));
    return out;
  }

  public Namespace namespace(int oid) {
    for (Namespace n : namespaces()) {
      if (n.oid() == oid) {
        return n;
      }
    }
    return null;
  }

  public Namespace namespace(String name) {
    for (Namespace n : namespaces()) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }

  /** Every relation: the catalog's own, then LumaDB's tables and views by schema and name. */
  public List<Relation> relations() {
    List<Relation> out = new ArrayList<>();
    for (CatalogTable t : systemTables) {
      out.add(systemRelation(t));
    }
    for (String s : StorageEngine.BUILT_IN_SCHEMAS) {
      for (LumaTable t : storage.tables(s)) {
        out.add(userRelation(t));
      }
      for (ViewDefinition v : storage.views(s)) {
        out.add(viewRelation(v));
      }
      for (LumaTable t : storage.tables(s)) {
        for (IndexDefinition i : storage.indexesOf(t)) {
          out.add(indexRelation(i, t));
        }
      }
    }
    out.addAll(foreignRelations());
    return out;
  }

  private static final Set<Schema.TableType> TABLE_LIKE = Set.of(Schema.TableType.TABLE,
      Schema.TableType.VIEW, Schema.TableType.FOREIGN_TABLE, Schema.TableType.MATERIALIZED_VIEW);

  /** The OID of the foreign server of federated schema {@code name} (pg_foreign_server). */
  public int foreignServer(String name) {
    return Oids.foreignServer(federatedSchemas.indexOf(name));
  }

  public List<String> federatedSchemas() {
    return federatedSchemas;
  }

  /** How long a listing of the federated sources' tables is reused. */
  static final long FOREIGN_LISTING_NANOS = 10_000_000_000L;

  /**
   * The tables of the attached (federated) schemas, as foreign tables, by schema and name. They
   * are read from the sources (through the session's JDBC schemas) at most every 10 seconds; a
   * source that cannot be reached lists no tables rather than failing the catalog query.
   */
  public synchronized List<Relation> foreignRelations() {
    if (root == null || federatedSchemas.isEmpty()) {
      return List.of();
    }
    long now = System.nanoTime();
    if (foreign != null && now - foreignListedAt < FOREIGN_LISTING_NANOS) {
      return foreign;
    }
    List<Relation> out = new ArrayList<>();
    java.util.Set<Integer> used = new java.util.HashSet<>();
    RelDataTypeFactory types = new JavaTypeFactoryImpl();
    for (String name : federatedSchemas) {
      SchemaPlus schema = root.getSubSchema(name);
      if (schema == null) {
        continue;
      }
      Namespace ns = namespace(name);
      try {
        for (String table : new java.util.TreeSet<>(schema.getTableNames())) {
          Table t = schema.getTable(table);
          if (t == null || t instanceof JdbcTable j && !TABLE_LIKE.contains(j.getJdbcTableType())) {
            continue; // the source's indexes and sequences are not tables here
          }
          List<Attribute> attrs = new ArrayList<>();
          for (RelDataTypeField f : t.getRowType(types).getFieldList()) {
            attrs.add(new Attribute(f.getName(), PgTypes.forSql(f.getType().getSqlTypeName()), -1,
                !f.getType().isNullable()));
          }
          int oid = Oids.foreignTable(name, table);
          while (!used.add(oid)) {
            oid = Oids.nextForeignTable(oid); // two names that hash alike
          }
          out.add(new Relation(oid, ns, table, 'f', attrs, null, oid + 1, null));
        }
      } catch (RuntimeException e) {
        LOG.debug("federated schema {}: its tables cannot be listed now: {}", name, e.getMessage());
      }
    }
    foreign = List.copyOf(out);
    foreignListedAt = now;
    return foreign;
  }

  /** The indexes of every LumaDB table. */
  public List<Relation> indexRelations() {
    List<Relation> out = new ArrayList<>();
    for (LumaTable t : storage.allTables()) {
      for (IndexDefinition i : storage.indexesOf(t)) {
        out.add(indexRelation(i, t));
      }
    }
    out.sort(Comparator.comparingInt(Relation::oid));
    return out;
  }

  /** Whether a LumaDB table has any index (pg_class.relhasindex). */
  public boolean hasIndexes(LumaTable t) {
    return !storage.indexesOf(t).isEmpty();
  }

  /** LumaDB's own tables only. */
  public List<Relation> userRelations() {
    List<Relation> out = new ArrayList<>();
    for (String s : StorageEngine.BUILT_IN_SCHEMAS) {
      for (LumaTable t : storage.tables(s)) {
        out.add(userRelation(t));
      }
    }
    return out;
  }

  public Relation relation(int oid) {
    if (Oids.isForeignTable(oid)) {
      for (Relation r : foreignRelations()) {
        if (r.oid() == oid) {
          return r;
        }
      }
      return null;
    }
    if (oid >= Oids.FIRST_USER_OID) {
      for (LumaTable t : storage.allTables()) {
        if (Oids.table(t.tableId()) == oid) {
          return userRelation(t);
        }
      }
      for (ViewDefinition v : storage.allViews()) {
        if (Oids.table(v.id()) == oid) {
          return viewRelation(v);
        }
      }
      for (IndexDefinition i : storage.allIndexes()) {
        if (Oids.table(i.id()) == oid) {
          LumaTable t = tableOf(i);
          return t == null ? null : indexRelation(i, t);
        }
      }
      return null;
    }
    for (CatalogTable t : systemTables) {
      if (t.oid() == oid) {
        return systemRelation(t);
      }
    }
    return null;
  }

  /** The LumaDB or foreign table whose row type has this OID, or null. */
  public Relation relationOfRowType(int typeOid) {
    return typeOid > Oids.FIRST_USER_OID ? relation(typeOid - 1) : null;
  }

  private Relation systemRelation(CatalogTable t) {
    List<Attribute> attrs = new ArrayList<>();
    for (CatalogTable.Col c : t.columns()) {
      attrs.add(new Attribute(c.name(), PgTypes.byOid(c.type()), -1, false));
    }
    return new Relation(t.oid(), namespace(Oids.namespace(t.schema())), t.name(),
        t.isView() ? 'v' : 'r', attrs, null, 0, null);
  }

  private Relation userRelation(LumaTable t) {
    List<Attribute> attrs = new ArrayList<>();
    for (Column c : t.schema().columns()) {
      attrs.add(new Attribute(c.name(), PgTypes.forColumn(c.type()), c.typmod(), !c.nullable()));
    }
    return new Relation(Oids.table(t.tableId()), namespace(Oids.namespace(t.id().schema())),
        t.id().name(), 'r', attrs, t, Oids.rowType(t.tableId()), null);
  }

  private LumaTable tableOf(IndexDefinition i) {
    for (LumaTable t : storage.allTables()) {
      if (t.tableId() == i.tableId()) {
        return t;
      }
    }
    return null;
  }

  /** An index: its attributes are its key columns, typed as the table's columns. */
  private Relation indexRelation(IndexDefinition i, LumaTable t) {
    List<Attribute> attrs = new ArrayList<>();
    for (IndexDefinition.IndexColumn c : i.columns()) {
      int at = t.schema().indexOf(c.name());
      Column col = t.schema().column(at);
      attrs.add(new Attribute(c.name(), PgTypes.forColumn(col.type()), col.typmod(), false));
    }
    return new Relation(Oids.table(i.id()), namespace(Oids.namespace(i.name().schema())),
        i.name().name(), 'i', attrs, t, 0, null, i);
  }

  /**
   * pg_get_indexdef: {@code CREATE [UNIQUE] INDEX i ON schema.table USING btree (c [DESC] ...)},
   * or with {@code column} > 0 that key column's name, as PostgreSQL 15 prints them.
   */
  public String indexDefinition(Relation r, int column) {
    IndexDefinition i = r.index();
    if (column > 0) {
      return column <= i.columns().size() ? quoteIdent(i.columns().get(column - 1).name()) : "";
    }
    StringBuilder b = new StringBuilder("CREATE ").append(i.unique() ? "UNIQUE " : "")
        .append("INDEX ").append(quoteIdent(i.name().name())).append(" ON ")
        .append(quoteIdent(r.table().id().schema())).append('.').append(quoteIdent(r.table().id().name()))
        .append(" USING btree (");
    for (int k = 0; k < i.columns().size(); k++) {
      IndexDefinition.IndexColumn c = i.columns().get(k);
      b.append(k == 0 ? "" : ", ").append(quoteIdent(c.name()));
      if (c.descending()) {
        b.append(" DESC").append(c.nullsFirst() ? "" : " NULLS LAST");
      } else if (c.nullsFirst()) {
        b.append(" NULLS FIRST");
      }
    }
    return b.append(')').toString();
  }

  private Relation viewRelation(ViewDefinition v) {
    List<Attribute> attrs = new ArrayList<>();
    for (ViewDefinition.ViewColumn c : v.columns()) {
      attrs.add(new Attribute(c.name(), PgTypes.forSql(
          org.apache.calcite.sql.type.SqlTypeName.valueOf(c.type())), -1, false));
    }
    return new Relation(Oids.table(v.id()), namespace(Oids.namespace(v.name().schema())),
        v.name().name(), 'v', attrs, null, Oids.rowType(v.id()), v);
  }

  /**
   * Whether an unqualified name finds this relation. LumaDB looks unqualified names up in
   * public, metrics, otel, and then among the catalog's relations (PostgreSQL searches its
   * implicit pg_catalog first; LumaDB's own tables win here).
   */
  public boolean isVisible(Relation r) {
    String ns = r.namespace().name();
    if (ns.equals(PgCatalog.INFORMATION_SCHEMA)) {
      return false;
    }
    List<String> path = searchPath(true);
    int at = path.indexOf(ns);
    if (at < 0) {
      return false;
    }
    for (String earlier : path.subList(0, at)) {
      TableId id = new TableId(earlier, r.name());
      if (storage.table(id).isPresent() || storage.view(id).isPresent()
          || storage.index(id).isPresent()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The schemas an unqualified name is looked up in, in order, as current_schemas lists them;
   * with {@code includeImplicit}, the catalog's relations, which are searched last.
   */
  public List<String> searchPath(boolean includeImplicit) {
    List<String> path = new ArrayList<>(StorageEngine.BUILT_IN_SCHEMAS);
    if (includeImplicit) {
      path.add(PgCatalog.PG_CATALOG);
    }
    return path;
  }

  /** Bytes a LumaDB table holds: hot segments in memory plus its Parquet files. */
  public long tableBytes(Relation r) {
    if (r == null || r.table() == null) {
      return 0;
    }
    long n = r.table().hotBytes();
    for (WarmFileRef f : r.table().warmFiles()) {
      try {
        n += Files.size(f.path());
      } catch (IOException e) {
        // Compaction removed the file meanwhile; its rows are counted in the new one.
      }
    }
    return n;
  }

  // regclass, regtype, regnamespace, regproc: PostgreSQL's OID alias types, as text <-> OID.

  /** regclass input: a relation name (optionally schema-qualified or quoted), or an OID. */
  public int regclassIn(String text) {
    String s = text.trim();
    if (s.matches("\\d+")) {
      return Integer.parseInt(s);
    }
    List<String> parts = splitQualified(s);
    String name = parts.get(parts.size() - 1);
    List<String> schemas = parts.size() > 1 ? List.of(parts.get(parts.size() - 2))
        : searchPath(true);
    for (String schema : schemas) {
      for (Relation r : relations()) {
        if (r.namespace().name().equals(schema) && r.name().equals(name)) {
          return r.oid();
        }
      }
    }
    throw new LumaException(ErrorCode.E004, "relation \"" + s + "\" does not exist");
  }

  /** regclass output: the relation's name, schema-qualified unless visible; else the number. */
  public String regclassOut(int oid) {
    Relation r = relation(oid);
    if (r == null) {
      return Integer.toString(oid);
    }
    return isVisible(r) ? quoteIdent(r.name())
        : quoteIdent(r.namespace().name()) + "." + quoteIdent(r.name());
  }

  public int regtypeIn(String text) {
    String s = text.trim();
    if (s.matches("\\d+")) {
      return Integer.parseInt(s);
    }
    String bare = s.startsWith("pg_catalog.") ? s.substring("pg_catalog.".length()) : s;
    PgTypes.TypeDef t = PgTypes.byName(bare);
    if (t != null) {
      return t.oid();
    }
    List<String> parts = splitQualified(s);
    for (Relation r : userRelations()) {
      if (r.name().equals(parts.get(parts.size() - 1)) && (parts.size() == 1
          ? isVisible(r) : r.namespace().name().equals(parts.get(parts.size() - 2)))) {
        return r.rowType();
      }
    }
    throw new LumaException("42704", "type \"" + s + "\" does not exist");
  }

  public String regtypeOut(int oid) {
    String s = formatType(oid, -1);
    return s == null ? Integer.toString(oid) : s;
  }

  public int regnamespaceIn(String text) {
    String s = text.trim();
    if (s.matches("\\d+")) {
      return Integer.parseInt(s);
    }
    Namespace n = namespace(unquote(s));
    if (n == null) {
      throw new LumaException("3F000", "schema \"" + s + "\" does not exist");
    }
    return n.oid();
  }

  public String regnamespaceOut(int oid) {
    Namespace n = namespace(oid);
    return n == null ? Integer.toString(oid) : quoteIdent(n.name());
  }

  public int regprocIn(String text) {
    String s = text.trim();
    if (s.matches("\\d+")) {
      return Integer.parseInt(s);
    }
    String bare = s.startsWith("pg_catalog.") ? s.substring("pg_catalog.".length()) : s;
    int oid = PgTypes.inputProcOid(unquote(bare));
    if (oid == 0) {
      throw new LumaException("42883", "function \"" + s + "\" does not exist");
    }
    return oid;
  }

  public String regprocOut(int oid) {
    if (oid == 0) {
      return "-";
    }
    String name = PgTypes.inputProcName(oid);
    return name == null ? Integer.toString(oid) : name;
  }

  /** format_type: built-in types by PgTypes, a table's row type by the table's name. */
  public String formatType(int oid, int typmod) {
    String s = PgTypes.format(oid, typmod);
    if (s != null) {
      return s;
    }
    Relation r = relationOfRowType(oid);
    if (r != null && r.rowType() == oid) {
      return regclassOut(r.oid());
    }
    return null;
  }

  private static List<String> splitQualified(String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(quoted ? c : Character.toLowerCase(c));
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  private static String unquote(String s) {
    return splitQualified(s).get(0);
  }

  /** PostgreSQL's quote_ident: quotes unless the name is a lower-case plain identifier. */
  public static String quoteIdent(String name) {
    if (name.matches("[a-z_][a-z0-9_$]*") && !RESERVED.contains(name)) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** PostgreSQL's reserved key words (quote_ident quotes them). */
  private static final Set<String> RESERVED = Set.of(
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both",
      "case", "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
      "current_date", "current_role", "current_time", "current_timestamp", "current_user",
      "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
      "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially",
      "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
      "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
      "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
      "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
      "window", "with");
}
