package io.lumadb.storage;

import java.util.List;

/**
 * A view as the catalog keeps it: the query text as the user wrote it (the SQL layer rewrites and
 * expands it on every use) and the columns it had when it was created. The storage layer does not
 * read the query; {@code id} comes from the same never-reused sequence as table ids.
 */
public record ViewDefinition(long id, TableId name, String query, List<ViewColumn> columns,
    List<TableId> dependsOn) {
  /**
   * @param dependsOn the tables and views the query read when it was validated (those of views
   *     it reads included), for DROP ... RESTRICT/CASCADE
   */
  public ViewDefinition {
    columns = List.copyOf(columns);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  /**
   * One column of a view. {@code queryName} is the name the query gave it (the view may rename
   * it); {@code type}, {@code precision} and {@code scale} are the SQL layer's type (a Calcite
   * type name), recorded at creation so that the view's row type is known without planning it.
   */
  public record ViewColumn(String name, String queryName, String type, int precision, int scale,
      boolean nullable) {}
}
