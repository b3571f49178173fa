package io.lumadb.sql.pgcatalog;

import static io.lumadb.sql.pgcatalog.PgTypes.ACLITEM_ARRAY;
import static io.lumadb.sql.pgcatalog.PgTypes.BOOL;
import static io.lumadb.sql.pgcatalog.PgTypes.BYTEA;
import static io.lumadb.sql.pgcatalog.PgTypes.CHAR;
import static io.lumadb.sql.pgcatalog.PgTypes.CHAR_ARRAY;
import static io.lumadb.sql.pgcatalog.PgTypes.FLOAT4;
import static io.lumadb.sql.pgcatalog.PgTypes.INT2;
import static io.lumadb.sql.pgcatalog.PgTypes.INT2VECTOR;
import static io.lumadb.sql.pgcatalog.PgTypes.INT2_ARRAY;
import static io.lumadb.sql.pgcatalog.PgTypes.INT4;
import static io.lumadb.sql.pgcatalog.PgTypes.INT8;
import static io.lumadb.sql.pgcatalog.PgTypes.NAME;
import static io.lumadb.sql.pgcatalog.PgTypes.OID;
import static io.lumadb.sql.pgcatalog.PgTypes.OIDVECTOR;
import static io.lumadb.sql.pgcatalog.PgTypes.OID_ARRAY;
import static io.lumadb.sql.pgcatalog.PgTypes.PG_NODE_TREE;
import static io.lumadb.sql.pgcatalog.PgTypes.REGPROC;
import static io.lumadb.sql.pgcatalog.PgTypes.TEXT;
import static io.lumadb.sql.pgcatalog.PgTypes.TEXT_ARRAY;
import static io.lumadb.sql.pgcatalog.PgTypes.TIMESTAMPTZ;
import static io.lumadb.sql.pgcatalog.PgTypes.XID;

import io.lumadb.sql.pgcatalog.PgCatalogContext.Attribute;
import io.lumadb.sql.pgcatalog.PgCatalogContext.Namespace;
import io.lumadb.sql.pgcatalog.PgCatalogContext.Relation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The tables and views of pg_catalog, with PostgreSQL 15's column names and types. Tables
 * that describe features LumaDB does not have (indexes, constraints, defaults, triggers,
 * rules, policies, inheritance, publications, sequences, functions) are there so that
 * clients' queries run, and they are empty, which is the true answer. Only the schemas LumaDB
 * shares with PostgreSQL (pg_catalog, public) have comments.
 */
final class PgCatalogTables {
  private PgCatalogTables() {}

  private static final List<CatalogTable> TABLES = new ArrayList<>();
  private static int nextViewOid = 12000;

  private static void table(String name, int oid, Function<PgCatalogContext, List<Object[]>> rows,
      Object... columns) {
    TABLES.add(new CatalogTable(PgCatalog.PG_CATALOG, name, oid, false, cols(columns), rows));
  }

  private static void view(String name, Function<PgCatalogContext, List<Object[]>> rows,
      Object... columns) {
    TABLES.add(new CatalogTable(PgCatalog.PG_CATALOG, name, nextViewOid++, true, cols(columns), rows));
  }

  static List<CatalogTable.Col> cols(Object... spec) {
    List<CatalogTable.Col> out = new ArrayList<>();
    for (int i = 0; i < spec.length; i += 2) {
      out.add(new CatalogTable.Col((String) spec[i], (Integer) spec[i + 1]));
    }
    return out;
  }

  private static List<Object[]> none(PgCatalogContext ctx) {
    return List.of();
  }

  static List<CatalogTable> all() {
    return List.copyOf(TABLES);
  }

