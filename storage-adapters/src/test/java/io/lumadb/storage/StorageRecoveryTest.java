package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What was logged comes back after reopening, sealed segments and active rows alike. */
class StorageRecoveryTest {
  @TempDir
  Path dir;

  static final TableId T = new TableId("public", "t");
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("id", ColumnType.BIGINT), Column.of("name", ColumnType.VARCHAR)));

  static List<List<Object>> rows(StorageEngine s, TableId id) {
    List<List<Object>> out = new ArrayList<>();
    try (TableSnapshot snap = s.table(id).orElseThrow().snapshot()) {
      for (TableSnapshot.Part p : snap.parts()) {
        for (int r = 0; r < p.rowCount(); r++) {
          List<Object> row = new ArrayList<>();
          for (ColumnReader c : p.columns()) {
            row.add(c.get(r));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  static ColumnBatch batch(TableSchema schema, Object[]... rows) {
    ColumnBatch b = new ColumnBatch(schema, rows.length);
    for (Object[] r : rows) {
      b.appendRow(r);
    }
    return b;
  }

  @Test
  void catalogAndRowsSurviveReopen() throws Exception {
    StorageConfig cfg = StorageConfig.DEFAULTS.withSealRows(3);
    try (StorageEngine s = StorageEngine.open(dir, cfg)) {
      s.createTable(T, SCHEMA, false);
      s.createTable(new TableId("metrics", "gone"), SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      s.append(t, batch(SCHEMA, new Object[] {1L, "a"}, new Object[] {2L, "b"}));
      s.append(t, batch(SCHEMA, new Object[] {3L, null}, new Object[] {4L, "d"}));
      s.addColumn(T, Column.of("extra", ColumnType.DOUBLE));
      TableSchema wide = s.table(T).orElseThrow().schema();
      s.append(t, batch(wide, new Object[] {5L, "e", 0.5}));
      s.dropTable(new TableId("metrics", "gone"), false);
    }
    // Reopen twice: once from the WAL on top of the shutdown checkpoint, once more.
    for (int round = 0; round < 2; round++) {
      try (StorageEngine s = StorageEngine.open(dir, cfg)) {
        assertFalse(s.table(new TableId("metrics", "gone")).isPresent());
        List<List<Object>> rows = rows(s, T);
        assertEquals(5, rows.size());
        assertEquals(List.of(1L, "a"), rows.get(0).subList(0, 2));
        assertNull(rows.get(2).get(1));
        assertNull(rows.get(0).get(2), "rows from before ADD COLUMN read NULL");
        assertEquals(0.5, rows.get(4).get(2));
        assertEquals(3, s.table(T).orElseThrow().schema().size());
      }
    }
  }

  @Test
  void interruptedCatalogWriteFallsBackToTheLastCompleteCheckpoint() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, StorageConfig.DEFAULTS)) {
      s.createTable(T, SCHEMA, false);
      s.append(s.table(T).orElseThrow(), batch(SCHEMA, new Object[] {1L, "a"}));
      s.flushAll();
      s.append(s.table(T).orElseThrow(), batch(SCHEMA, new Object[] {2L, "b"}));
    }
    // A crash while writing the next checkpoint leaves a partial temporary file.
    java.nio.file.Files.writeString(dir.resolve("catalog/catalog.json.tmp"), "{\"version\": 1, \"tabl");
    try (StorageEngine s = StorageEngine.open(dir, StorageConfig.DEFAULTS)) {
      assertEquals(List.of(List.of(1L, "a"), List.of(2L, "b")), rows(s, T));
      assertFalse(java.nio.file.Files.exists(dir.resolve("catalog/catalog.json.tmp")));
    }
    // A damaged checkpoint stops startup with a message naming the file.
    java.nio.file.Files.writeString(dir.resolve("catalog/catalog.json"), "{ not json");
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> StorageEngine.open(dir, StorageConfig.DEFAULTS));
    assertTrue(e.getMessage().contains("catalog.json"), e.getMessage());
  }

  @Test
  void rejectedBatchIsNotLogged() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, StorageConfig.DEFAULTS)) {
      s.createTable(T, SCHEMA, false);
      TableSchema wrong = new TableSchema(List.of(Column.of("nosuch", ColumnType.BIGINT)));
      try {
        s.append(s.table(T).orElseThrow(), batch(wrong, new Object[] {1L}));
      } catch (StorageException expected) {
        assertTrue(expected.getMessage().contains("nosuch"));
      }
    }
    try (StorageEngine s = StorageEngine.open(dir, StorageConfig.DEFAULTS)) {
      assertEquals(0, rows(s, T).size());
    }
  }

  @Test
  void droppedAndRecreatedTableKeepsOnlyNewRows() throws Exception {
    try (StorageEngine s = StorageEngine.open(dir, StorageConfig.DEFAULTS)) {
      s.createTable(T, SCHEMA, false);
      s.append(s.table(T).orElseThrow(), batch(SCHEMA, new Object[] {1L, "old"}));
      s.dropTable(T, false);
      s.createTable(T, SCHEMA, false);
      s.append(s.table(T).orElseThrow(), batch(SCHEMA, new Object[] {2L, "new"}));
    }
    try (StorageEngine s = StorageEngine.open(dir, StorageConfig.DEFAULTS)) {
      assertEquals(List.of(List.of(2L, "new")), rows(s, T));
    }
  }
}
