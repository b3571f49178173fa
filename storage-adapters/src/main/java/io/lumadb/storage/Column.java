package io.lumadb.storage;

import java.util.Objects;

/** One column of a table: its name (already case-folded) and type. */
public record Column(String name, ColumnType type, boolean nullable) {
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  public static Column of(String name, ColumnType type) {
    return new Column(name, type, true);
  }
}
