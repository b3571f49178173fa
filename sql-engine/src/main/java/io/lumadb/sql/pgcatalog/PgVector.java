package io.lumadb.sql.pgcatalog;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A value of PostgreSQL's int2vector or oidvector (pg_index.indkey, pg_proc.proargtypes, ...):
 * to Calcite an ordinary array, but its subscripts start at 0 and its text form is the items
 * separated by spaces ({@code 1 3}), as in PostgreSQL. {@link PgArrays} tells it apart from other
 * arrays when a query subscripts it or casts it to text; only the catalog makes such values.
 */
final class PgVector extends AbstractList<Object> implements RandomAccess {
  private final List<Object> items;

  PgVector(List<?> items) {
    this.items = List.copyOf(items);
  }

  @Override
  public Object get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }
}
