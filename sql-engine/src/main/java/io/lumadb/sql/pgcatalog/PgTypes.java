package io.lumadb.sql.pgcatalog;

import io.lumadb.storage.ColumnType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The PostgreSQL types LumaDB's catalog lists in pg_type: those its tables store, those its
 * results are sent as, and those the catalog's own columns have. OIDs, names, lengths and
 * input functions are PostgreSQL 15's, so clients that know them by number (pgjdbc, psycopg)
 * agree with us.
 */
public final class PgTypes {
  /** One pg_type row for a built-in type. */
  public record TypeDef(int oid, String name, short len, boolean byVal, char type, char category,
      int elem, int array, int inputProc, String inputName, char align, char storage,
      int collation, SqlTypeName calcite) {
    public boolean isArray() {
      return elem != 0 && category == 'A';
    }
  }

  public static final int BOOL = 16;
  public static final int BYTEA = 17;
  public static final int CHAR = 18;
  public static final int NAME = 19;
  public static final int INT8 = 20;
  public static final int INT2 = 21;
  public static final int INT2VECTOR = 22;
  public static final int INT4 = 23;
  public static final int REGPROC = 24;
  public static final int TEXT = 25;
  public static final int OID = 26;
  public static final int XID = 28;
  public static final int OIDVECTOR = 30;
  public static final int PG_NODE_TREE = 194;
  public static final int FLOAT4 = 700;
  public static final int FLOAT8 = 701;
  public static final int ACLITEM = 1033;
  public static final int BPCHAR = 1042;
  public static final int VARCHAR = 1043;
  public static final int DATE = 1082;
  public static final int TIME = 1083;
  public static final int TIMESTAMP = 1114;
  public static final int TIMESTAMPTZ = 1184;
  public static final int INTERVAL = 1186;
  public static final int NUMERIC = 1700;
  public static final int JSON = 114;
  public static final int JSONB = 3802;
  public static final int REGCLASS = 2205;
  public static final int REGTYPE = 2206;
  public static final int REGNAMESPACE = 4089;
  public static final int RECORD = 2249;
  public static final int VOID = 2278;

  public static final int TEXT_ARRAY = 1009;
  public static final int NAME_ARRAY = 1003;
  public static final int OID_ARRAY = 1028;
  public static final int CHAR_ARRAY = 1002;
  public static final int INT2_ARRAY = 1005;
  public static final int ACLITEM_ARRAY = 1034;

  /** PostgreSQL's collations "default" and "C". */
  public static final int DEFAULT_COLLATION = 100;
  public static final int C_COLLATION = 950;

  /** pg_proc OID of array_in, the input function of every array type. */
  public static final int ARRAY_IN = 750;

  private static final Map<Integer, TypeDef> BY_OID = new LinkedHashMap<>();

