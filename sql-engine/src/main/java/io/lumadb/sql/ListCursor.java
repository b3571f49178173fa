package io.lumadb.sql;

import java.util.List;

/** A cursor over rows already in memory (SHOW, small catalog answers). */
final class ListCursor implements RowCursor {
  private final List<Object[]> rows;
  private int index = -1;

  ListCursor(List<Object[]> rows) {
    this.rows = rows;
  }

  @Override
  public boolean next() {
    return ++index < rows.size();
  }

  @Override
  public Object get(int column) {
    return rows.get(index)[column];
  }

  @Override
  public void close() {}
}
