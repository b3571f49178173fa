package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A multi-table append (one remote write request) is all or nothing when a batch does not fit. */
class AppendAllTest {
  @Test
  void aBatchThatDoesNotFitItsTableRejectsTheWholeCall() {
    try (StorageEngine s = new StorageEngine(StorageConfig.DEFAULTS.withSealRows(2))) {
      TableId a = new TableId("public", "a");
      TableId b = new TableId("public", "b");
      s.createTable(a, new TableSchema(List.of(Column.of("v", ColumnType.BIGINT))), false);
      s.createTable(b, new TableSchema(List.of(Column.of("v", ColumnType.BIGINT))), false);
      ColumnBatch good = new ColumnBatch(new TableSchema(List.of(Column.of("v", ColumnType.BIGINT))), 4);
      for (long i = 0; i < 3; i++) {
        good.appendRow(new Object[] {i}); // three rows: a seal inside the append too
      }
      ColumnBatch wrongType = new ColumnBatch(new TableSchema(List.of(Column.of("v", ColumnType.DOUBLE))), 1);
      wrongType.appendRow(new Object[] {1.5});
      ColumnBatch unknownColumn = new ColumnBatch(new TableSchema(List.of(Column.of("w", ColumnType.BIGINT))), 1);
      unknownColumn.appendRow(new Object[] {1L});
      LumaTable ta = s.table(a).orElseThrow();
      LumaTable tb = s.table(b).orElseThrow();
      for (ColumnBatch bad : List.of(wrongType, unknownColumn)) {
        assertThrows(StorageException.class,
            () -> s.appendAll(List.of(Map.entry(ta, good), Map.entry(tb, bad))));
        assertEquals(0, ta.rowCount(), "the first table's batch was not written either");
        assertEquals(0, tb.rowCount());
      }
      s.appendAll(List.of(Map.entry(ta, good), Map.entry(tb, good)));
      assertEquals(3, ta.rowCount());
      assertEquals(3, tb.rowCount());
    }
  }
}
