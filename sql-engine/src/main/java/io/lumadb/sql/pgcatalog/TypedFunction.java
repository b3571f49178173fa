package io.lumadb.sql.pgcatalog;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;

/**
 * A strict function with declared SQL parameter types, implemented by a static method over
 * Calcite's internal values ({@code long} epoch milliseconds for TIMESTAMP, {@code long}
 * milliseconds for a day-time interval, {@code int} months for a year-month interval). Unlike
 * {@link PgFunction} nothing is boxed per row: a query that groups millions of rows by
 * {@code time_bucket(..)} calls the method on primitives. NULL in any argument gives NULL.
 */
final class TypedFunction implements ScalarFunction, ImplementableFunction {
  private final Method method;
  private final List<Function<RelDataTypeFactory, RelDataType>> parameters;
  private final Function<RelDataTypeFactory, RelDataType> result;

  TypedFunction(Class<?> owner, String javaName, Function<RelDataTypeFactory, RelDataType> result,
      List<Function<RelDataTypeFactory, RelDataType>> parameters) {
    Method found = null;
    for (Method m : owner.getMethods()) {
      if (m.getName().equals(javaName) && m.getParameterCount() == parameters.size()) {
        found = m;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("no " + owner.getSimpleName() + "." + javaName);
    }
    this.method = found;
    this.parameters = List.copyOf(parameters);
    this.result = result;
  }

  @Override
  public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
    return typeFactory.createTypeWithNullability(result.apply(typeFactory), true);
  }

  @Override
  public List<FunctionParameter> getParameters() {
    return PgFunction.parameters(parameters.size(), (f, i) -> parameters.get(i).apply(f));
  }

  @Override
  public CallImplementor getImplementor() {
    Class<?>[] types = method.getParameterTypes();
    return RexImpTable.createImplementor((translator, call, operands) -> {
      List<Expression> args = new ArrayList<>();
      for (int i = 0; i < operands.size(); i++) {
        args.add(EnumUtils.convert(operands.get(i), types[i]));
      }
      return Expressions.call(method, args);
    }, NullPolicy.STRICT, false);
  }
}
