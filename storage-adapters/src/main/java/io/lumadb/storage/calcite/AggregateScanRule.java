package io.lumadb.storage.calcite;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Plans {@link AggregateScan}: an {@code Aggregate} over a LumaDB table's scan (with its pushed
 * filters and projection, and optionally a {@code Project} of columns and {@code date_trunc}
 * keys between them) becomes one operator that groups inside the scan. It applies only when
 * everything is covered: a simple GROUP BY, keys that are columns or FLOOR of a TIMESTAMP
 * column to SECOND, MINUTE, HOUR or DAY, aggregates among COUNT/SUM/$SUM0/MIN/MAX without
 * DISTINCT or FILTER on numeric or timestamp columns (not REAL). Any filter pushed into the
 * scan is fine: the kernels evaluate what they can, {@link ResidualFilter} the rest (parameters
 * included). Anything else keeps Calcite's plan.
 */
public final class AggregateScanRule extends RelOptRule {
  /**
   * One rule per shape the plan can have below the Aggregate: with or without a Project, the
   * scan directly or under the EnumerableInterpreter that runs it. Each names the scan in its
   * operands, so the Volcano planner fires it whenever such a scan joins the input's set, which
   * may happen after the Aggregate was registered (when a filter is pushed into the scan).
   */
  public static final List<AggregateScanRule> ALL = List.of(
      new AggregateScanRule(true, false), new AggregateScanRule(true, true),
      new AggregateScanRule(false, false), new AggregateScanRule(false, true));

  private final boolean withProject;
  private final boolean interpreted;

  private AggregateScanRule(boolean withProject, boolean interpreted) {
    super(operands(withProject, interpreted), "LumaAggregateScanRule"
        + (withProject ? ":project" : "") + (interpreted ? ":interpreter" : ""));
    this.withProject = withProject;
    this.interpreted = interpreted;
  }

  private static org.apache.calcite.plan.RelOptRuleOperand operands(boolean withProject, boolean interpreted) {
    org.apache.calcite.plan.RelOptRuleOperand scan = operand(Bindables.BindableTableScan.class, none());
    if (interpreted) {
      scan = operand(org.apache.calcite.adapter.enumerable.EnumerableInterpreter.class, scan);
    }
    if (withProject) {
      scan = operand(Project.class, scan);
    }
    return operand(Aggregate.class, scan);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Aggregate agg = call.rel(0);
    Project project = withProject ? call.rel(1) : null;
    Bindables.BindableTableScan scan = call.rel((withProject ? 2 : 1) + (interpreted ? 1 : 0));
    tryScan(call, agg, project, scan);
  }

  private static void tryScan(RelOptRuleCall call, Aggregate agg, Project project,
      Bindables.BindableTableScan scan) {
    LumaCalciteTable table = scan.getTable().unwrap(LumaCalciteTable.class);
    if (table == null || agg.getGroupType() != Aggregate.Group.SIMPLE) {
      return;
    }
    TableSchema schema = table.table().schema();
    int[] scanColumns = scan.projects == null ? null : scan.projects.toIntArray();
    // What each input field of the aggregate is: a table column, maybe floored.
    int fields = agg.getInput().getRowType().getFieldCount();
    AggregateScan.Key[] inputs = new AggregateScan.Key[fields];
    VectorExpr[] exprs = new VectorExpr[fields]; // or a DOUBLE expression of columns, for aggregates
    int[] arrays = new int[fields]; // or ARRAY[column] (first/last), else -1
    for (int f = 0; f < fields; f++) {
      RexNode e = project == null ? new RexInputRef(f, agg.getInput().getRowType().getFieldList().get(f).getType())
          : project.getProjects().get(f);
      inputs[f] = field(e, scanColumns, schema);
      VectorExpr x = inputs[f] == null ? VectorExpr.of(e, scanColumns, schema, agg.getCluster().getRexBuilder()) : null;
      exprs[f] = x != null && x.type == SqlTypeName.DOUBLE ? x : null;
      arrays[f] = e instanceof RexCall c && c.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR
          && c.getOperands().size() == 1 && c.getOperands().get(0) instanceof RexInputRef r
          ? column(r.getIndex(), scanColumns) : -1;
    }
    List<AggregateScan.Key> keys = new ArrayList<>();
    for (int f : agg.getGroupSet()) {
      if (inputs[f] == null) {
        return;
      }
      keys.add(inputs[f]);
    }
    List<AggregateScan.Agg> aggs = new ArrayList<>();
    for (AggregateCall c : agg.getAggCallList()) {
      AggregateScan.Agg a = c.getAggregation().getKind() == SqlKind.ARG_MIN
          || c.getAggregation().getKind() == SqlKind.ARG_MAX ? pick(c, inputs, arrays, schema)
          : aggregate(c, inputs, exprs, schema);
      if (a == null) {
        return;
      }
      aggs.add(a);
    }
    AggregateScan plan = new AggregateScan(table.table(), scan.filters, keys, aggs);
    call.transformTo(new ScanOperator.Rel(agg.getCluster(), agg.getTraitSet().replace(EnumerableConvention.INSTANCE),
        agg.getRowType(), plan, scan.getTable().getQualifiedName(), agg.estimateRowCount(agg.getCluster().getMetadataQuery())));
  }

