package io.lumadb.sql.pgcatalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import io.lumadb.sql.LumaException;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

/**
 * Casts and conversions with PostgreSQL's meaning where Calcite's differ, applied as a query is
 * converted to relational algebra:
 * <ul>
 *   <li>A cast of a float to a whole type rounds half to even ({@code 1.5::float8::int} is 2,
 *       {@code 2.5} is 2) and of a numeric half away from zero ({@code 2.5::int} is 3,
 *       {@code -2.5} is -3); Calcite truncated both (1, 2, -2). A value outside the type fails
 *       (22003 "integer out of range") where Calcite's cast saturated or wrapped.
 *   <li>{@code round(float)} rounds half to even, where Calcite rounded half up
 *       ({@code round(0.5::float8)} is 0).
 *   <li>Text cast to boolean takes what PostgreSQL takes ({@code 't'}, {@code 'yes'},
 *       {@code 'on'}, {@code '1'}, prefixes of true/false/yes/no, any case, blanks around);
 *       Calcite took only true/false. A boolean cast to text is {@code true}/{@code false}, not
 *       {@code TRUE}/{@code FALSE}; {@code concat} writes a boolean as {@code t}/{@code f}.
 *   <li>A float cast to text is PostgreSQL's text form ({@code 2}, {@code 1e+20}), not Java's
 *       ({@code 2.0}, {@code 1.0E20}).
 *   <li>{@code EXTRACT(DOW ...)} counts Sunday as 0, Calcite's as 1.
 *   <li>A double precision divided by zero fails (22012), where Java's division gives Infinity or NaN.
 * </ul>
 */
public final class PgCasts implements SqlRexConvertletTable {
  private static final SqlUserDefinedFunction TO_INT2 =
      PgFunction.operator(PgCasts.class, "pg_to_int2", "toInt2", 1, SqlTypeName.SMALLINT);
  private static final SqlUserDefinedFunction TO_INT4 =
      PgFunction.operator(PgCasts.class, "pg_to_int4", "toInt4", 1, SqlTypeName.INTEGER);
  private static final SqlUserDefinedFunction TO_INT8 =
      PgFunction.operator(PgCasts.class, "pg_to_int8", "toInt8", 1, SqlTypeName.BIGINT);
  private static final SqlUserDefinedFunction RINT =
      PgFunction.operator(PgCasts.class, "pg_rint", "rint", 1, SqlTypeName.DOUBLE);
  private static final SqlUserDefinedFunction BOOL_TEXT =
      PgFunction.operator(PgCasts.class, "pg_bool_text", "boolText", 1, SqlTypeName.VARCHAR);
  private static final SqlUserDefinedFunction BOOL_OUT =
      PgFunction.operator(PgCasts.class, "pg_bool_out", "boolOut", 1, SqlTypeName.VARCHAR);
  private static final SqlUserDefinedFunction TEXT_BOOL =
      PgFunction.operator(PgCasts.class, "pg_text_bool", "textBool", 1, SqlTypeName.BOOLEAN);
  /** Float division that fails on a zero divisor; the projection kernels know it by its name. */
  private static final SqlUserDefinedFunction FLOAT_DIVIDE =
      PgFunction.operator(PgCasts.class, io.lumadb.storage.calcite.ResultScan.FLOAT_DIVIDE, "floatDivide", 2, SqlTypeName.DOUBLE);
  private static final SqlUserDefinedFunction FLOAT8_TEXT =
      PgFunction.operator(PgCasts.class, "pg_float8_text", "float8Text", 1, SqlTypeName.VARCHAR);
  private static final SqlUserDefinedFunction FLOAT4_TEXT =
      PgFunction.operator(PgCasts.class, "pg_float4_text", "float4Text", 1, SqlTypeName.VARCHAR);

  private final SqlRexConvertletTable delegate;

