package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Views live in the catalog checkpoint: durable on return, ids from the table sequence. */
class ViewCatalogTest {
  @TempDir
  Path dir;

  static final TableId T = new TableId("public", "t");
  static final TableId V = new TableId("public", "v");
  static final List<ViewDefinition.ViewColumn> COLS =
      List.of(new ViewDefinition.ViewColumn("a", "a", "INTEGER", -1, 0, true));

  @Test
  void viewsAreDurableWithoutACleanClose() throws Exception {
    StorageConfig cfg = StorageConfig.DEFAULTS;
    long viewId;
    Path data = dir.resolve("data");
    StorageEngine s = StorageEngine.open(data, cfg);
    s.createTable(T, new TableSchema(List.of(Column.of("a", ColumnType.INTEGER))), false);
    viewId = s.createView(V, "SELECT a FROM t", COLS, List.of(T), false).id();
    s.createView(new TableId("metrics", "gone"), "SELECT 1", COLS, List.of(), false);
    s.dropView(new TableId("metrics", "gone"), false);
    // No close: what is on disk now is what a kill -9 would leave.
    Path copy = dir.resolve("copy");
    copyTree(data, copy);
    s.close();
    try (StorageEngine r = StorageEngine.open(copy, cfg)) {
      ViewDefinition v = r.view(V).orElseThrow();
      assertEquals(viewId, v.id());
      assertEquals("SELECT a FROM t", v.query());
      assertEquals(COLS, v.columns());
      assertEquals(List.of(T), v.dependsOn());
      assertFalse(r.view(new TableId("metrics", "gone")).isPresent());
      assertTrue(r.table(T).isPresent());
      // Ids are never reused: a new table after restart gets a fresh one.
      r.createTable(new TableId("public", "u"), new TableSchema(List.of(Column.of("a", ColumnType.INTEGER))), false);
      long u = r.table(new TableId("public", "u")).orElseThrow().tableId();
      assertTrue(u > viewId, u + " > " + viewId);
    }
  }

  @Test
  void namesAreTablesOrViews() {
    try (StorageEngine s = new StorageEngine(StorageConfig.DEFAULTS)) {
      s.createTable(T, new TableSchema(List.of(Column.of("a", ColumnType.INTEGER))), false);
      s.createView(V, "SELECT a FROM t", COLS, List.of(T), false);
      long before = s.catalogVersion();
      assertEquals(StorageException.Kind.ALREADY_EXISTS, assertThrows(StorageException.class,
          () -> s.createView(T, "SELECT 1", COLS, List.of(), false)).kind());
      assertEquals(StorageException.Kind.WRONG_OBJECT_TYPE, assertThrows(StorageException.class,
          () -> s.createView(T, "SELECT 1", COLS, List.of(), true)).kind());
      assertEquals(StorageException.Kind.ALREADY_EXISTS, assertThrows(StorageException.class,
          () -> s.createTable(V, new TableSchema(List.of(Column.of("a", ColumnType.INTEGER))), false)).kind());
      assertFalse(s.createTable(V, new TableSchema(List.of(Column.of("a", ColumnType.INTEGER))), true));
      assertEquals(StorageException.Kind.WRONG_OBJECT_TYPE, assertThrows(StorageException.class,
          () -> s.dropTable(V, true)).kind());
      assertEquals(StorageException.Kind.WRONG_OBJECT_TYPE, assertThrows(StorageException.class,
          () -> s.dropView(T, true)).kind());
      assertEquals(before, s.catalogVersion());
      long id = s.view(V).orElseThrow().id();
      assertEquals(id, s.createView(V, "SELECT a, a AS b FROM t", COLS, List.of(T), true).id());
      assertTrue(s.catalogVersion() > before, "a view change invalidates cached plans");
      assertTrue(s.dropView(V, false));
      assertFalse(s.dropView(V, true));
    }
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