  static {
    table("pg_namespace", 2615, PgCatalogTables::namespaces,
        "oid", OID, "nspname", NAME, "nspowner", OID, "nspacl", ACLITEM_ARRAY);
    table("pg_class", 1259, PgCatalogTables::classes,
        "oid", OID, "relname", NAME, "relnamespace", OID, "reltype", OID, "reloftype", OID,
        "relowner", OID, "relam", OID, "relfilenode", OID, "reltablespace", OID,
        "relpages", INT4, "reltuples", FLOAT4, "relallvisible", INT4, "reltoastrelid", OID,
        "relhasindex", BOOL, "relisshared", BOOL, "relpersistence", CHAR, "relkind", CHAR,
        "relnatts", INT2, "relchecks", INT2, "relhasrules", BOOL, "relhastriggers", BOOL,
        "relhassubclass", BOOL, "relrowsecurity", BOOL, "relforcerowsecurity", BOOL,
        "relispopulated", BOOL, "relreplident", CHAR, "relispartition", BOOL, "relrewrite", OID,
        "relfrozenxid", XID, "relminmxid", XID, "relacl", ACLITEM_ARRAY,
        "reloptions", TEXT_ARRAY, "relpartbound", PG_NODE_TREE);
    table("pg_attribute", 1249, PgCatalogTables::attributes,
        "attrelid", OID, "attname", NAME, "atttypid", OID, "attstattarget", INT4,
        "attlen", INT2, "attnum", INT2, "attndims", INT4, "attcacheoff", INT4,
        "atttypmod", INT4, "attbyval", BOOL, "attalign", CHAR, "attstorage", CHAR,
        "attcompression", CHAR, "attnotnull", BOOL, "atthasdef", BOOL, "atthasmissing", BOOL,
        "attidentity", CHAR, "attgenerated", CHAR, "attisdropped", BOOL, "attislocal", BOOL,
        "attinhcount", INT4, "attcollation", OID, "attacl", ACLITEM_ARRAY,
        "attoptions", TEXT_ARRAY, "attfdwoptions", TEXT_ARRAY);
    table("pg_type", 1247, PgCatalogTables::types,
        "oid", OID, "typname", NAME, "typnamespace", OID, "typowner", OID, "typlen", INT2,
        "typbyval", BOOL, "typtype", CHAR, "typcategory", CHAR, "typispreferred", BOOL,
        "typisdefined", BOOL, "typdelim", CHAR, "typrelid", OID, "typsubscript", REGPROC,
        "typelem", OID, "typarray", OID, "typinput", REGPROC, "typoutput", REGPROC,
        "typreceive", REGPROC, "typsend", REGPROC, "typmodin", REGPROC, "typmodout", REGPROC,
        "typanalyze", REGPROC, "typalign", CHAR, "typstorage", CHAR, "typnotnull", BOOL,
        "typbasetype", OID, "typtypmod", INT4, "typndims", INT4, "typcollation", OID,
        "typdefaultbin", PG_NODE_TREE, "typdefault", TEXT, "typacl", ACLITEM_ARRAY);
    table("pg_database", 1262, PgCatalogTables::databases,
        "oid", OID, "datname", NAME, "datdba", OID, "encoding", INT4, "datlocprovider", CHAR,
        "datistemplate", BOOL, "datallowconn", BOOL, "datconnlimit", INT4,
        "datfrozenxid", XID, "datminmxid", XID, "dattablespace", OID, "datcollate", TEXT,
        "datctype", TEXT, "daticulocale", TEXT, "datcollversion", TEXT,
        "datacl", ACLITEM_ARRAY);
    table("pg_tablespace", 1213, ctx -> List.of(
            new Object[] {Oids.DEFAULT_TABLESPACE, "pg_default", Oids.USER_ROLE, null, null},
            new Object[] {Oids.GLOBAL_TABLESPACE, "pg_global", Oids.USER_ROLE, null, null}),
        "oid", OID, "spcname", NAME, "spcowner", OID, "spcacl", ACLITEM_ARRAY,
        "spcoptions", TEXT_ARRAY);
    table("pg_am", 2601, ctx -> List.<Object[]>of(
            new Object[] {Oids.BTREE_AM, "btree", 330, "i"},
            new Object[] {Oids.TABLE_AM, "lumadb", 0, "t"}),
        "oid", OID, "amname", NAME, "amhandler", REGPROC, "amtype", CHAR);
    table("pg_authid", 1260, PgCatalogTables::authid,
        "oid", OID, "rolname", NAME, "rolsuper", BOOL, "rolinherit", BOOL,
        "rolcreaterole", BOOL, "rolcreatedb", BOOL, "rolcanlogin", BOOL,
        "rolreplication", BOOL, "rolbypassrls", BOOL, "rolconnlimit", INT4,
        "rolpassword", TEXT, "rolvaliduntil", TIMESTAMPTZ);
    table("pg_auth_members", 1261, PgCatalogTables::none,
        "roleid", OID, "member", OID, "grantor", OID, "admin_option", BOOL);
    table("pg_attrdef", 2604, PgCatalogTables::none,
        "oid", OID, "adrelid", OID, "adnum", INT2, "adbin", PG_NODE_TREE);
    table("pg_index", 2610, PgCatalogTables::indexes,
        "indexrelid", OID, "indrelid", OID, "indnatts", INT2, "indnkeyatts", INT2,
        "indisunique", BOOL, "indnullsnotdistinct", BOOL, "indisprimary", BOOL,
        "indisexclusion", BOOL, "indimmediate", BOOL, "indisclustered", BOOL,
        "indisvalid", BOOL, "indcheckxmin", BOOL, "indisready", BOOL, "indislive", BOOL,
        "indisreplident", BOOL, "indkey", INT2VECTOR, "indcollation", OIDVECTOR,
        "indclass", OIDVECTOR, "indoption", INT2VECTOR, "indexprs", PG_NODE_TREE,
        "indpred", PG_NODE_TREE);
    table("pg_constraint", 2606, PgCatalogTables::none,
        "oid", OID, "conname", NAME, "connamespace", OID, "contype", CHAR,
        "condeferrable", BOOL, "condeferred", BOOL, "convalidated", BOOL, "conrelid", OID,
        "contypid", OID, "conindid", OID, "conparentid", OID, "confrelid", OID,
        "confupdtype", CHAR, "confdeltype", CHAR, "confmatchtype", CHAR, "conislocal", BOOL,
        "coninhcount", INT4, "connoinherit", BOOL, "conkey", INT2_ARRAY, "confkey", INT2_ARRAY,
        "conpfeqop", OID_ARRAY, "conppeqop", OID_ARRAY, "conffeqop", OID_ARRAY,
        "confdelsetcols", INT2_ARRAY, "conexclop", OID_ARRAY, "conbin", PG_NODE_TREE);
    table("pg_description", 2609, ctx -> PgCatalogTables.DESCRIPTIONS,
        "objoid", OID, "classoid", OID, "objsubid", INT4, "description", TEXT);
    table("pg_shdescription", 2396, PgCatalogTables::none,
        "objoid", OID, "classoid", OID, "description", TEXT);
    // Each attached source is a foreign server of one wrapper, and its tables foreign tables.
    table("pg_foreign_data_wrapper", 2328, ctx -> ctx.federatedSchemas().isEmpty() ? List.of()
            : List.<Object[]>of(new Object[] {Oids.JDBC_FDW, "lumadb_jdbc", Oids.USER_ROLE, 0, 0, null, null}),
        "oid", OID, "fdwname", NAME, "fdwowner", OID, "fdwhandler", OID, "fdwvalidator", OID,
        "fdwacl", TEXT_ARRAY, "fdwoptions", TEXT_ARRAY);
    table("pg_foreign_server", 1417, PgCatalogTables::foreignServers,
        "oid", OID, "srvname", NAME, "srvowner", OID, "srvfdw", OID, "srvtype", TEXT,
        "srvversion", TEXT, "srvacl", TEXT_ARRAY, "srvoptions", TEXT_ARRAY);
    table("pg_foreign_table", 3118, ctx -> ctx.foreignRelations().stream()
            .map(r -> new Object[] {r.oid(), ctx.foreignServer(r.namespace().name()), null}).toList(),
        "ftrelid", OID, "ftserver", OID, "ftoptions", TEXT_ARRAY);
    table("pg_inherits", 2611, PgCatalogTables::none,
        "inhrelid", OID, "inhparent", OID, "inhseqno", INT4, "inhdetachpending", BOOL);
    table("pg_policy", 3256, PgCatalogTables::none,
        "oid", OID, "polname", NAME, "polrelid", OID, "polcmd", CHAR, "polpermissive", BOOL,
        "polroles", OID_ARRAY, "polqual", PG_NODE_TREE, "polwithcheck", PG_NODE_TREE);
    table("pg_statistic_ext", 3381, PgCatalogTables::none,
        "oid", OID, "stxrelid", OID, "stxname", NAME, "stxnamespace", OID, "stxowner", OID,
        "stxstattarget", INT4, "stxkeys", INT2VECTOR, "stxkind", CHAR_ARRAY,
        "stxexprs", PG_NODE_TREE);
    table("pg_publication", 6104, PgCatalogTables::none,
        "oid", OID, "pubname", NAME, "pubowner", OID, "puballtables", BOOL, "pubinsert", BOOL,
        "pubupdate", BOOL, "pubdelete", BOOL, "pubtruncate", BOOL, "pubviaroot", BOOL);
    table("pg_publication_namespace", 6237, PgCatalogTables::none,
        "oid", OID, "pnpubid", OID, "pnnspid", OID);
    table("pg_publication_rel", 6106, PgCatalogTables::none,
        "oid", OID, "prpubid", OID, "prrelid", OID, "prqual", PG_NODE_TREE,
        "prattrs", INT2VECTOR);
    table("pg_trigger", 2620, PgCatalogTables::none,
        "oid", OID, "tgrelid", OID, "tgparentid", OID, "tgname", NAME, "tgfoid", OID,
        "tgtype", INT2, "tgenabled", CHAR, "tgisinternal", BOOL, "tgconstrrelid", OID,
        "tgconstrindid", OID, "tgconstraint", OID, "tgdeferrable", BOOL,
        "tginitdeferred", BOOL, "tgnargs", INT2, "tgattr", INT2VECTOR, "tgargs", BYTEA,
        "tgqual", PG_NODE_TREE, "tgoldtable", NAME, "tgnewtable", NAME);
    table("pg_rewrite", 2618, PgCatalogTables::none,
        "oid", OID, "rulename", NAME, "ev_class", OID, "ev_type", CHAR, "ev_enabled", CHAR,
        "is_instead", BOOL, "ev_qual", PG_NODE_TREE, "ev_action", PG_NODE_TREE);
    table("pg_proc", 1255, PgCatalogTables::none,
        "oid", OID, "proname", NAME, "pronamespace", OID, "proowner", OID, "prolang", OID,
        "procost", FLOAT4, "prorows", FLOAT4, "provariadic", OID, "prosupport", REGPROC,
        "prokind", CHAR, "prosecdef", BOOL, "proleakproof", BOOL, "proisstrict", BOOL,
        "proretset", BOOL, "provolatile", CHAR, "proparallel", CHAR, "pronargs", INT2,
        "pronargdefaults", INT2, "prorettype", OID, "proargtypes", OIDVECTOR,
        "proallargtypes", OID_ARRAY, "proargmodes", CHAR_ARRAY, "proargnames", TEXT_ARRAY,
        "proargdefaults", PG_NODE_TREE, "protrftypes", OID_ARRAY, "prosrc", TEXT,
        "probin", TEXT, "prosqlbody", PG_NODE_TREE, "proconfig", TEXT_ARRAY,
        "proacl", ACLITEM_ARRAY);
    table("pg_language", 2612, ctx -> List.<Object[]>of(new Object[] {
            Oids.INTERNAL_LANGUAGE, "internal", Oids.USER_ROLE, false, false, 0, 0, 0, null}),
        "oid", OID, "lanname", NAME, "lanowner", OID, "lanispl", BOOL, "lanpltrusted", BOOL,
        "lanplcallfoid", OID, "laninline", OID, "lanvalidator", OID, "lanacl", ACLITEM_ARRAY);
    table("pg_collation", 3456, PgCatalogTables::collations,
        "oid", OID, "collname", NAME, "collnamespace", OID, "collowner", OID,
        "collprovider", CHAR, "collisdeterministic", BOOL, "collencoding", INT4,
        "collcollate", TEXT, "collctype", TEXT, "colliculocale", TEXT, "collversion", TEXT);
    table("pg_extension", 3079, PgCatalogTables::none,
        "oid", OID, "extname", NAME, "extowner", OID, "extnamespace", OID,
        "extrelocatable", BOOL, "extversion", TEXT, "extconfig", OID_ARRAY,
        "extcondition", TEXT_ARRAY);
    table("pg_sequence", 2224, PgCatalogTables::none,
        "seqrelid", OID, "seqtypid", OID, "seqstart", INT8, "seqincrement", INT8,
        "seqmax", INT8, "seqmin", INT8, "seqcache", INT8, "seqcycle", BOOL);
    table("pg_depend", 2608, PgCatalogTables::none,
        "classid", OID, "objid", OID, "objsubid", INT4, "refclassid", OID, "refobjid", OID,
        "refobjsubid", INT4, "deptype", CHAR);
    table("pg_enum", 3501, PgCatalogTables::none,
        "oid", OID, "enumtypid", OID, "enumsortorder", FLOAT4, "enumlabel", NAME);
    table("pg_range", 3541, PgCatalogTables::none,
        "rngtypid", OID, "rngsubtype", OID, "rngmultitypid", OID, "rngcollation", OID,
        "rngsubopc", OID, "rngcanonical", REGPROC, "rngsubdiff", REGPROC);

    view("pg_roles", PgCatalogTables::roles,
        "rolname", NAME, "rolsuper", BOOL, "rolinherit", BOOL, "rolcreaterole", BOOL,
        "rolcreatedb", BOOL, "rolcanlogin", BOOL, "rolreplication", BOOL,
        "rolconnlimit", INT4, "rolpassword", TEXT, "rolvaliduntil", TIMESTAMPTZ,
        "rolbypassrls", BOOL, "rolconfig", TEXT_ARRAY, "oid", OID);
    view("pg_user", ctx -> List.<Object[]>of(new Object[] {
            ctx.user(), Oids.USER_ROLE, true, true, false, true, "********", null, null}),
        "usename", NAME, "usesysid", OID, "usecreatedb", BOOL, "usesuper", BOOL,
        "userepl", BOOL, "usebypassrls", BOOL, "passwd", TEXT, "valuntil", TIMESTAMPTZ,
        "useconfig", TEXT_ARRAY);
    view("pg_settings", PgCatalogTables::settings,
        "name", TEXT, "setting", TEXT, "unit", TEXT, "category", TEXT, "short_desc", TEXT,
        "extra_desc", TEXT, "context", TEXT, "vartype", TEXT, "source", TEXT,
        "min_val", TEXT, "max_val", TEXT, "enumvals", TEXT_ARRAY, "boot_val", TEXT,
        "reset_val", TEXT, "sourcefile", TEXT, "sourceline", INT4, "pending_restart", BOOL);
    view("pg_tables", PgCatalogTables::tables,
        "schemaname", NAME, "tablename", NAME, "tableowner", NAME, "tablespace", NAME,
        "hasindexes", BOOL, "hasrules", BOOL, "hastriggers", BOOL, "rowsecurity", BOOL);
    view("pg_views", PgCatalogTables::views,
        "schemaname", NAME, "viewname", NAME, "viewowner", NAME, "definition", TEXT);
    view("pg_indexes", PgCatalogTables::indexViews,
        "schemaname", NAME, "tablename", NAME, "indexname", NAME, "tablespace", NAME,
        "indexdef", TEXT);
    view("pg_matviews", PgCatalogTables::none,
        "schemaname", NAME, "matviewname", NAME, "matviewowner", NAME, "tablespace", NAME,
        "hasindexes", BOOL, "ispopulated", BOOL, "definition", TEXT);
    view("pg_stat_user_tables", PgCatalogTables::statUserTables,
        "relid", OID, "schemaname", NAME, "relname", NAME, "seq_scan", INT8,
        "seq_tup_read", INT8, "idx_scan", INT8, "idx_tup_fetch", INT8, "n_tup_ins", INT8,
        "n_tup_upd", INT8, "n_tup_del", INT8, "n_tup_hot_upd", INT8, "n_live_tup", INT8,
        "n_dead_tup", INT8, "n_mod_since_analyze", INT8, "n_ins_since_vacuum", INT8,
        "last_vacuum", TIMESTAMPTZ, "last_autovacuum", TIMESTAMPTZ,
        "last_analyze", TIMESTAMPTZ, "last_autoanalyze", TIMESTAMPTZ, "vacuum_count", INT8,
        "autovacuum_count", INT8, "analyze_count", INT8, "autoanalyze_count", INT8);
  }