  static {
    base(BOOL, "bool", 1, true, 'B', 1000, 1242, "boolin", 'c', 'p', 0, SqlTypeName.BOOLEAN);
    base(BYTEA, "bytea", -1, false, 'U', 1001, 1244, "byteain", 'i', 'x', 0, SqlTypeName.VARBINARY);
    base(CHAR, "char", 1, true, 'Z', 1002, 1245, "charin", 'c', 'p', 0, SqlTypeName.VARCHAR);
    base(NAME, "name", 64, false, 'S', 1003, 34, "namein", 'c', 'p', C_COLLATION, SqlTypeName.VARCHAR);
    base(INT8, "int8", 8, true, 'N', 1016, 460, "int8in", 'd', 'p', 0, SqlTypeName.BIGINT);
    base(INT2, "int2", 2, true, 'N', 1005, 38, "int2in", 's', 'p', 0, SqlTypeName.SMALLINT);
    add(new TypeDef(INT2VECTOR, "int2vector", (short) -1, false, 'b', 'A', INT2, 1006, 40,
        "int2vectorin", 'i', 'p', 0, SqlTypeName.ARRAY));
    base(INT4, "int4", 4, true, 'N', 1007, 42, "int4in", 'i', 'p', 0, SqlTypeName.INTEGER);
    base(REGPROC, "regproc", 4, true, 'N', 1008, 44, "regprocin", 'i', 'p', 0, SqlTypeName.INTEGER);
    base(TEXT, "text", -1, false, 'S', TEXT_ARRAY, 46, "textin", 'i', 'x', DEFAULT_COLLATION,
        SqlTypeName.VARCHAR);
    base(OID, "oid", 4, true, 'N', OID_ARRAY, 1798, "oidin", 'i', 'p', 0, SqlTypeName.INTEGER);
    base(XID, "xid", 4, true, 'U', 1011, 50, "xidin", 'i', 'p', 0, SqlTypeName.INTEGER);
    add(new TypeDef(OIDVECTOR, "oidvector", (short) -1, false, 'b', 'A', OID, 1013, 54,
        "oidvectorin", 'i', 'p', 0, SqlTypeName.ARRAY));
    base(PG_NODE_TREE, "pg_node_tree", -1, false, 'Z', 0, 195, "pg_node_tree_in", 'i', 'x',
        DEFAULT_COLLATION, SqlTypeName.VARCHAR);
    base(FLOAT4, "float4", 4, true, 'N', 1021, 200, "float4in", 'i', 'p', 0, SqlTypeName.REAL);
    base(FLOAT8, "float8", 8, true, 'N', 1022, 214, "float8in", 'd', 'p', 0, SqlTypeName.DOUBLE);
    base(ACLITEM, "aclitem", 12, false, 'U', ACLITEM_ARRAY, 1031, "aclitemin", 'i', 'p', 0,
        SqlTypeName.VARCHAR);
    base(BPCHAR, "bpchar", -1, false, 'S', 1014, 1044, "bpcharin", 'i', 'x', DEFAULT_COLLATION,
        SqlTypeName.VARCHAR);
    base(VARCHAR, "varchar", -1, false, 'S', 1015, 1046, "varcharin", 'i', 'x', DEFAULT_COLLATION,
        SqlTypeName.VARCHAR);
    base(DATE, "date", 4, true, 'D', 1182, 1084, "date_in", 'i', 'p', 0, SqlTypeName.DATE);
    base(TIME, "time", 8, true, 'D', 1183, 1143, "time_in", 'd', 'p', 0, SqlTypeName.TIME);
    base(TIMESTAMP, "timestamp", 8, true, 'D', 1115, 1312, "timestamp_in", 'd', 'p', 0,
        SqlTypeName.TIMESTAMP);
    base(TIMESTAMPTZ, "timestamptz", 8, true, 'D', 1185, 1150, "timestamptz_in", 'd', 'p', 0,
        SqlTypeName.TIMESTAMP);
    base(INTERVAL, "interval", 16, false, 'T', 1187, 1160, "interval_in", 'd', 'p', 0,
        SqlTypeName.INTERVAL_DAY_SECOND);
    base(NUMERIC, "numeric", -1, false, 'N', 1231, 1701, "numeric_in", 'i', 'm', 0,
        SqlTypeName.DECIMAL);
    base(JSON, "json", -1, false, 'U', 199, 321, "json_in", 'i', 'x', 0, SqlTypeName.VARCHAR);
    base(JSONB, "jsonb", -1, false, 'U', 3807, 3806, "jsonb_in", 'i', 'x', 0, SqlTypeName.VARCHAR);
    base(REGCLASS, "regclass", 4, true, 'N', 2210, 2218, "regclassin", 'i', 'p', 0,
        SqlTypeName.INTEGER);
    base(REGTYPE, "regtype", 4, true, 'N', 2211, 2220, "regtypein", 'i', 'p', 0,
        SqlTypeName.INTEGER);
    base(REGNAMESPACE, "regnamespace", 4, true, 'N', 4090, 4084, "regnamespacein", 'i', 'p', 0,
        SqlTypeName.INTEGER);
    add(new TypeDef(RECORD, "record", (short) -1, false, 'p', 'P', 0, 2287, 2290, "record_in",
        'd', 'x', 0, SqlTypeName.ANY));
    add(new TypeDef(VOID, "void", (short) 4, true, 'p', 'P', 0, 0, 2298, "void_in", 'i', 'p', 0,
        SqlTypeName.ANY));
    // Every base type's array type: "_name", input function array_in, category 'A'.
    for (TypeDef t : List.copyOf(BY_OID.values())) {
      if (t.array() != 0) {
        add(new TypeDef(t.array(), "_" + t.name(), (short) -1, false, 'b', 'A', t.oid(), 0,
            ARRAY_IN, "array_in", t.align() == 'd' ? 'd' : 'i', 'x', t.collation(),
            SqlTypeName.ARRAY));
      }
    }
  }

