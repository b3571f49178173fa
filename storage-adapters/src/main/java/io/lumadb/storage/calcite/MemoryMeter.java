package io.lumadb.storage.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableAggregate;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableIntersect;
import org.apache.calcite.adapter.enumerable.EnumerableMinus;
import org.apache.calcite.adapter.enumerable.EnumerableNestedLoopJoin;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableUnion;
import org.apache.calcite.adapter.enumerable.EnumerableWindow;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.roaringbitmap.RoaringBitmap;

/**
 * Counts against the statement's memory limit ({@link QueryMemory}) the rows that Calcite's own
 * operators keep whole: the build (right) side of a hash or nested-loop join, a window's input,
 * the inputs of a distinct UNION, EXCEPT and INTERSECT. A meter node under such an input takes an
 * estimate of each row's heap size as it passes, held until the statement ends; past the limit
 * the statement fails with E002 (53400) before the server runs out of heap. Under Calcite's hash
 * aggregate (a GROUP BY the scan does not run) the meter counts groups instead: an estimate of a
 * group's size for each row whose key it has not seen (by the key's hash code). Put into a
 * finished plan by {@link #install}.
 */
public final class MemoryMeter {
  private MemoryMeter() {}

  /** The plan with a meter under each input that one of Calcite's operators keeps whole. */
  public static RelNode install(RelNode rel) {
    List<RelNode> inputs = new ArrayList<>(rel.getInputs());
    boolean changed = false;
    for (int i = 0; i < inputs.size(); i++) {
      RelNode in = install(inputs.get(i));
      if (keepsWhole(rel, i) && in instanceof EnumerableRel e) {
        in = new Rel(e, operatorName(rel));
      } else if (rel instanceof EnumerableAggregate agg && !agg.getGroupSet().isEmpty() && in instanceof EnumerableRel e) {
        in = new Rel(e, agg);
      }
      changed |= in != inputs.get(i);
      inputs.set(i, in);
    }
    return changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
  }

  private static boolean keepsWhole(RelNode rel, int input) {
    // a nested-loop join lists its right side only when it can produce rows with nulls on the left
    // (RIGHT, FULL); otherwise it reads the right side again for each left row, keeping nothing
    return (rel instanceof EnumerableHashJoin
        || rel instanceof EnumerableNestedLoopJoin j && j.getJoinType().generatesNullsOnLeft()) && input == 1
        || rel instanceof EnumerableWindow
        || rel instanceof EnumerableUnion u && !u.all
        || rel instanceof EnumerableMinus || rel instanceof EnumerableIntersect;
  }

  private static String operatorName(RelNode rel) {
    return rel instanceof EnumerableHashJoin ? "hash join"
        : rel instanceof EnumerableNestedLoopJoin ? "nested-loop join"
        : rel instanceof EnumerableWindow ? "window function"
        : rel instanceof EnumerableUnion ? "UNION" : rel instanceof EnumerableMinus ? "EXCEPT" : "INTERSECT";
  }

  /** A rough heap size of one row of {@code type} as Calcite holds it (an Object[] of boxed values). */
  static long rowBytes(RelDataType type) {
    return rowBytes(type.getFieldList());
  }

  private static long rowBytes(List<RelDataTypeField> fields) {
    long bytes = 16 + 8L * fields.size();
    for (RelDataTypeField f : fields) {
      bytes += switch (f.getType().getSqlTypeName()) {
        case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, FLOAT, DATE, TIME, TIMESTAMP,
            TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 24;
        case CHAR, VARCHAR -> 64;
        default -> 48;
      };
    }
    return bytes;
  }

  /**
   * The rows of {@code input}, counting {@code bytes} for each row whose group key (by its hash
   * code) was not met before; with no {@code key}, for every row (called by the generated code).
   */
  public static <T> Enumerable<T> meter(Enumerable<T> input, Function1<T, Object> key,
      long bytes, String operator) {
    return new AbstractEnumerable<>() {
      /** The count of the latest reading, which the operator above holds. */
      private QueryMemory.Lease latest;

      @Override
      public Enumerator<T> enumerator() {
        if (latest != null) {
          latest.close(); // read again (the operator is the inner side of a loop): the last copy is gone
        }
        Enumerator<T> in = input.enumerator();
        QueryMemory.Lease lease = QueryMemory.held(operator);
        latest = lease;
        RoaringBitmap seen = key == null ? null : new RoaringBitmap();
        return new Enumerator<>() {
          @Override
          public T current() {
            return in.current();
          }

          @Override
          public boolean moveNext() {
            if (!in.moveNext()) {
              return false;
            }
            if (seen == null || seen.checkedAdd(java.util.Objects.hashCode(key.apply(in.current())))) {
              try {
                lease.grow(bytes);
              } catch (RuntimeException e) {
                in.close(); // the operator above may never close it (a first row that fails
                throw e; // leaves the scan below, and its snapshot, open)
              }
            }
            return true;
          }

          @Override
          public void reset() {
            in.reset();
          }

          @Override
          public void close() {
            in.close(); // the lease stays: the operator above still holds the rows or groups
          }
        };
      }
    };
  }

  /**
   * The meter in a plan: its input's rows and format, unchanged. It counts every row, or with
   * {@code keys} (under a hash aggregate) each new group.
   */
  static final class Rel extends SingleRel implements EnumerableRel {
    private final String operator;
    private final List<Integer> keys;
    private final long bytes;

    Rel(EnumerableRel input, String operator) {
      this(input, operator, null, rowBytes(input.getRowType()));
    }

    /** The group-counting meter under a hash aggregate. */
    Rel(EnumerableRel input, EnumerableAggregate agg) {
      this(input, "GROUP BY", agg.getGroupSet().asList(), groupBytes(input, agg));
    }

    private Rel(EnumerableRel input, String operator, List<Integer> keys, long bytes) {
      super(input.getCluster(), input.getTraitSet(), input);
      this.operator = operator;
      this.keys = keys;
      this.bytes = bytes;
    }

    /** A group: a hash map entry, its key and an accumulator per aggregate (at least). */
    private static long groupBytes(RelNode input, EnumerableAggregate agg) {
      List<RelDataTypeField> fields = input.getRowType().getFieldList();
      List<RelDataTypeField> key = new ArrayList<>();
      for (int k : agg.getGroupSet()) {
        key.add(fields.get(k));
      }
      return 64 + rowBytes(key) + 48L * Math.max(1, agg.getAggCallList().size());
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return new Rel((EnumerableRel) sole(inputs), operator, keys, bytes);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
      return super.explainTerms(pw).item("for", operator).itemIf("keys", keys, keys != null);
    }

    @Override
    public String getRelTypeName() {
      return "LumaMemoryMeter";
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      BlockBuilder builder = new BlockBuilder();
      Result in = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
      Expression rows = builder.append("rows", in.block);
      Expression key = Expressions.constant(null, Function1.class);
      if (keys != null) {
        ParameterExpression row = Expressions.parameter(in.physType.getJavaRowType(), "row");
        key = builder.append("groupKey", in.physType.generateSelector(row, keys, JavaRowFormat.LIST));
      }
      builder.add(Expressions.call(MemoryMeter.class, "meter", rows, key,
          Expressions.constant(bytes), Expressions.constant(operator)));
      return implementor.result(in.physType, builder.toBlock());
    }
  }
}
