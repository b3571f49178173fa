package io.lumadb.sql.pgcatalog;

import io.lumadb.storage.StorageEngine;

/**
 * How catalog objects get their OIDs. Built-in objects keep PostgreSQL 15's numbers (clients
 * hard-code some, pgjdbc sends 1262 or 2615 back to us); LumaDB's own tables derive theirs
 * from the storage catalog's table id, which never changes and is never reused, so an OID
 * stays the same across restarts and sessions.
 */
public final class Oids {
  private Oids() {}

  /** The bootstrap superuser; LumaDB has one login role and it owns everything. */
  public static final int USER_ROLE = 10;
  public static final int DATABASE = 1;
  public static final int DEFAULT_TABLESPACE = 1663;
  public static final int GLOBAL_TABLESPACE = 1664;
  public static final int INTERNAL_LANGUAGE = 12;
  /** LumaDB's table access method (its Arrow/Parquet storage), in pg_am. */
  public static final int TABLE_AM = 2;
  /** PostgreSQL's btree access method, which every LumaDB index declares (pg_am, pg_class.relam). */
  public static final int BTREE_AM = 403;

  public static final int PG_CATALOG_NAMESPACE = 11;
  public static final int PUBLIC_NAMESPACE = 2200;
  public static final int INFORMATION_SCHEMA_NAMESPACE = 13000;

  /** The first OID PostgreSQL gives to user objects. */
  public static final int FIRST_USER_OID = 16384;

  /** OIDs of LumaDB's non-public built-in schemas (metrics, otel, ...), by their fixed position. */
  public static int namespace(String schema) {
    return switch (schema) {
      case "pg_catalog" -> PG_CATALOG_NAMESPACE;
      case "public" -> PUBLIC_NAMESPACE;
      case "information_schema" -> INFORMATION_SCHEMA_NAMESPACE;
      default -> {
        int i = StorageEngine.BUILT_IN_SCHEMAS.indexOf(schema);
        yield i < 0 ? 0 : 16000 + i;
      }
    };
  }

  /** The foreign-data wrapper all attached sources use (pg_foreign_data_wrapper). */
  public static final int JDBC_FDW = 16090;

  /** OID of the foreign server of the i-th attached (federated) schema. */
  public static int foreignServer(int i) {
    return 16200 + i;
  }

  /** OID of the i-th attached (federated) schema, in config order. */
  public static int federatedNamespace(int i) {
    return 16100 + i;
  }

  /**
   * Foreign (federated) tables' OIDs are even numbers from 2^30 up, derived from the schema and
   * table names, so a table keeps its OID across sessions and restarts while the source keeps
   * it; its row type is the next odd number.
   */
  private static final int FIRST_FOREIGN = 1 << 30;

  public static int foreignTable(String schema, String table) {
    int h = (schema + "." + table).hashCode() & (FIRST_FOREIGN - 2);
    return FIRST_FOREIGN + h;
  }

  /** The OID after a foreign table's OID that collided with another's. */
  public static int nextForeignTable(int oid) {
    return FIRST_FOREIGN + ((oid - FIRST_FOREIGN + 2) & (FIRST_FOREIGN - 2));
  }

  public static boolean isForeignTable(int oid) {
    return oid >= FIRST_FOREIGN;
  }

  /** A LumaDB table's relation OID. */
  public static int table(long tableId) {
    return Math.toIntExact(FIRST_USER_OID + 2 * tableId);
  }

  /** The OID of a LumaDB table's row type (pg_class.reltype). */
  public static int rowType(long tableId) {
    return table(tableId) + 1;
  }
}