  private PgTypes() {}

  private static void base(int oid, String name, int len, boolean byVal, char category, int array,
      int inputProc, String inputName, char align, char storage, int collation, SqlTypeName calcite) {
    add(new TypeDef(oid, name, (short) len, byVal, 'b', category, 0, array, inputProc, inputName,
        align, storage, collation, calcite));
  }

  private static void add(TypeDef t) {
    BY_OID.put(t.oid(), t);
  }

  public static List<TypeDef> all() {
    return Collections.unmodifiableList(new ArrayList<>(BY_OID.values()));
  }

  public static TypeDef byOid(int oid) {
    return BY_OID.get(oid);
  }

  /** The type named {@code name} (pg_type.typname or an SQL spelling such as "integer"). */
  public static TypeDef byName(String name) {
    String n = name.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    if (n.endsWith("[]")) {
      TypeDef elem = byName(n.substring(0, n.length() - 2));
      return elem == null || elem.array() == 0 ? null : byOid(elem.array());
    }
    String canonical = switch (n) {
      case "boolean" -> "bool";
      case "smallint" -> "int2";
      case "integer", "int" -> "int4";
      case "bigint" -> "int8";
      case "real" -> "float4";
      case "double precision" -> "float8";
      case "character varying" -> "varchar";
      case "character" -> "bpchar";
      case "\"char\"" -> "char";
      case "timestamp without time zone" -> "timestamp";
      case "timestamp with time zone" -> "timestamptz";
      case "time without time zone" -> "time";
      case "decimal" -> "numeric";
      default -> n;
    };
    for (TypeDef t : BY_OID.values()) {
      if (t.name().equals(canonical)) {
        return t;
      }
    }
    return null;
  }

  /** The pg_proc OID of a type input function or array_in, by name; 0 if unknown. */
  public static int inputProcOid(String name) {
    for (TypeDef t : BY_OID.values()) {
      if (t.inputName().equals(name)) {
        return t.inputProc();
      }
    }
    return 0;
  }

  public static String inputProcName(int oid) {
    for (TypeDef t : BY_OID.values()) {
      if (t.inputProc() == oid) {
        return t.inputName();
      }
    }
    return null;
  }

  /** The PostgreSQL type a LumaDB column is stored (and sent to clients) as. */
  public static TypeDef forColumn(ColumnType type) {
    return byOid(switch (type) {
      case BOOLEAN -> BOOL;
      case SMALLINT -> INT2;
      case INTEGER -> INT4;
      case BIGINT -> INT8;
      case REAL -> FLOAT4;
      case DOUBLE -> FLOAT8;
      // Stored without a length and sent as text (25), whatever length the DDL gave.
      case VARCHAR -> TEXT;
      case TIMESTAMP -> TIMESTAMP;
      case TIMESTAMPTZ -> TIMESTAMPTZ;
      case DATE -> DATE;
      case BYTEA -> BYTEA;
      case JSON -> JSON;
      case JSONB -> JSONB;
      case NUMERIC -> NUMERIC;
    });
  }