  public PgCasts(SqlRexConvertletTable delegate) {
    this.delegate = delegate;
  }

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    SqlRexConvertlet standard = delegate.get(call);
    boolean cast = call.getKind() == SqlKind.CAST;
    boolean round = call.getOperator() == SqlStdOperatorTable.ROUND && call.operandCount() == 1;
    if (standard != null && (call.getKind() == SqlKind.EXTRACT
        || call.getOperator().getName().equalsIgnoreCase("DATE_PART"))) {
      return (cx, c) -> {
        RexNode e = standard.convertCall(cx, c);
        if (e instanceof RexCall x && x.getOperands().get(0) instanceof RexLiteral unit
            && (x.getKind() == SqlKind.EXTRACT && unit.getValue() == TimeUnitRange.DOW
                || x.getOperator().getName().equalsIgnoreCase("DATE_PART")
                    && "dow".equalsIgnoreCase(unit.getValueAs(String.class)))) {
          RexBuilder rex = cx.getRexBuilder();
          return rex.makeCall(e.getType(), SqlStdOperatorTable.MINUS,
              List.of(e, rex.makeExactLiteral(BigDecimal.ONE, e.getType())));
        }
        return e;
      };
    }
    String fname = call.getOperator().getName();
    if (standard != null && (fname.equalsIgnoreCase("CONCAT") || fname.equalsIgnoreCase("CONCAT_WS"))) {
      // concat writes a boolean argument as its output form, t or f (a cast to text gives true)
      return (cx, c) -> {
        RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(c);
        if (type == null) {
          return standard.convertCall(cx, c);
        }
        List<RexNode> operands = new java.util.ArrayList<>();
        for (SqlNode operand : c.getOperandList()) {
          RelDataType t = operand instanceof SqlCall inner && inner.getKind() == SqlKind.CAST
              ? cx.getValidator().getValidatedNodeTypeIfKnown(inner.operand(0)) : null;
          operands.add(t != null && t.getSqlTypeName() == SqlTypeName.BOOLEAN
              ? cx.getRexBuilder().makeCall(cx.getValidator().getValidatedNodeType(operand), BOOL_OUT,
                  List.of(cx.convertExpression(((SqlCall) operand).operand(0))))
              : cx.convertExpression(operand));
        }
        return cx.getRexBuilder().makeCall(type, c.getOperator(), operands);
      };
    }
    if (standard != null && call.getKind() == SqlKind.DIVIDE) {
      return (cx, c) -> {
        RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(c);
        if (type == null || type.getSqlTypeName() != SqlTypeName.DOUBLE) {
          return standard.convertCall(cx, c); // REAL division stays Java's (Infinity): not mended
        }
        return cx.getRexBuilder().makeCall(type, FLOAT_DIVIDE,
            List.of(cx.convertExpression(c.operand(0)), cx.convertExpression(c.operand(1))));
      };
    }
    if (standard == null || !cast && !round) {
      return standard;
    }
    return (cx, c) -> {
      // Calls Calcite makes while converting were never validated.
      RelDataType operand = cx.getValidator().getValidatedNodeTypeIfKnown(c.operand(0));
      RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(c);
      if (operand == null || type == null) {
        return standard.convertCall(cx, c);
      }
      SqlTypeName from = operand.getSqlTypeName();
      if (cast && from == SqlTypeName.BOOLEAN && type.getSqlTypeName() == SqlTypeName.VARCHAR) {
        return cx.getRexBuilder().makeCall(type, BOOL_TEXT, List.of(cx.convertExpression(c.operand(0))));
      }
      if (cast && SqlTypeName.APPROX_TYPES.contains(from) && type.getSqlTypeName() == SqlTypeName.VARCHAR
          && type.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED) {
        return cx.getRexBuilder().makeCall(type, from == SqlTypeName.REAL ? FLOAT4_TEXT : FLOAT8_TEXT,
            List.of(cx.convertExpression(c.operand(0))));
      }
      if (cast && SqlTypeUtil.isCharacter(operand) && type.getSqlTypeName() == SqlTypeName.BOOLEAN) {
        return cx.getRexBuilder().makeCall(type, TEXT_BOOL, List.of(cx.convertExpression(c.operand(0))));
      }
      boolean approximate = SqlTypeName.APPROX_TYPES.contains(from);
      if (round) {
        return approximate ? cx.getRexBuilder().makeCall(type, RINT, List.of(cx.convertExpression(c.operand(0))))
            : standard.convertCall(cx, c);
      }
      SqlTypeName to = type.getSqlTypeName();
      boolean whole = to == SqlTypeName.SMALLINT || to == SqlTypeName.INTEGER || to == SqlTypeName.BIGINT;
      boolean fractional = approximate || from == SqlTypeName.DECIMAL && operand.getScale() > 0;
      if (!whole || !fractional) {
        return standard.convertCall(cx, c);
      }
      SqlUserDefinedFunction fn = to == SqlTypeName.SMALLINT ? TO_INT2 : to == SqlTypeName.INTEGER ? TO_INT4 : TO_INT8;
      return cx.getRexBuilder().makeCall(type, fn, List.of(cx.convertExpression(c.operand(0))));
    };
  }

  public static Short toInt2(Object value) {
    Long v = whole(value, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
    return v == null ? null : v.shortValue();
  }

  public static Integer toInt4(Object value) {
    Long v = whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
    return v == null ? null : v.intValue();
  }

  public static Long toInt8(Object value) {
    return whole(value, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
  }

  /** {@code value} (a float or a numeric) made whole as PostgreSQL casts it, in [min, max]. */
  private static Long whole(Object value, long min, long max, String type) {
    if (value == null) {
      return null;
    }
    BigDecimal whole;
    if (value instanceof BigDecimal d) {
      whole = d.setScale(0, RoundingMode.HALF_UP); // half away from zero
    } else {
      double d = Math.rint(((Number) value).doubleValue());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw outOfRange(type);
      }
      whole = new BigDecimal(d);
    }
    if (whole.compareTo(BigDecimal.valueOf(min)) < 0 || whole.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw outOfRange(type);
    }
    return whole.longValue();
  }

  /** {@code x / y} of floats: 22012 "division by zero" when y is 0, as in PostgreSQL (Java gives Infinity or NaN). */
  public static Double floatDivide(Object x, Object y) {
    if (x == null || y == null) {
      return null;
    }
    double divisor = ((Number) y).doubleValue();
    if (divisor == 0) {
      throw new ArithmeticException("/ by zero");
    }
    return ((Number) x).doubleValue() / divisor;
  }

  /** A float8 as PostgreSQL prints it ({@code 2}, {@code 1e+20}), where Calcite's cast gives {@code 2.0}, {@code 1.0E20}. */
  public static String float8Text(Object value) {
    return value == null ? null : io.lumadb.sql.PgFloats.float8(((Number) value).doubleValue());
  }

  public static String float4Text(Object value) {
    return value == null ? null : io.lumadb.sql.PgFloats.float4(((Number) value).floatValue());
  }

  /** A boolean as text: {@code true} or {@code false}. */
  public static String boolText(Object value) {
    return value == null ? null : ((Boolean) value ? "true" : "false");
  }

  /** A boolean's output form: {@code t} or {@code f} (what concat writes of one). */
  public static String boolOut(Object value) {
    return value == null ? null : ((Boolean) value ? "t" : "f");
  }

  /** Text read as a boolean as PostgreSQL's boolin reads it. */
  public static Boolean textBool(Object value) {
    if (value == null) {
      return null;
    }
    String s = value.toString().strip().toLowerCase(java.util.Locale.ROOT);
    if (!s.isEmpty()) {
      if (s.equals("1") || "true".startsWith(s) || "yes".startsWith(s) || s.equals("on")) {
        return true;
      }
      if (s.equals("0") || "false".startsWith(s) || "no".startsWith(s) || s.length() >= 2 && "off".startsWith(s)) {
        return false;
      }
    }
    throw new LumaException("22P02", "invalid input syntax for type boolean: \"" + value + "\"");
  }

  private static ArithmeticException outOfRange(String type) {
    return new ArithmeticException(type + " out of range");
  }

  /** {@code round(float)}: half to even, as PostgreSQL's (the C library's rint). */
  public static Double rint(Object value) {
    return value == null ? null : Math.rint(((Number) value).doubleValue());
  }


}
