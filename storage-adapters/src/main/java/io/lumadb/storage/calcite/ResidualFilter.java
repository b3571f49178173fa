package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import java.lang.reflect.Constructor;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.interpreter.Context;
import org.apache.calcite.interpreter.JaninoRexCompiler;
import org.apache.calcite.interpreter.Scalar;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * The conditions of a scan's filter that {@link RowFilter}'s kernels cannot evaluate (arithmetic,
 * functions, parameters whose values it does not take, REAL columns), evaluated on the rows the
 * kernels selected: compiled by Calcite's own per-row expression compiler (the one its interpreter
 * uses for filters a table leaves to it, so the answers are Calcite's) once per text, and bound to
 * each execution's parameters; each row built with only the columns the conditions read.
 */
final class ResidualFilter {
  private static final Constructor<Context> CONTEXT;

  static {
    try {
      // Calcite makes its interpreter's Context package-private; the compiled code reads the
      // row from it.
      CONTEXT = Context.class.getDeclaredConstructor(DataContext.class);
      CONTEXT.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Compiled conditions by text: compiling one with Janino takes milliseconds, and a prepared
   * statement (or a parallel scan's threads) asks for the same one on every execution. The code
   * reads parameter values from the DataContext it is applied to, so one compilation serves them all.
   */
  private static final int CACHED = 256;
  private static final java.util.Map<String, Scalar.Producer> PRODUCERS =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Scalar.Producer> eldest) {
          return size() > CACHED;
        }
      };

  /** What the compiled code depends on: the condition, its parameters' types, the row type. */
  private static String key(RexNode condition, RelDataType rowType) {
    StringBuilder b = new StringBuilder(condition.toString()).append(" | ");
    condition.accept(new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
      @Override
      public Void visitDynamicParam(org.apache.calcite.rex.RexDynamicParam p) {
        b.append('?').append(p.getIndex()).append(':').append(p.getType().getFullTypeString()).append(' ');
        return null;
      }
    });
    return b.append("| ").append(rowType.getFullTypeString()).toString();
  }

  private final Scalar condition;
  private final Context context;
  private final int[] columns;
  private final Object[] row;

  private ResidualFilter(Scalar condition, Context context, int[] columns, int width) {
    this.condition = condition;
    this.context = context;
    this.columns = columns;
    this.row = new Object[width];
  }

  /** The conjunction of {@code filters} over rows of {@code rowType}; null when there are none. */
  static ResidualFilter compile(List<RexNode> filters, RelDataType rowType, DataContext root) {
    if (filters.isEmpty()) {
      return null;
    }
    RexBuilder rexBuilder = new RexBuilder(root.getTypeFactory());
    RexNode all = RexUtil.composeConjunction(rexBuilder, filters);
    String key = key(all, rowType);
    Scalar.Producer producer;
    synchronized (PRODUCERS) {
      producer = PRODUCERS.get(key);
    }
    if (producer == null) {
      producer = new JaninoRexCompiler(rexBuilder).compile(List.of(all), rowType);
      synchronized (PRODUCERS) {
        PRODUCERS.put(key, producer);
      }
    }
    Scalar scalar = producer.apply(root);
    try {
      return new ResidualFilter(scalar, CONTEXT.newInstance(root), RelOptUtil.InputFinder.bits(all).toArray(),
          rowType.getFieldCount());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make Calcite's interpreter context", e);
    }
  }

  /** Table columns the conditions read. */
  static ImmutableBitSet columns(List<RexNode> filters) {
    return RelOptUtil.InputFinder.bits(filters, null);
  }

  /** Keeps, in place and in order, those of the rows {@code sel[0..m)} for which every condition is TRUE. */
  int select(List<ColumnReader> cols, int[] sel, int m) {
    context.values = row;
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      for (int c : columns) {
        row[c] = cols.get(c).get(r);
      }
      if (Boolean.TRUE.equals(condition.execute(context))) {
        sel[k++] = r;
      }
    }
    return k;
  }
}