  /**
   * {@link #forSql(SqlTypeName)} knowing the type's precision: the VARCHAR lengths that mark
   * json and jsonb ({@link ColumnType#JSON_PRECISION}) are sent as those types.
   */
  public static TypeDef forSql(SqlTypeName type, int precision) {
    if (type == SqlTypeName.VARCHAR && precision == ColumnType.JSON_PRECISION) {
      return byOid(JSON);
    }
    if (type == SqlTypeName.VARCHAR && precision == ColumnType.JSONB_PRECISION) {
      return byOid(JSONB);
    }
    return forSql(type);
  }

  /**
   * The PostgreSQL type a Calcite result type is sent as (text otherwise): what pgwire writes in
   * RowDescription and what the catalog says of a view's columns.
   */
  public static TypeDef forSql(SqlTypeName type) {
    if (SqlTypeName.INTERVAL_TYPES.contains(type)) {
      return byOid(INTERVAL);
    }
    return byOid(switch (type) {
      case BOOLEAN -> BOOL;
      case TINYINT, SMALLINT -> INT2;
      case INTEGER -> INT4;
      case BIGINT -> INT8;
      case REAL, FLOAT -> FLOAT4;
      case DOUBLE -> FLOAT8;
      case DECIMAL -> NUMERIC;
      case DATE -> DATE;
      case TIME -> TIME;
      case TIMESTAMP -> TIMESTAMP;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> TIMESTAMPTZ;
      case BINARY, VARBINARY -> BYTEA;
      default -> TEXT;
    });
  }

  /** The Calcite type of a catalog column of this PostgreSQL type (nullable). */
  public static RelDataType calciteType(RelDataTypeFactory f, TypeDef t) {
    RelDataType r;
    if (t.isArray()) {
      r = f.createArrayType(calciteType(f, byOid(t.elem())), -1);
    } else if (t.calcite() == SqlTypeName.TIMESTAMP) {
      r = f.createSqlType(SqlTypeName.TIMESTAMP, 3);
    } else if (t.calcite() == SqlTypeName.VARCHAR) {
      r = f.createSqlType(SqlTypeName.VARCHAR, Integer.MAX_VALUE);
    } else {
      r = f.createSqlType(t.calcite());
    }
    return f.createTypeWithNullability(r, true);
  }

  /**
   * PostgreSQL's format_type(oid, typmod): the SQL name of a type, with its modifier.
   * Returns null for an unknown OID (the caller decides, PostgreSQL prints "???").
   */
  public static String format(int oid, Integer typmod) {
    TypeDef t = byOid(oid);
    if (t == null) {
      return null;
    }
    if (t.isArray() && t.oid() != INT2VECTOR && t.oid() != OIDVECTOR) {
      return format(t.elem(), typmod) + "[]";
    }
    int mod = typmod == null ? -1 : typmod;
    return switch (t.oid()) {
      case BOOL -> "boolean";
      case INT2 -> "smallint";
      case INT4 -> "integer";
      case INT8 -> "bigint";
      case FLOAT4 -> "real";
      case FLOAT8 -> "double precision";
      case CHAR -> "\"char\"";
      case VARCHAR -> mod >= 4 ? "character varying(" + (mod - 4) + ")" : "character varying";
      case BPCHAR -> mod >= 4 ? "character(" + (mod - 4) + ")" : "bpchar";
      case NUMERIC -> mod >= 4
          ? "numeric(" + (((mod - 4) >> 16) & 0xffff) + "," + ((mod - 4) & 0xffff) + ")" : "numeric";
      case TIMESTAMP -> "timestamp without time zone";
      case TIMESTAMPTZ -> "timestamp with time zone";
      case TIME -> "time without time zone";
      default -> t.name();
    };
  }
}
