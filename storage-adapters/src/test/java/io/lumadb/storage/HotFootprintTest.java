package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Memory, not time: a sealed TSBS-cpu-like segment stays within the hot tier's 20 bytes/sample. */
class HotFootprintTest {
  @Test
  void sealedSegmentBytesPerSample() {
    List<Column> cols = new ArrayList<>();
    cols.add(Column.of("ts", ColumnType.TIMESTAMP));
    for (int t = 0; t < 10; t++) {
      cols.add(Column.of("tag" + t, ColumnType.VARCHAR));
    }
    for (int f = 0; f < 10; f++) {
      cols.add(Column.of("usage" + f, ColumnType.DOUBLE));
    }
    TableSchema schema = new TableSchema(cols);
    int rows = 65_536;
    try (StorageEngine s = new StorageEngine(StorageConfig.DEFAULTS)) {
      TableId id = new TableId("public", "cpu");
      s.createTable(id, schema, false);
      ColumnBatch b = new ColumnBatch(schema, rows);
      java.util.Random rnd = new java.util.Random(1);
      Object[] row = new Object[schema.size()];
      for (int r = 0; r < rows; r++) {
        row[0] = 1_700_000_000_000L + r * 10_000L;
        for (int t = 0; t < 10; t++) {
          row[1 + t] = "value_" + t + "_" + (r % 100);
        }
        for (int f = 0; f < 10; f++) {
          row[11 + f] = rnd.nextDouble() * 100;
        }
        b.appendRow(row);
      }
      s.append(s.table(id).orElseThrow(), b); // 65,536 rows: sealed on append
      double perSample = (double) s.allocatedBytes() / (rows * 10L);
      System.out.println("hot bytes per sample: " + perSample);
      assertTrue(s.table(id).orElseThrow().sealedSegments().size() == 1);
      assertTrue(perSample <= 20, "hot bytes per sample " + perSample);
    }
  }
}
