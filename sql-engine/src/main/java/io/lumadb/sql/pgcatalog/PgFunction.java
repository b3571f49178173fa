package io.lumadb.sql.pgcatalog;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.DataContext;
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
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * A PostgreSQL function implemented by a static Java method. Its arguments are untyped for
 * Calcite (PostgreSQL callers pass oids, names, literals and NULLs interchangeably) and the
 * method converts them; the result type is declared. A method whose first parameter is a
 * {@link DataContext} gets the query's, which leads to the session's catalog.
 */
final class PgFunction implements ScalarFunction, ImplementableFunction {
  private final Method method;
  private final boolean needsContext;
  private final int arity;
  private final Function<RelDataTypeFactory, RelDataType> returnType;

  private PgFunction(Method method, Function<RelDataTypeFactory, RelDataType> returnType) {
    if (!Modifier.isStatic(method.getModifiers())) {
      throw new IllegalArgumentException(method + " must be static");
    }
    Class<?>[] params = method.getParameterTypes();
    this.method = method;
    this.needsContext = params.length > 0 && params[0] == DataContext.class;
    this.arity = params.length - (needsContext ? 1 : 0);
    this.returnType = returnType;
  }

  /** The function backed by {@code PgFunctions.<name>} with {@code arity} SQL arguments. */
  static PgFunction of(String javaName, int arity, SqlTypeName result) {
    return of(javaName, arity, f -> f.createSqlType(result));
  }

  static PgFunction of(String javaName, int arity, Function<RelDataTypeFactory, RelDataType> result) {
    return of(PgFunctions.class, javaName, arity, result);
  }

  /** The function backed by {@code owner.<name>}. */
  static PgFunction of(Class<?> owner, String javaName, int arity,
      Function<RelDataTypeFactory, RelDataType> result) {
    for (Method m : owner.getMethods()) {
      int n = m.getParameterCount();
      if (m.getName().equals(javaName) && n > 0 && m.getParameterTypes()[0] == DataContext.class) {
        n--;
      }
      if (m.getName().equals(javaName) && n == arity) {
        return new PgFunction(m, f -> f.createTypeWithNullability(result.apply(f), true));
      }
    }
    throw new IllegalArgumentException("no " + owner.getSimpleName() + "." + javaName + " with " + arity + " arguments");
  }

  /**
   * An operator calling {@code owner.<javaName>}, for a call LumaDB puts into a query (while
   * converting it, or into a call the validator is typing): typed by {@code type}, and typing
   * itself when validated rather than being looked up by name, as a function written in the
   * query would be (it is in no operator table).
   */
  static SqlUserDefinedFunction operator(Class<?> owner, String name, String javaName, int arity,
      SqlReturnTypeInference type) {
    PgFunction implementation = of(owner, javaName, arity, f -> f.createSqlType(SqlTypeName.ANY));
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION, type, null, null, implementation) {
      @Override
      public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call) {
        for (SqlNode operand : call.getOperandList()) {
          validator.deriveType(scope, operand);
        }
        return type.inferReturnType(new SqlCallBinding(validator, scope, call));
      }
    };
  }

  /** {@link #operator} typed {@code result}, nullable when an operand is. */
  static SqlUserDefinedFunction operator(Class<?> owner, String name, String javaName, int arity,
      SqlTypeName result) {
    return operator(owner, name, javaName, arity,
        ReturnTypes.explicit(result).andThen(SqlTypeTransforms.TO_NULLABLE));
  }

  @Override
  public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
    return returnType.apply(typeFactory);
  }

  @Override
  public List<FunctionParameter> getParameters() {
    return parameters(arity, (f, i) -> f.createSqlType(SqlTypeName.ANY));
  }

  /** Parameters {@code arg0 .. arg(n-1)}, each of the (nullable) type {@code type} gives for its ordinal. */
  static List<FunctionParameter> parameters(int n,
      java.util.function.BiFunction<RelDataTypeFactory, Integer, RelDataType> type) {
    List<FunctionParameter> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int ordinal = i;
      out.add(new FunctionParameter() {
        @Override
        public int getOrdinal() {
          return ordinal;
        }

        @Override
        public String getName() {
          return "arg" + ordinal;
        }

        @Override
        public RelDataType getType(RelDataTypeFactory f) {
          return f.createTypeWithNullability(type.apply(f, ordinal), true);
        }

        @Override
        public boolean isOptional() {
          return false;
        }
      });
    }
    return out;
  }

  @Override
  public CallImplementor getImplementor() {
    return RexImpTable.createImplementor((translator, call, operands) -> {
      List<Expression> args = new ArrayList<>();
      if (needsContext) {
        args.add(translator.getRoot());
      }
      for (Expression e : operands) {
        // Box first: "(Object) -1" would compile as a subtraction.
        Expression boxed = e.getType() instanceof Class<?> c && c.isPrimitive()
            ? Expressions.box(e) : e;
        args.add(EnumUtils.convert(boxed, Object.class));
      }
      return Expressions.call(method, args);
    }, NullPolicy.NONE, false);
  }
}
