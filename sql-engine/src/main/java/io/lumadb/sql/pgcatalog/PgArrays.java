package io.lumadb.sql.pgcatalog;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

/**
 * Array subscripts and casts of arrays to text with PostgreSQL's meaning, applied as a query is
 * converted to relational algebra. A subscript of an int2vector or oidvector ({@link PgVector})
 * counts from 0, of any other array from 1: clients rely on it (pgjdbc's getIndexInfo reads
 * {@code indoption[ordinal - 1]} for ASC_OR_DESC, psqlODBC {@code indkey[attnum - 1]}), and
 * Calcite's subscript always counts from 1. An array cast to text is PostgreSQL's text form,
 * {@code {1,NULL,"a b"}}, a vector's {@code 1 3} (LumaDB's validator lets it through; Calcite's
 * refuses it). Which kind an array is shows only in its value: to the planner a vector is an
 * ordinary array.
 */
public final class PgArrays implements SqlRexConvertletTable {
  private static final SqlUserDefinedFunction SUBSCRIPT = PgFunction.operator(PgArrays.class, "pg_subscript", "subscript", 2,
      b -> b.getTypeFactory().createTypeWithNullability(b.getOperandType(0).getComponentType(), true));
  private static final SqlUserDefinedFunction TEXT = PgFunction.operator(PgArrays.class, "pg_array_text", "text", 1,
      b -> b.getTypeFactory().createTypeWithNullability(
          b.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), true));

  private final SqlRexConvertletTable delegate;

  public PgArrays(SqlRexConvertletTable delegate) {
    this.delegate = delegate;
  }

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    SqlRexConvertlet standard = delegate.get(call);
    if (call.getKind() != SqlKind.ITEM && call.getKind() != SqlKind.CAST) {
      return standard;
    }
    return (cx, c) -> {
      // Calls Calcite makes while converting (avg's sum and count) were never validated.
      RelDataType operand = cx.getValidator().getValidatedNodeTypeIfKnown(c.operand(0));
      RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(c);
      boolean subscript = c.getKind() == SqlKind.ITEM;
      if (operand == null || type == null || operand.getSqlTypeName() != SqlTypeName.ARRAY
          || !subscript && !SqlTypeUtil.isCharacter(type)) {
        return standard.convertCall(cx, c);
      }
      List<RexNode> operands = subscript
          ? List.of(cx.convertExpression(c.operand(0)), cx.convertExpression(c.operand(1)))
          : List.of(cx.convertExpression(c.operand(0)));
      return cx.getRexBuilder().makeCall(type, subscript ? SUBSCRIPT : TEXT, operands);
    };
  }

  /** {@code array[index]}: NULL outside the array. */
  public static Object subscript(Object array, Object index) {
    if (array == null || index == null) {
      return null;
    }
    List<?> items = (List<?>) array;
    long i = ((Number) index).longValue() - lowerBound(items);
    return i < 0 || i >= items.size() ? null : items.get((int) i);
  }

  /** The subscript of an array's first item: 0 for a vector, else 1. */
  static int lowerBound(List<?> array) {
    return array instanceof PgVector ? 0 : 1;
  }

  /** PostgreSQL's text form of an array. */
  public static String text(Object array) {
    if (array == null) {
      return null;
    }
    List<?> items = (List<?>) array;
    if (items instanceof PgVector) {
      return items.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
    return items.stream().map(PgArrays::item).collect(Collectors.joining(",", "{", "}"));
  }

  private static String item(Object v) {
    if (v == null) {
      return "NULL";
    }
    return v instanceof List<?> ? text(v) : quoted(v instanceof Boolean b ? (b ? "t" : "f") : v.toString());
  }

  /** An item's text as it stands inside an array's text form: quoted where it must be. */
  public static String quoted(String item) {
    boolean quote = item.isEmpty() || item.equalsIgnoreCase("null") || item.chars().anyMatch(ch ->
        ch == ',' || ch == '"' || ch == '\\' || ch == '{' || ch == '}' || Character.isWhitespace(ch));
    return quote ? '"' + item.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : item;
  }


}
