package io.lumadb.sql.pgcatalog;

import io.lumadb.sql.LumaException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.TableFunction;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's {@code generate_series(start timestamp, stop timestamp, step interval)}: the
 * timestamps from start to stop (inclusive) by step, for gap filling (LEFT JOIN the buckets of
 * a range onto an aggregate). Rows are produced as they are read, so a long series costs no
 * memory. Each value is the one before plus the step, as in PostgreSQL: a day-time step in
 * milliseconds, a year-month step in calendar months (Jan 31, Feb 29, Mar 29, ... by one month
 * in 2024). NULL in any argument gives no rows; a zero step is SQLSTATE 22023.
 */
public final class TimestampSeries implements TableFunction, ImplementableFunction {
  private final Function<RelDataTypeFactory, RelDataType> step;
  private final Method method;

  /** With {@code months} the step is a year-month interval, else a day-time one. */
  TimestampSeries(Function<RelDataTypeFactory, RelDataType> step, boolean months) {
    this.step = step;
    try {
      this.method = TimestampSeries.class.getMethod(months ? "monthly" : "daily", Long.class, Long.class,
          months ? Integer.class : Long.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<FunctionParameter> getParameters() {
    return PgFunction.parameters(3, (f, i) -> i < 2 ? f.createSqlType(SqlTypeName.TIMESTAMP, 3) : step.apply(f));
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f, List<? extends Object> arguments) {
    return f.builder().add("generate_series", f.createSqlType(SqlTypeName.TIMESTAMP, 3)).build();
  }

  @Override
  public Type getElementType(List<? extends Object> arguments) {
    return Object[].class;
  }

  @Override
  public CallImplementor getImplementor() {
    Class<?>[] types = method.getParameterTypes();
    return RexImpTable.createImplementor((translator, call, operands) -> {
      Expression[] args = new Expression[operands.size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = EnumUtils.convert(operands.get(i), types[i]);
      }
      return Expressions.call(method, args);
    }, NullPolicy.NONE, false);
  }

  /** Milliseconds: start, start + step, ... while not past stop. */
  public static Enumerable<Object[]> daily(Long start, Long stop, Long stepMillis) {
    if (start == null || stop == null || stepMillis == null) {
      return Linq4j.emptyEnumerable();
    }
    checkStep(stepMillis);
    return series(start, stop, stepMillis > 0, t -> t + stepMillis);
  }

  /** Calendar months: start, start + n months, ... while not past stop. */
  public static Enumerable<Object[]> monthly(Long start, Long stop, Integer months) {
    if (start == null || stop == null || months == null) {
      return Linq4j.emptyEnumerable();
    }
    checkStep(months);
    return series(start, stop, months > 0, t -> LocalDateTime.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.UTC)
        .plusMonths(months).toInstant(ZoneOffset.UTC).toEpochMilli());
  }

  private static void checkStep(long step) {
    if (step == 0) {
      throw new LumaException("22023", "step size cannot equal zero");
    }
  }

  /** start, next(start), next(next(start)), ... while not past {@code stop}. */
  private static Enumerable<Object[]> series(long start, long stop, boolean up,
      java.util.function.LongUnaryOperator next) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return new Enumerator<>() {
          private long value;
          private boolean started;
          private boolean done;

          @Override
          public Object[] current() {
            if (!started || done) {
              throw new NoSuchElementException();
            }
            return new Object[] {value};
          }

          @Override
          public boolean moveNext() {
            if (done) {
              return false;
            }
            long v = started ? next.applyAsLong(value) : start;
            started = true;
            if (up ? v > stop : v < stop) {
              done = true;
              return false;
            }
            value = v;
            return true;
          }

          @Override
          public void reset() {
            throw new UnsupportedOperationException();
          }

          @Override
          public void close() {}
        };
      }
    };
  }
}
