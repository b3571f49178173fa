package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk write paths against the row-at-a-time ones they replace: the flush sort order
 * (primitive ranks vs the boxed comparator) and {@link MetricsStorage#insertSeries} vs
 * {@link MetricsStorage#insertSamples}.
 */
class BulkPathsTest {
  @TempDir
  Path dir;

  /** The comparator WarmTier used before: tags (String order, NULL last) in schema order, then time. */
  static Comparator<Integer> reference(TableSchema schema, int timeColumn, List<ColumnReader> cols) {
    Comparator<Integer> c = (a, b) -> 0;
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).type() == ColumnType.VARCHAR) {
        ColumnReader r = cols.get(i);
        c = c.thenComparing(row -> (String) r.get(row), Comparator.nullsLast(Comparator.naturalOrder()));
      }
    }
    if (timeColumn >= 0) {
      ColumnReader t = cols.get(timeColumn);
      c = c.thenComparing(row -> t.isNull(row) ? Long.MAX_VALUE : t.getLong(row));
    }
    return c;
  }

  @Test
  void sortOrderIsTheComparatorsStableOrder() {
    Random rnd = new Random(7);
    for (int round = 0; round < 60; round++) {
      int tags = rnd.nextInt(4);
      List<Column> cols = new ArrayList<>();
      cols.add(Column.of("ts", ColumnType.TIMESTAMP));
      cols.add(Column.of("v", ColumnType.DOUBLE));
      for (int t = 0; t < tags; t++) {
        cols.add(Column.of("tag" + t, ColumnType.VARCHAR));
      }
      TableSchema schema = new TableSchema(cols);
      int n = rnd.nextInt(3000);
      HeapColumn[] heap = new HeapColumn[schema.size()];
      for (int c = 0; c < heap.length; c++) {
        heap[c] = new HeapColumn(schema.column(c).type(), n);
      }
      int card = 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 500);
      boolean ordered = rnd.nextBoolean();
      for (int r = 0; r < n; r++) {
        if (rnd.nextInt(50) == 0) {
          heap[0].appendNull();
        } else {
          heap[0].appendLong(ordered ? r / 3 : rnd.nextInt(100) - 50);
        }
        heap[1].appendDouble(r);
        for (int t = 0; t < tags; t++) {
          // new String instances, equal values, a few NULLs, non-ASCII
          heap[2 + t].appendString(rnd.nextInt(40) == 0 ? null
              : new String((rnd.nextInt(3) == 0 ? "é" : "h") + rnd.nextInt(card)));
        }
      }
      List<ColumnReader> readers = new ArrayList<>();
      for (HeapColumn h : heap) {
        readers.add(h.view());
      }
      List<Integer> expected = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        expected.add(r);
      }
      int timeColumn = rnd.nextInt(4) == 0 ? -1 : 0;
      expected.sort(reference(schema, timeColumn, readers));
      int[] got = WarmTier.sortOrder(schema, timeColumn, readers, n);
      assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), got, "round " + round);
    }
  }

  @Test
  void insertSeriesStoresWhatInsertSamplesStores() throws Exception {
    Random rnd = new Random(3);
    MetricsStorage.SeriesBatch batch = new MetricsStorage.SeriesBatch(2, 2);
    String[] names = {"host", "label_ts", "ts", "value"};
    for (int s = 0; s < 300; s++) {
      String metric = "m" + rnd.nextInt(4);
      int k = 1 + rnd.nextInt(names.length);
      List<String> ln = new ArrayList<>();
      List<String> lv = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        if (rnd.nextBoolean()) {
          ln.add(names[i]);
          lv.add("v" + rnd.nextInt(5));
        }
      }
      batch.addSeries(metric, ln.toArray(new String[0]), lv.toArray(new String[0]));
      int samples = rnd.nextInt(5); // some series without samples: dropped
      for (int i = 0; i < samples; i++) {
        batch.addSample(1_700_000_000_000L + rnd.nextInt(100_000), rnd.nextDouble());
      }
    }
    List<MetricsStorage.Sample> samples = batch.toSamples();
    assertEquals(batch.sampleCount(), samples.size());
    Map<String, List<List<Object>>> a;
    Map<String, List<List<Object>>> b;
    try (StorageEngine s = StorageEngine.open(dir.resolve("a"), StorageConfig.DEFAULTS)) {
      new MetricsStorage(s).insertSamples(samples);
      a = dump(s);
    }
    try (StorageEngine s = StorageEngine.open(dir.resolve("b"), StorageConfig.DEFAULTS)) {
      new MetricsStorage(s).insertSeries(batch);
      b = dump(s);
    }
    assertEquals(a, b);
    // ... and after a restart (replayed from the WAL)
    try (StorageEngine s = StorageEngine.open(dir.resolve("b"), StorageConfig.DEFAULTS)) {
      assertEquals(a, dump(s));
    }
  }

  private static Map<String, List<List<Object>>> dump(StorageEngine s) {
    Map<String, List<List<Object>>> out = new LinkedHashMap<>();
    for (LumaTable t : s.tables(MetricsStorage.SCHEMA)) {
      List<List<Object>> rows = new ArrayList<>();
      try (TableSnapshot snap = t.snapshot()) {
        List<String> header = new ArrayList<>(snap.schema().names());
        rows.add(new ArrayList<>(header));
        for (TableSnapshot.Part p : snap.parts()) {
          for (int r = 0; r < p.rowCount(); r++) {
            List<Object> row = new ArrayList<>();
            for (ColumnReader c : p.columns()) {
              row.add(c.get(r));
            }
            rows.add(row);
          }
        }
      }
      out.put(t.id().name(), rows);
    }
    return out;
  }
}
