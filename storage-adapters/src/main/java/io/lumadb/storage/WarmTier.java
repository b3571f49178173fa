package io.lumadb.storage;

import io.lumadb.storage.catalog.CatalogCheckpoint;
import io.lumadb.storage.warm.ParquetWarmWriter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a table's rows to Parquet under {@code warm/<schema>/<table>/date=YYYY-MM-DD/}, one
 * file per day of the table's time column (tables without one get no date directory), each
 * sorted by the tag (string) columns and then time.
 */
final class WarmTier {
  static final String NO_PARTITION = "";
  private final Path dataDir;
  private final WarmColumnCache cache;

  WarmTier(Path dataDir, WarmColumnCache cache) {
    this.dataDir = dataDir;
    this.cache = cache;
  }

  Path tableDir(TableId id) {
    return dataDir.resolve("warm").resolve(encode(id.schema())).resolve(encode(id.name()));
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  /** Writes rows of {@code columns} (table schema {@code schema}) to files, one per partition. */
  List<WarmFileRef> write(TableId id, TableSchema schema, int timeColumn, List<ColumnReader> columns,
      int rowCount, List<String> indexed) throws IOException {
    Map<String, List<Integer>> partitions = new TreeMap<>();
    ColumnReader time = timeColumn >= 0 ? columns.get(timeColumn) : null;
    for (int r = 0; r < rowCount; r++) {
      String p = NO_PARTITION;
      if (time != null && !time.isNull(r)) {
        p = "date=" + LocalDate.ofEpochDay(Math.floorDiv(time.getLong(r), 86_400_000L));
      } else if (time != null) {
        p = "date=unknown";
      }
      partitions.computeIfAbsent(p, k -> new ArrayList<>()).add(r);
    }
    Comparator<Integer> order = sortOrder(schema, timeColumn, columns);
    List<WarmFileRef> out = new ArrayList<>();
    for (var e : partitions.entrySet()) {
      List<Integer> rows = e.getValue();
      rows.sort(order);
      int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
      Path dir = e.getKey().isEmpty() ? tableDir(id) : tableDir(id).resolve(e.getKey());
      Path file = dir.resolve(UUID.randomUUID() + ".parquet");
      Files.createDirectories(dir);
      // Indexes first: a file the catalog lists always has its indexes beside it.
      for (String column : indexed) {
        int c = schema.indexOf(column);
        if (c < 0) {
          continue;
        }
        io.lumadb.storage.index.InvertedIndex index = new io.lumadb.storage.index.InvertedIndex();
        ColumnReader text = columns.get(c);
        for (int i = 0; i < idx.length; i++) {
          index.addDocument(i, (String) text.get(idx[i]));
        }
        index.save(WarmFileRef.indexPath(file, column));
      }
      long bytes = ParquetWarmWriter.write(file, schema, columns, idx);
      Long min = null;
      Long max = null;
      if (time != null) {
        for (int r : idx) {
          if (!time.isNull(r)) {
            long v = time.getLong(r);
            min = min == null ? v : Math.min(min, v);
            max = max == null ? v : Math.max(max, v);
          }
        }
      }
      CatalogCheckpoint.WarmFile meta = new CatalogCheckpoint.WarmFile(
          dataDir.relativize(file).toString(), e.getKey(), idx.length, bytes, min, max,
          WarmFileRef.columnEntries(schema));
      out.add(new WarmFileRef(meta, dataDir, cache));
    }
    return out;
  }

  /** Tags (string columns) in schema order, then the time column. */
  private static Comparator<Integer> sortOrder(TableSchema schema, int timeColumn, List<ColumnReader> cols) {
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

  /** Deletes Parquet files under warm/ that the catalog does not list (left by a crash). */
  int removeOrphans(Set<Path> known) throws IOException {
    Path warm = dataDir.resolve("warm");
    if (!Files.exists(warm)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> files = Files.walk(warm)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String n = p.getFileName().toString();
        boolean data = n.endsWith(".parquet") || n.endsWith(".idx");
        if ((data && !known.contains(p.toAbsolutePath().normalize())) || n.endsWith(".tmp")) {
          Files.delete(p);
          removed++;
        }
      }
    }
    return removed;
  }
}
