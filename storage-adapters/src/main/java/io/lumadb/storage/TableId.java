package io.lumadb.storage;

import java.util.Objects;

/** A table's schema (namespace) and name, both as stored (case-folded unless quoted). */
public record TableId(String schema, String name) {
  public TableId {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return schema + "." + name;
  }
}
