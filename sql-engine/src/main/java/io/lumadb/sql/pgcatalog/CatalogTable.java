package io.lumadb.sql.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A table (or view) of pg_catalog or information_schema. Its rows are computed from the
 * session's {@link PgCatalogContext} each time it is scanned, so they describe LumaDB's
 * tables as they are at that moment.
 */
final class CatalogTable extends AbstractTable implements ScannableTable {
  /** One column: its name and PostgreSQL type OID (see {@link PgTypes}). */
  record Col(String name, int type) {}

  private final String schema;
  private final String name;
  private final int oid;
  private final boolean view;
  private final List<Col> columns;
  private final Function<PgCatalogContext, List<Object[]>> rows;
  private PgCatalogContext context;

  CatalogTable(String schema, String name, int oid, boolean view, List<Col> columns,
      Function<PgCatalogContext, List<Object[]>> rows) {
    this.schema = schema;
    this.name = name;
    this.oid = oid;
    this.view = view;
    this.columns = List.copyOf(columns);
    this.rows = rows;
  }

  /** The same definition bound to one session's context. */
  CatalogTable bind(PgCatalogContext ctx) {
    CatalogTable t = new CatalogTable(schema, name, oid, view, columns, rows);
    t.context = ctx;
    return t;
  }

  String schema() {
    return schema;
  }

  String name() {
    return name;
  }

  int oid() {
    return oid;
  }

  boolean isView() {
    return view;
  }

  List<Col> columns() {
    return columns;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (Col c : columns) {
      b.add(c.name(), PgTypes.calciteType(typeFactory, PgTypes.byOid(c.type())));
    }
    return b.build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : rows.apply(context)) {
      if (r.length != columns.size()) {
        throw new IllegalStateException(schema + "." + name + ": row has " + r.length
            + " values for " + columns.size() + " columns");
      }
      Object[] row = new Object[r.length];
      for (int i = 0; i < r.length; i++) {
        row[i] = internal(r[i], PgTypes.byOid(columns.get(i).type()));
      }
      out.add(row);
    }
    return Linq4j.asEnumerable(out);
  }

  /** A value in the Java class Calcite's generated code expects for the column's type. */
  private static Object internal(Object v, PgTypes.TypeDef t) {
    if (v == null) {
      return null;
    }
    if (t.isArray()) {
      List<Object> items = new ArrayList<>();
      for (Object item : (List<?>) v) {
        items.add(internal(item, PgTypes.byOid(t.elem())));
      }
      return t.oid() == PgTypes.INT2VECTOR || t.oid() == PgTypes.OIDVECTOR
          ? new PgVector(items) : items;
    }
    return switch (t.calcite()) {
      case SMALLINT -> ((Number) v).shortValue();
      case INTEGER -> ((Number) v).intValue();
      case BIGINT -> ((Number) v).longValue();
      case REAL -> ((Number) v).floatValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case VARCHAR -> v.toString();
      default -> v;
    };
  }
}
