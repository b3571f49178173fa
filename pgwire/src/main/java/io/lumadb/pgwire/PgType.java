package io.lumadb.pgwire;

import org.apache.calcite.sql.type.SqlTypeName;

/** The PostgreSQL types LumaDB sends and receives, with their OIDs and fixed sizes. */
enum PgType {
  BOOL(16, 1),
  BYTEA(17, -1),
  NAME(19, 64),
  INT8(20, 8),
  INT2(21, 2),
  INT4(23, 4),
  TEXT(25, -1),
  OID(26, 4),
  FLOAT4(700, 4),
  FLOAT8(701, 8),
  UNKNOWN(705, -2),
  BPCHAR(1042, -1),
  VARCHAR(1043, -1),
  DATE(1082, 4),
  TIME(1083, 8),
  TIMESTAMP(1114, 8),
  TIMESTAMPTZ(1184, 8),
  INTERVAL(1186, 16),
  NUMERIC(1700, -1),
  JSON(114, -1),
  JSONB(3802, -1);

  final int oid;
  final int size;

  PgType(int oid, int size) {
    this.oid = oid;
    this.size = size;
  }

  static PgType forOid(int oid) {
    for (PgType t : values()) {
      if (t.oid == oid) {
        return t;
      }
    }
    return null;
  }

  /** The PostgreSQL type a Calcite result column is sent as (the catalog's choice, PgTypes). */
  static PgType forSql(SqlTypeName t) {
    PgType p = forOid(io.lumadb.sql.pgcatalog.PgTypes.forSql(t).oid());
    return p == null ? TEXT : p;
  }

  /** The type of a result column: a VARCHAR of json's or jsonb's marker length is json/jsonb. */
  static PgType forColumn(io.lumadb.sql.ResultColumn c) {
    PgType p = forOid(io.lumadb.sql.pgcatalog.PgTypes.forSql(c.type(), c.precision()).oid());
    return p == null ? TEXT : p;
  }

  /** The SQL type a client-declared parameter OID stands for, or null for "infer it". */
  static SqlTypeName sqlTypeForOid(int oid) {
    PgType t = forOid(oid);
    if (t == null) {
      return null;
    }
    return switch (t) {
      case BOOL -> SqlTypeName.BOOLEAN;
      case INT2 -> SqlTypeName.SMALLINT;
      case INT4, OID -> SqlTypeName.INTEGER;
      case INT8 -> SqlTypeName.BIGINT;
      case FLOAT4 -> SqlTypeName.REAL;
      case FLOAT8 -> SqlTypeName.DOUBLE;
      case NUMERIC -> SqlTypeName.DECIMAL;
      case TEXT, VARCHAR, BPCHAR, NAME, JSON, JSONB -> SqlTypeName.VARCHAR;
      case DATE -> SqlTypeName.DATE;
      case TIME -> SqlTypeName.TIME;
      case TIMESTAMP -> SqlTypeName.TIMESTAMP;
      case TIMESTAMPTZ -> SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
      case BYTEA -> SqlTypeName.VARBINARY;
      case UNKNOWN, INTERVAL -> null;
    };
  }
}
