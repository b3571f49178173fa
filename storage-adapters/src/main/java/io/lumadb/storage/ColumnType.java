package io.lumadb.storage;

import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The column types LumaDB stores. Each value has one internal Java representation, the
 * same one Calcite's generated code uses: integers as Short/Integer/Long, TIMESTAMP as
 * epoch milliseconds (Long, zone-less), TIMESTAMPTZ as the UTC instant in epoch milliseconds
 * (Long; PostgreSQL's {@code timestamptz}, Calcite's TIMESTAMP WITH LOCAL TIME ZONE), DATE as
 * epoch days (Integer), VARCHAR, JSON and JSONB as String, BYTEA as Avatica's ByteString,
 * NUMERIC as BigDecimal.
 */
public enum ColumnType {
  BOOLEAN(SqlTypeName.BOOLEAN, ArrowType.Bool.INSTANCE, Storage.BOOL),
  SMALLINT(SqlTypeName.SMALLINT, new ArrowType.Int(16, true), Storage.LONG),
  INTEGER(SqlTypeName.INTEGER, new ArrowType.Int(32, true), Storage.LONG),
  BIGINT(SqlTypeName.BIGINT, new ArrowType.Int(64, true), Storage.LONG),
  REAL(SqlTypeName.REAL, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), Storage.DOUBLE),
  DOUBLE(SqlTypeName.DOUBLE, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), Storage.DOUBLE),
  VARCHAR(SqlTypeName.VARCHAR, ArrowType.Utf8.INSTANCE, Storage.STRING),
  TIMESTAMP(SqlTypeName.TIMESTAMP, new ArrowType.Timestamp(TimeUnit.MILLISECOND, null), Storage.LONG),
  DATE(SqlTypeName.DATE, new ArrowType.Date(DateUnit.DAY), Storage.LONG),
  // New types go last: the WAL writes a column's type as its ordinal.
  TIMESTAMPTZ(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC"),
      Storage.LONG),
  /** PostgreSQL's bytea: Calcite's VARBINARY, values are Avatica {@code ByteString}s. */
  BYTEA(SqlTypeName.VARBINARY, ArrowType.Binary.INSTANCE, Storage.OBJECT),
  /** json: the text as given (checked to be JSON on the way in). */
  JSON(SqlTypeName.VARCHAR, ArrowType.Utf8.INSTANCE, Storage.STRING),
  /** jsonb: the text as PostgreSQL prints jsonb ({@code JsonText.normalize}). */
  JSONB(SqlTypeName.VARCHAR, ArrowType.Utf8.INSTANCE, Storage.STRING),
  /**
   * numeric/decimal: BigDecimal values. A column's precision and scale are its typmod
   * ({@link Column#typmod()}); Arrow holds numeric(p,s) as Decimal128(p,s) and unconstrained
   * numeric as its exact plain text (Utf8), as the value can have any precision and scale.
   */
  NUMERIC(SqlTypeName.DECIMAL, ArrowType.Utf8.INSTANCE, Storage.OBJECT);

  /**
   * How a column of this type is held while it is being appended to (OBJECT: the internal
   * value itself, a BigDecimal or ByteString).
   */
  public enum Storage { BOOL, LONG, DOUBLE, STRING, OBJECT }

  /**
   * Calcite has no JSON type: json and jsonb columns (and the json operators' results) are
   * VARCHARs of these lengths, which the front ends recognise to send them as json/jsonb. They
   * sit just under Calcite's largest VARCHAR (65536, to which longer ones are cut, as text
   * columns' are); scans and functions never cut values to a column's declared length.
   */
  public static final int JSON_PRECISION = 65535;
  public static final int JSONB_PRECISION = 65534;

  private final SqlTypeName sqlType;
  private final ArrowType arrowType;
  private final Storage storage;

  ColumnType(SqlTypeName sqlType, ArrowType arrowType, Storage storage) {
    this.sqlType = sqlType;
    this.arrowType = arrowType;
    this.storage = storage;
  }

  public SqlTypeName sqlType() {
    return sqlType;
  }

  public ArrowType arrowType() {
    return arrowType;
  }

  public Storage storage() {
    return storage;
  }

  /** TIMESTAMP or TIMESTAMPTZ: epoch milliseconds that can be a table's time column. */
  public boolean isTimestamp() {
    return this == TIMESTAMP || this == TIMESTAMPTZ;
  }

  /** Text held as a String (VARCHAR, JSON, JSONB): the same storage path everywhere. */
  public boolean isText() {
    return storage == Storage.STRING;
  }

  /** Converts a value held as long/double/boolean/String to the internal representation. */
  public Object fromLong(long v) {
    return switch (this) {
      case SMALLINT -> (short) v;
      case INTEGER, DATE -> (int) v;
      case BIGINT, TIMESTAMP, TIMESTAMPTZ -> v;
      default -> throw new IllegalStateException(this + " is not held as a long");
    };
  }

  public Object fromDouble(double v) {
    return this == REAL ? (Object) (float) v : (Object) v;
  }

  /**
   * Resolves a SQL type name as written in DDL (PostgreSQL spellings included) to a type.
   */
  public static Optional<ColumnType> fromSqlName(String name) {
    String n = name.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    return Optional.ofNullable(
        switch (n) {
          case "boolean", "bool" -> BOOLEAN;
          case "smallint", "int2" -> SMALLINT;
          case "int", "integer", "int4" -> INTEGER;
          case "bigint", "int8" -> BIGINT;
          case "real", "float4" -> REAL;
          case "double", "double precision", "float", "float8" -> DOUBLE;
          case "varchar", "text", "string", "character varying", "char", "character" -> VARCHAR;
          case "timestamp", "timestamp without time zone" -> TIMESTAMP;
          case "timestamptz", "timestamp with time zone" -> TIMESTAMPTZ;
          case "date" -> DATE;
          case "bytea" -> BYTEA;
          case "json" -> JSON;
          case "jsonb" -> JSONB;
          case "numeric", "decimal", "dec" -> NUMERIC;
          default -> null;
        });
  }

  /** The name PostgreSQL and this project's DDL use for the type. */
  public String sqlName() {
    return switch (this) {
      case DOUBLE -> "DOUBLE PRECISION";
      case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
      default -> name();
    };
  }
}