  /** A plain column (floor 0) or FLOOR(timestamp column TO unit); null for anything else. */
  static AggregateScan.Key field(RexNode e, int[] scanColumns, TableSchema schema) {
    if (e instanceof RexInputRef ref) {
      int col = column(ref.getIndex(), scanColumns);
      return switch (schema.column(col).type()) {
        // numeric, bytea and json keys stay with Calcite (plain numeric's text form, json equality)
        case BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, VARCHAR, TIMESTAMP, DATE, TIMESTAMPTZ ->
            new AggregateScan.Key(col, 0);
        default -> null;
      };
    }
    if (e instanceof RexCall call && call.getKind() == SqlKind.FLOOR && call.getOperands().size() == 2
        && call.getOperands().get(0) instanceof RexInputRef ref
        && call.getOperands().get(1) instanceof RexLiteral unit) {
      int col = column(ref.getIndex(), scanColumns);
      if (schema.column(col).type() != ColumnType.TIMESTAMP) {
        return null;
      }
      Object u = unit.getValue();
      long millis = u == TimeUnitRange.SECOND ? 1_000L : u == TimeUnitRange.MINUTE ? 60_000L
          : u == TimeUnitRange.HOUR ? 3_600_000L : u == TimeUnitRange.DAY ? 86_400_000L : 0;
      return millis == 0 ? null : new AggregateScan.Key(col, millis);
    }
    // TimescaleDB's time_bucket(interval, ts [, origin]) with a day-time width: buckets of the
    // width from the origin (default Monday 2000-01-03), as TimeFunctions.time_bucket computes.
    if (e instanceof RexCall call && call.getOperator().getName().equalsIgnoreCase("time_bucket")
        && (call.getOperands().size() == 2 || call.getOperands().size() == 3)
        && call.getOperands().get(0) instanceof RexLiteral width
        && SqlTypeName.DAY_INTERVAL_TYPES.contains(width.getType().getSqlTypeName())
        && call.getOperands().get(1) instanceof RexInputRef ref) {
      int col = column(ref.getIndex(), scanColumns);
      Long w = width.getValueAs(Long.class);
      Long origin = call.getOperands().size() == 2 ? Long.valueOf(TIME_BUCKET_ORIGIN)
          : call.getOperands().get(2) instanceof RexLiteral o
              && o.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP ? o.getValueAs(Long.class) : null;
      if (schema.column(col).type() != ColumnType.TIMESTAMP || w == null || w <= 0 || origin == null) {
        return null;
      }
      return new AggregateScan.Key(col, w, origin % w);
    }
    return null;
  }

  /** TimescaleDB's default origin of time_bucket, Monday 2000-01-03 00:00 (epoch ms). */
  public static final long TIME_BUCKET_ORIGIN = 946_857_600_000L;

  private static int column(int scanField, int[] scanColumns) {
    return scanColumns == null ? scanField : scanColumns[scanField];
  }

  /**
   * TimescaleDB's first(v, t)/last(v, t), which arrive as ARG_MIN/ARG_MAX(ARRAY[v], t): a column
   * v of any type, by a whole-number or timestamp column t.
   */
  private static AggregateScan.Agg pick(AggregateCall c, AggregateScan.Key[] inputs, int[] arrays, TableSchema schema) {
    if (c.isDistinct() || c.filterArg >= 0 || c.getArgList().size() != 2) {
      return null;
    }
    int value = arrays[c.getArgList().get(0)];
    AggregateScan.Key order = inputs[c.getArgList().get(1)];
    if (value < 0 || order == null || order.floorMillis() != 0
        || schema.column(order.column()).type().storage() != ColumnType.Storage.LONG) {
      return null;
    }
    return AggregateScan.Agg.pick(c.getAggregation().getKind() == SqlKind.ARG_MIN
        ? AggregateScan.Kind.FIRST : AggregateScan.Kind.LAST, value, order.column());
  }

  private static AggregateScan.Agg aggregate(AggregateCall c, AggregateScan.Key[] inputs, VectorExpr[] exprs,
      TableSchema schema) {
    if (c.isDistinct() || c.filterArg >= 0 || c.isApproximate() || !c.collation.getFieldCollations().isEmpty()) {
      return null;
    }
    SqlTypeName out = c.getType().getSqlTypeName();
    SqlKind kind = c.getAggregation().getKind();
    if (kind == SqlKind.COUNT && c.getArgList().isEmpty()) {
      return new AggregateScan.Agg(AggregateScan.Kind.COUNT_STAR, -1, out);
    }
    if (c.getArgList().size() != 1) {
      return null;
    }
    AggregateScan.Key in = inputs[c.getArgList().get(0)];
    VectorExpr expr = exprs[c.getArgList().get(0)];
    if (in == null && expr == null || in != null && in.floorMillis() != 0) {
      return null;
    }
    AggregateScan.Kind k = switch (kind) {
      case COUNT -> AggregateScan.Kind.COUNT;
      case SUM -> AggregateScan.Kind.SUM;
      case SUM0 -> AggregateScan.Kind.SUM0;
      case MIN -> AggregateScan.Kind.MIN;
      case MAX -> AggregateScan.Kind.MAX;
      default -> null;
    };
    if (k == null) {
      return null;
    }
    if (expr != null) { // computed as a double: SUM/MIN/MAX are DOUBLE, COUNT counts non-NULL values
      return k == AggregateScan.Kind.COUNT || out == SqlTypeName.DOUBLE ? AggregateScan.Agg.of(k, expr, out) : null;
    }
    Column col = schema.column(in.column());
    if (k != AggregateScan.Kind.COUNT) {
      boolean ok = switch (col.type()) {
        case DOUBLE, BIGINT -> true;
        case INTEGER, SMALLINT -> k == AggregateScan.Kind.MIN || k == AggregateScan.Kind.MAX
            || out == SqlTypeName.BIGINT || out == SqlTypeName.DOUBLE;
        case TIMESTAMP, TIMESTAMPTZ, DATE -> k == AggregateScan.Kind.MIN || k == AggregateScan.Kind.MAX;
        default -> false;
      };
      if (!ok) {
        return null;
      }
    }
    return new AggregateScan.Agg(k, in.column(), out);
  }
}
