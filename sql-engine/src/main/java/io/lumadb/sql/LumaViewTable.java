package io.lumadb.sql;

import io.lumadb.storage.TableId;
import io.lumadb.storage.ViewDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A stored view as Calcite sees it: its row type is the one recorded at creation, and each query
 * over it expands the view's query (rewritten by {@link PgDialect} like any query) in place.
 *
 * <p>As in PostgreSQL, a view keeps the columns it was created with: {@code SELECT *} over a
 * table that gained a column since still gives the old columns (they are picked by name).
 */
final class LumaViewTable extends ViewTable {
  /** Views being expanded on this thread: a view that reaches itself is an error, not a loop. */
  private static final ThreadLocal<Set<TableId>> EXPANDING = ThreadLocal.withInitial(HashSet::new);
  /** What a query prepared while recording reads (see {@link #record}). */
  private static final ThreadLocal<Recording> RECORDING = new ThreadLocal<>();

  /**
   * The views a query reads directly, and the table scans that came from expanding them (by
   * identity): a scan not among those reads its table directly.
   */
  record Recording(Set<TableId> views, Set<RelNode> scansInViews) {
    Recording() {
      this(new java.util.LinkedHashSet<>(), java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }
  }

  private final ViewDefinition view;

  LumaViewTable(ViewDefinition view) {
    super(Object[].class, f -> rowType(f, view), view.query(), List.of("public"),
        List.of(view.name().schema(), view.name().name()));
    this.view = view;
  }

  /** The view's row type as recorded in the catalog. */
  static RelDataType rowType(RelDataTypeFactory f, ViewDefinition view) {
    List<RelDataType> types = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (ViewDefinition.ViewColumn c : view.columns()) {
      names.add(c.name());
      types.add(f.createTypeWithNullability(type(f, c), c.nullable()));
    }
    return f.createStructType(types, names);
  }

  private static RelDataType type(RelDataTypeFactory f, ViewDefinition.ViewColumn c) {
    SqlTypeName t = SqlTypeName.valueOf(c.type());
    if (t.allowsScale() && c.precision() > 0) {
      return f.createSqlType(t, c.precision(), c.scale());
    }
    if (t.allowsPrec() && c.precision() > 0) {
      return f.createSqlType(t, c.precision());
    }
    return f.createSqlType(t);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    Set<TableId> expanding = EXPANDING.get();
    if (!expanding.add(view.name())) {
      throw new LumaException("42P17",
          "infinite recursion detected in rules for relation \"" + view.name().name() + "\"");
    }
    Recording recording = expanding.size() == 1 ? RECORDING.get() : null;
    if (recording != null) {
      recording.views().add(view.name());
    }
    try {
      RelDataType rowType = relOptTable.getRowType();
      RelRoot root = context.expandView(rowType, PgDialect.rewrite(view.query()), getSchemaPath(),
          getViewPath());
      RelNode rel = root.project();
      if (recording != null) {
        recording.scansInViews().addAll(scans(rel));
      }
      if (rel.getRowType().getFieldCount() != rowType.getFieldCount()) {
        rel = RelOptUtil.createProject(rel, columnPositions(rel.getRowType()));
      }
      return RelOptUtil.createCastRel(rel, rowType, true);
    } finally {
      expanding.remove(view.name());
    }
  }

  /** The table scans of a plan, those in sub-queries (IN, EXISTS, scalar) included. */
  static List<org.apache.calcite.rel.core.TableScan> scans(RelNode plan) {
    List<org.apache.calcite.rel.core.TableScan> out = new ArrayList<>();
    new org.apache.calcite.rel.RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof org.apache.calcite.rel.core.TableScan scan) {
          out.add(scan);
        }
        RelNode.class.cast(node).accept(new org.apache.calcite.rex.RexShuttle() {
          @Override
          public org.apache.calcite.rex.RexNode visitSubQuery(org.apache.calcite.rex.RexSubQuery subQuery) {
            out.addAll(scans(subQuery.rel));
            return super.visitSubQuery(subQuery);
          }
        });
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    return out;
  }

  /** Runs {@code action} (which prepares a query) and says which views that query reads directly. */
  static Recording record(Runnable action) {
    Recording previous = RECORDING.get();
    Recording r = new Recording();
    RECORDING.set(r);
    try {
      action.run();
    } finally {
      RECORDING.set(previous);
    }
    return r;
  }

  /** Where the view's columns are in its query's current output (a table may have gained some). */
  private List<Integer> columnPositions(RelDataType actual) {
    List<Integer> positions = new ArrayList<>();
    for (ViewDefinition.ViewColumn c : view.columns()) {
      RelDataTypeField f = null;
      for (RelDataTypeField candidate : actual.getFieldList()) {
        if (candidate.getName().equals(c.queryName())) {
          f = candidate;
          break;
        }
      }
      if (f == null) {
        throw new LumaException("42703", "column \"" + c.queryName() + "\" of view \""
            + view.name().name() + "\" no longer exists in its query");
      }
      positions.add(f.getIndex());
    }
    return positions;
  }
}
