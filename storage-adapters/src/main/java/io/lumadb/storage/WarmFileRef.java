package io.lumadb.storage;

import io.lumadb.storage.catalog.CatalogCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * A warm Parquet file of a table, reference counted like {@link HotSegment}: when compaction
 * or retention removes it from the table, the file is deleted once no snapshot uses it.
 */
public final class WarmFileRef {
  private final CatalogCheckpoint.WarmFile meta;
  private final Path path;
  private final TableSchema schema;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final WarmColumnCache cache;
  /** The footer's row groups, read once (the file never changes). */
  private volatile List<org.apache.parquet.hadoop.metadata.BlockMetaData> rowGroups;

  WarmFileRef(CatalogCheckpoint.WarmFile meta, Path dataDir, WarmColumnCache cache) {
    this.meta = meta;
    this.cache = cache;
    this.path = dataDir.resolve(meta.path());
    this.schema = new TableSchema(meta.columns().stream().map(CatalogCheckpoint.ColumnEntry::column).toList());
  }

  public CatalogCheckpoint.WarmFile meta() {
    return meta;
  }

  public Path path() {
    return path;
  }

  /** The columns the file holds (a table's columns when the file was written). */
  public TableSchema schema() {
    return schema;
  }

  public long rowCount() {
    return meta.rows();
  }

  boolean retain() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Where the inverted index of a text column of this file lives. */
  public Path indexPath(String column) {
    return indexPath(path, column);
  }

  static Path indexPath(Path parquet, String column) {
    String enc = java.net.URLEncoder.encode(column, java.nio.charset.StandardCharsets.UTF_8);
    return parquet.resolveSibling(parquet.getFileName() + "." + enc + ".idx");
  }

  private volatile java.util.Map<String, io.lumadb.storage.index.InvertedIndex> indexes = java.util.Map.of();

  /** The file's index of {@code column}, loaded once; null if the file has none. */
  public io.lumadb.storage.index.InvertedIndex index(String column) throws IOException {
    var cached = indexes.get(column);
    if (cached != null) {
      return cached;
    }
    Path p = indexPath(column);
    if (!Files.exists(p)) {
      return null;
    }
    var idx = io.lumadb.storage.index.InvertedIndex.load(p);
    var next = new java.util.HashMap<>(indexes);
    next.put(column, idx);
    indexes = java.util.Map.copyOf(next);
    return idx;
  }

  /** Row-group metadata (row counts, column statistics) of the file, read once. */
  public List<org.apache.parquet.hadoop.metadata.BlockMetaData> rowGroups() throws IOException {
    var groups = rowGroups;
    if (groups == null) {
      groups = List.copyOf(io.lumadb.storage.warm.ParquetWarmReader.rowGroups(path));
      rowGroups = groups;
    }
    return groups;
  }

  /**
   * The row groups {@code keep} accepts, with the columns {@code wanted[i]} of {@link #schema()}
   * (null where not wanted): from the warm column cache where it has them, the rest decoded
   * from the file (only those row groups and columns) and then cached.
   */
  public List<io.lumadb.storage.warm.ParquetWarmReader.RowGroup> read(boolean[] wanted, boolean[] keep)
      throws IOException {
    List<org.apache.parquet.hadoop.metadata.BlockMetaData> groups = rowGroups();
    ColumnReader[][] cols = new ColumnReader[groups.size()][];
    boolean[][] missing = new boolean[groups.size()][];
    boolean anyMissing = false;
    for (int g = 0; g < groups.size(); g++) {
      if (!keep[g]) {
        continue;
      }
      cols[g] = new ColumnReader[wanted.length];
      for (int c = 0; c < wanted.length; c++) {
        if (wanted[c] && (cols[g][c] = cache.get(this, g, c)) == null) {
          if (missing[g] == null) {
            missing[g] = new boolean[wanted.length];
          }
          missing[g][c] = true;
          anyMissing = true;
        }
      }
    }
    if (anyMissing) {
      io.lumadb.storage.warm.ParquetWarmReader.read(path, schema, g -> missing[g], (g, c, column) -> {
        ColumnReader r = column.finalView();
        if (schema.column(c).type().isText()) {
          r = DictionaryColumn.encode(r);
        }
        cache.put(this, g, c, r, r instanceof DictionaryColumn d ? d.heapBytes() : column.heapBytes());
        cols[g][c] = r;
      });
    }
    List<io.lumadb.storage.warm.ParquetWarmReader.RowGroup> out = new java.util.ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      if (keep[g]) {
        out.add(new io.lumadb.storage.warm.ParquetWarmReader.RowGroup(
            (int) groups.get(g).getRowCount(), java.util.Arrays.asList(cols[g])));
      }
    }
    return out;
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      cache.invalidate(this);
      try (var siblings = Files.list(path.getParent())) {
        String prefix = path.getFileName() + ".";
        for (Path p : siblings.filter(x -> x.getFileName().toString().startsWith(prefix)
            && x.getFileName().toString().endsWith(".idx")).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        LoggerFactory.getLogger(WarmFileRef.class).warn("cannot delete indexes of {}", path, e);
      }
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        LoggerFactory.getLogger(WarmFileRef.class).warn("cannot delete obsolete warm file {}", path, e);
      }
    }
  }

  static List<CatalogCheckpoint.ColumnEntry> columnEntries(TableSchema s) {
    return s.columns().stream()
        .map(CatalogCheckpoint.ColumnEntry::of).toList();
  }
}