  private static List<Object[]> namespaces(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Namespace n : ctx.namespaces()) {
      out.add(new Object[] {n.oid(), n.name(), Oids.USER_ROLE, null});
    }
    return out;
  }

  private static List<Object[]> classes(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      boolean user = r.isUserTable();
      boolean index = r.isIndex();
      List<Object> options = null;
      if (user) {
        String opts = r.table().options().format();
        if (!opts.isEmpty()) {
          options = new ArrayList<>(Arrays.asList(opts.split(",")));
        }
      }
      // relpages is PostgreSQL's estimate from VACUUM, 0 until then; reltuples is exact here.
      out.add(new Object[] {
          r.oid(), r.name(), r.namespace().oid(), r.rowType(), 0, Oids.USER_ROLE,
          user ? Oids.TABLE_AM : index ? Oids.BTREE_AM : 0, 0, 0, 0,
          user || index ? (float) r.table().rowCount() : -1f, 0, 0,
          user && ctx.hasIndexes(r.table()), false, "p", String.valueOf(r.kind()),
          r.attributes().size(), 0,
          false, false, false, false, false, true, user ? "d" : "n", false, 0, 0, 0, null,
          options, null});
    }
    return out;
  }

  private static List<Object[]> foreignServers(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (String name : ctx.federatedSchemas()) {
      out.add(new Object[] {ctx.foreignServer(name), name, Oids.USER_ROLE, Oids.JDBC_FDW, null, null, null, null});
    }
    return out;
  }

  private static List<Object[]> attributes(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      int num = 0;
      for (Attribute a : r.attributes()) {
        num++;
        PgTypes.TypeDef t = a.type();
        out.add(new Object[] {
            r.oid(), a.name(), t.oid(), -1, t.len(), num, t.isArray() ? 1 : 0, -1,
            a.typmod(), t.byVal(), String.valueOf(t.align()), String.valueOf(t.storage()), "",
            a.notNull(), false, false, "", "", false, true, 0, t.collation(), null, null,
            null});
      }
    }
    return out;
  }

  private static List<Object[]> types(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (PgTypes.TypeDef t : PgTypes.all()) {
      out.add(new Object[] {
          t.oid(), t.name(), Oids.PG_CATALOG_NAMESPACE, Oids.USER_ROLE, t.len(), t.byVal(),
          String.valueOf(t.type()), String.valueOf(t.category()), false, true, ",", 0,
          0, t.elem(),
          t.array(), t.inputProc(), 0, 0, 0, 0, 0, 0, String.valueOf(t.align()),
          String.valueOf(t.storage()), false, 0, -1, 0, t.collation(), null, null, null});
    }
    // Each LumaDB and foreign table has a composite row type, as in PostgreSQL.
    List<Relation> tables = new ArrayList<>(ctx.userRelations());
    tables.addAll(ctx.foreignRelations());
    for (Relation r : tables) {
      out.add(new Object[] {
          r.rowType(), r.name(), r.namespace().oid(), Oids.USER_ROLE, -1, false, "c", "C",
          false, true, ",", r.oid(), 0, 0, 0, PgTypes.byOid(PgTypes.RECORD).inputProc(), 0, 0,
          0, 0, 0, 0, "d", "x", false, 0, -1, 0, 0, null, null, null});
    }
    return out;
  }

  private static List<Object[]> databases(PgCatalogContext ctx) {
    return List.<Object[]>of(new Object[] {
        Oids.DATABASE, PgCatalogContext.DATABASE, Oids.USER_ROLE, 6, "c", false, true, -1, 0, 0,
        Oids.DEFAULT_TABLESPACE, "C", "C", null, null, null});
  }

  /** PostgreSQL 15's comments on the schemas LumaDB shares with it; nothing else has one. */
  private static final List<Object[]> DESCRIPTIONS = List.of(
      new Object[] {Oids.PG_CATALOG_NAMESPACE, 2615, 0, "system catalog schema"},
      new Object[] {Oids.PUBLIC_NAMESPACE, 2615, 0, "standard public schema"});

  /** An object's comment in pg_description ({@code classOid} null: any catalog), or null. */
  static String description(int objOid, Integer classOid, int subId) {
    for (Object[] d : DESCRIPTIONS) {
      if ((Integer) d[0] == objOid && (classOid == null || classOid.equals(d[1]))
          && (Integer) d[2] == subId) {
        return (String) d[3];
      }
    }
    return null;
  }

  private static List<Object[]> authid(PgCatalogContext ctx) {
    return List.<Object[]>of(new Object[] {
        Oids.USER_ROLE, ctx.user(), true, true, true, true, true, false, true, -1, null, null});
  }

  private static List<Object[]> roles(PgCatalogContext ctx) {
    return List.<Object[]>of(new Object[] {
        ctx.user(), true, true, true, true, true, false, -1, "********", null, true, null,
        Oids.USER_ROLE});
  }

  private static List<Object[]> collations(PgCatalogContext ctx) {
    int ns = Oids.PG_CATALOG_NAMESPACE;
    return List.of(
        new Object[] {PgTypes.DEFAULT_COLLATION, "default", ns, Oids.USER_ROLE, "d", true, -1,
            null, null, null, null},
        new Object[] {PgTypes.C_COLLATION, "C", ns, Oids.USER_ROLE, "c", true, -1, "C", "C",
            null, null},
        new Object[] {951, "POSIX", ns, Oids.USER_ROLE, "c", true, -1, "POSIX", "POSIX", null,
            null});
  }

  private static List<Object[]> settings(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    Map<String, String> all = new TreeMap<>(ctx.settings().all());
    all.forEach((name, value) -> out.add(new Object[] {
        name, value, null, null, null, null, "user", "string", "session", null, null, null,
        null, null, null, null, false}));
    // PostgreSQL's compile-time limits; pgjdbc reads max_index_keys to walk key columns.
    for (String[] preset : new String[][] {{"max_index_keys", "32"}, {"max_function_args", "100"}}) {
      if (!all.containsKey(preset[0])) {
        out.add(new Object[] {preset[0], preset[1], null, "Preset Options", null, null,
            "internal", "integer", "default", preset[1], preset[1], null, preset[1], preset[1],
            null, null, false});
      }
    }
    out.sort(java.util.Comparator.comparing(r -> (String) r[0]));
    return out;
  }

  private static List<Object[]> tables(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      if (r.kind() == 'r') {
        out.add(new Object[] {r.namespace().name(), r.name(), ctx.user(), null,
            r.isUserTable() && ctx.hasIndexes(r.table()), false, false, false});
      }
    }
    return out;
  }

  /**
   * pg_index: indkey holds the key columns' attribute numbers; indoption PostgreSQL's per-column
   * flags (1 = DESC, 2 = NULLS FIRST); no index is a primary key, exclusion or partial index.
   */
  private static List<Object[]> indexes(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.indexRelations()) {
      List<Object> key = new ArrayList<>();
      List<Object> collation = new ArrayList<>();
      List<Object> opclass = new ArrayList<>();
      List<Object> option = new ArrayList<>();
      for (var c : r.index().columns()) {
        key.add(r.table().schema().indexOf(c.name()) + 1);
        boolean text = r.table().schema().column(r.table().schema().indexOf(c.name())).type()
            == io.lumadb.storage.ColumnType.VARCHAR;
        collation.add(text ? PgTypes.DEFAULT_COLLATION : 0);
        opclass.add(0);
        option.add((c.descending() ? 1 : 0) | (c.nullsFirst() ? 2 : 0));
      }
      int n = key.size();
      out.add(new Object[] {
          r.oid(), Oids.table(r.table().tableId()), n, n, r.index().unique(), false, false,
          false, true, false, true, false, true, true, false, key, collation, opclass, option,
          null, null});
    }
    return out;
  }

  private static List<Object[]> indexViews(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      if (r.isIndex()) {
        out.add(new Object[] {r.namespace().name(), r.table().id().name(), r.name(), null,
            ctx.indexDefinition(r, 0)});
      }
    }
    return out;
  }

  private static List<Object[]> views(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.relations()) {
      if (r.kind() == 'v') {
        // The catalog's own views are computed in Java: they have no SQL definition to show.
        out.add(new Object[] {r.namespace().name(), r.name(), ctx.user(), r.viewDefinition()});
      }
    }
    return out;
  }

  private static List<Object[]> statUserTables(PgCatalogContext ctx) {
    List<Object[]> out = new ArrayList<>();
    for (Relation r : ctx.userRelations()) {
      // Counters LumaDB does not keep are NULL; there are no updates, deletes or dead rows.
      out.add(new Object[] {r.oid(), r.namespace().name(), r.name(), null, null, null, null,
          null, 0L, 0L, 0L, r.table().rowCount(), 0L, null, null, null, null, null, null,
          null, null, null, null});
    }
    return out;
  }
}
