package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableInterpreter;
import org.apache.calcite.adapter.enumerable.EnumerableTableScan;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * LumaDB's scan of a table in a finished plan, in place of the Calcite interpreter running a
 * {@code BindableTableScan}: it evaluates every filter pushed into the scan itself (kernels, then
 * {@link ResidualFilter}) and hands its rows to the operator above without Calcite's interpreter
 * rows. When the whole query is one scan ({@code SELECT * FROM cpu WHERE usage_user > 90}), the
 * scan is the plan's root and also offers its parts' vectors to the front end
 * ({@link ResultVectors}), which encodes the rows from them, leaving Calcite's result set out.
 * Put into a plan by {@link #install}.
 */
public final class ResultScan extends ScanOperator {
  /**
   * The name of the function sql-engine makes of {@code x / y} over DOUBLE PRECISION (division
   * that fails on a zero divisor, as PostgreSQL's), which the projection kernels compute too.
   */
  public static final String FLOAT_DIVIDE = "pg_float_divide";

  private final LumaTable table;
  private final List<RexNode> filters;
  private final int[] columns;
  /** Null, or per output the kernel computing it (a projection merged into the scan), null for a column. */
  private final VectorExpr[] exprs;
  /** Whether this is the root of the plan, whose vectors are offered to the front end. */
  private final boolean offer;

  private ResultScan(LumaTable table, List<RexNode> filters, int[] columns, VectorExpr[] exprs, boolean offer) {
    this.table = table;
    this.filters = List.copyOf(filters);
    this.columns = columns;
    this.exprs = exprs;
    this.offer = offer;
  }

  /**
   * The plan with each scan of a LumaDB table that Calcite's interpreter would run made a
   * {@link ResultScan}; the root one, when the whole query is a scan whose rows are the result as
   * they are (no reordering or renaming of columns left to do), offers its vectors, and so does a
   * scan of the whole table at the root.
   */
  public static RelRoot install(RelRoot root) {
    boolean offer = root.kind.belongsTo(SqlKind.QUERY) && root.isRefTrivial()
        && root.rel.getRowType().getFieldCount() == root.validatedRowType.getFieldCount();
    RelNode rel = replace(root.rel, offer);
    return rel == root.rel ? root : root.withRel(rel);
  }

  private static RelNode replace(RelNode rel, boolean root) {
    RelNode scan = scan(rel, root);
    if (scan != null) {
      return scan;
    }
    List<RelNode> inputs = new ArrayList<>(rel.getInputs());
    boolean changed = false;
    for (int i = 0; i < inputs.size(); i++) {
      RelNode in = replace(inputs.get(i), false);
      changed |= in != inputs.get(i);
      inputs.set(i, in);
    }
    return changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
  }

  /** A scan of a LumaDB table in a finished plan: the table, its pushed filters and the columns it reads. */
  private record Source(TableScan scan, LumaCalciteTable table, List<RexNode> filters, int[] cols) {}

  /**
   * {@code rel} as the scan of a LumaDB table it is (the interpreter running a scan with filters
   * or a projection pushed into it, or with {@code whole} also a scan of the whole table), or null.
   */
  private static Source source(RelNode rel, boolean whole) {
    TableScan scan;
    if (rel instanceof EnumerableInterpreter interpreter && interpreter.getInput() instanceof Bindables.BindableTableScan b) {
      scan = b;
    } else if (whole && rel instanceof EnumerableTableScan e) {
      scan = e;
    } else {
      return null;
    }
    LumaCalciteTable table = scan.getTable().unwrap(LumaCalciteTable.class);
    if (table == null) {
      return null;
    }
    List<RexNode> filters = List.of();
    int[] cols = io.lumadb.storage.ScanSpec.all(table.table().schema()).columns();
    if (scan instanceof Bindables.BindableTableScan b) {
      filters = b.filters;
      if (b.projects != null) {
        cols = b.projects.toIntArray();
      }
    }
    if (filters.stream().anyMatch(f -> RexUtil.containsCorrelation(f))) {
      return null; // values of the outer row: left to Calcite's interpreter
    }
    return new Source(scan, table, filters, cols);
  }

  /** {@code rel} as a {@link ResultScan} when it is a scan of a LumaDB table it may stand for, else null. */
  private static RelNode scan(RelNode rel, boolean root) {
    if (rel instanceof EnumerableCalc calc) {
      return calc(calc, root);
    }
    Source s = source(rel, root);
    return s == null ? null : rel(rel, s, s.filters(), s.cols(), null, root);
  }

  private static RelNode rel(RelNode rel, Source s, List<RexNode> filters, int[] cols, VectorExpr[] exprs, boolean root) {
    double rows = Math.max(1, rel.getCluster().getMetadataQuery().getRowCount(rel));
    return new Rel(rel.getCluster(), rel.getTraitSet(), rel.getRowType(),
        new ResultScan(s.table().table(), filters, cols, exprs, root), s.scan().getTable().getQualifiedName(), rows);
  }

  /**
   * A Calc over a scan of a LumaDB table as one {@link ResultScan} computing the Calc's outputs
   * with kernels ({@link VectorExpr}) and taking its condition as one more filter; null when an
   * output is not one the kernels compute (then only the scan below is replaced).
   */
  private static RelNode calc(EnumerableCalc calc, boolean root) {
    Source s = source(calc.getInput(), true);
    if (s == null) {
      return null;
    }
    RexProgram program = calc.getProgram();
    io.lumadb.storage.TableSchema schema = s.table().table().schema();
    RexBuilder rexBuilder = calc.getCluster().getRexBuilder();
    // the Calc's expressions are over the scan's fields; the kernels and filters take table columns
    RexShuttle toTable = new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        int col = s.cols()[ref.getIndex()];
        return rexBuilder.makeInputRef(s.scan().getTable().getRowType().getFieldList().get(col).getType(), col);
      }
    };
    List<RexNode> outputs = program.expandList(program.getProjectList());
    int[] cols = new int[outputs.size()];
    VectorExpr[] exprs = new VectorExpr[outputs.size()];
    boolean anyComputed = false;
    for (int i = 0; i < outputs.size(); i++) {
      RexNode e = outputs.get(i).accept(toTable);
      if (e instanceof RexInputRef ref) {
        cols[i] = ref.getIndex();
        continue;
      }
      VectorExpr x = VectorExpr.of(e, schema, rexBuilder);
      if (x == null || VectorExpr.columnType(x.type) == null) {
        return null;
      }
      exprs[i] = x;
      anyComputed = true;
    }
    List<RexNode> filters = new ArrayList<>(s.filters());
    if (program.getCondition() != null) {
      RexNode condition = program.expandLocalRef(program.getCondition());
      if (RexUtil.containsCorrelation(condition)) {
        return null;
      }
      filters.add(condition.accept(toTable));
    }
    return rel(calc, s, filters, cols, anyComputed ? exprs : null, root);
  }

  @Override
  String relName() {
    return offer ? "LumaResultScan" : "LumaScan";
  }

  @Override
  List<RexNode> filters() {
    return filters;
  }

  @Override
  RelWriter explainTerms(RelWriter pw) {
    if (exprs == null) {
      return pw.item("columns", Arrays.toString(columns));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      out.add(exprs[i] != null ? exprs[i].toString() : "$" + columns[i]);
    }
    return pw.item("outputs", out.toString());
  }

  /** The scan's plan for one execution (parameters bound). */
  private ScanPlan plan(DataContext root) {
    BitSet used = new BitSet();
    for (int i = 0; i < columns.length; i++) {
      if (exprs != null && exprs[i] != null) {
        exprs[i].columns(used);
      } else {
        used.set(columns[i]);
      }
    }
    return ScanPlan.evaluatingAll(table, filters, used, root);
  }

  /** The rows as Calcite reads them; at the root the same walk is offered to the front end as vectors. */
  private ScanRows start(ScanPlan plan) {
    QueryCancellation.check(); // inner sides of nested loops start many short scans
    ScanRows rows = new ScanRows(table, plan, columns, exprs);
    if (offer) {
      QueryCancellation.offerResult(rows);
    }
    return rows;
  }

  @Override
  List<Object[]> compute(DataContext root) {
    return execute(root).toList(); // unused: the rows stream through execute and executeScalar
  }

  @Override
  public Enumerable<Object[]> execute(DataContext root) {
    ScanPlan plan = plan(root);
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return start(plan);
      }
    };
  }

  @Override
  public Enumerable<Object> executeScalar(DataContext root) {
    return execute(root).select(row -> row[0]); // streams, where the default keeps every row
  }
}
