package io.lumadb.storage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The ordered columns of a table. Immutable; evolving a table makes a new instance. */
public record TableSchema(List<Column> columns) {
  public TableSchema {
    columns = List.copyOf(columns);
    Set<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name())) {
        throw new StorageException("column \"" + c.name() + "\" specified more than once");
      }
    }
  }

  public int size() {
    return columns.size();
  }

  public Column column(int i) {
    return columns.get(i);
  }

  /** Position of the named column, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  public TableSchema withColumn(Column column) {
    List<Column> next = new ArrayList<>(columns);
    next.add(column);
    return new TableSchema(next);
  }
}
