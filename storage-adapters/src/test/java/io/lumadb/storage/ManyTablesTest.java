package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.wal.FsyncPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One table per metric name is normal: 10,000 idle tables must stay cheap. */
class ManyTablesTest {
  static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void tenThousandTablesCostAFewKilobytesEach(@TempDir Path dir) throws Exception {
    StorageConfig cfg = new StorageConfig(65_536, FsyncPolicy.OFF, 64L << 20, 1L << 30,
        java.time.Duration.ofHours(1), java.time.Duration.ofHours(1), 8, null);
    TableSchema schema = new TableSchema(List.of(Column.of("ts", ColumnType.TIMESTAMP),
        Column.of("value", ColumnType.DOUBLE), Column.of("job", ColumnType.VARCHAR),
        Column.of("instance", ColumnType.VARCHAR)));
    int n = 10_000;
    try (StorageEngine s = StorageEngine.open(dir, cfg)) {
      long before = usedHeap();
      for (int i = 0; i < n; i++) {
        TableId id = new TableId("metrics", "metric_" + i);
        s.createTable(id, schema, false, "timestamp=ts");
        ColumnBatch b = new ColumnBatch(schema, 1);
        b.appendRow(new Object[] {1_700_000_000_000L + i, (double) i, "node", "host-" + (i % 10)});
        s.append(s.table(id).orElseThrow(), b);
      }
      long perTable = (usedHeap() - before) / n;
      assertEquals(n, s.allTables().size());
      System.out.println("heap per table with one unflushed row: " + perTable + " bytes");
      assertTrue(perTable < 6 * 1024, "heap per table " + perTable + " bytes");
    }
  }
}
