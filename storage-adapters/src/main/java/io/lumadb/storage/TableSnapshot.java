package io.lumadb.storage;

import io.lumadb.storage.warm.ParquetWarmReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;

/**
 * The rows of a table as one reader sees them: warm files, sealed hot segments and the active
 * segment's rows at the moment the snapshot was taken. Rows appended later are not visible,
 * and files or segments that leave the table meanwhile stay readable until the snapshot is
 * closed.
 */
public final class TableSnapshot implements AutoCloseable {
  /** A run of rows with one reader per column of the snapshot's schema (null = not read). */
  public record Part(int rowCount, List<ColumnReader> columns) {}

  /** A sealed or active run of rows held in memory, with its time range (null = unknown). */
  record HotPart(Part part, Long minTime, Long maxTime) {}

  private final TableSchema schema;
  private final int timeColumn;
  private final List<WarmFileRef> warm;
  private final List<HotPart> hot;
  private final List<HotSegment> retainedSegments;
  private boolean closed;

  TableSnapshot(TableSchema schema, int timeColumn, List<WarmFileRef> warm, List<HotPart> hot,
      List<HotSegment> retainedSegments) {
    this.schema = schema;
    this.timeColumn = timeColumn;
    this.warm = warm;
    this.hot = hot;
    this.retainedSegments = retainedSegments;
  }

  public TableSchema schema() {
    return schema;
  }

  /** Position of the designated time column, or -1. */
  public int timeColumn() {
    return timeColumn;
  }

  /** All parts, every column, no pruning. */
  public List<Part> parts() {
    List<Part> out = new ArrayList<>();
    scan(ScanSpec.all(schema), new ScanStats()).forEachRemaining(out::add);
    return out;
  }

  /** Rows in the snapshot, from metadata (warm files are not read). */
  public long rowCount() {
    long n = 0;
    for (WarmFileRef f : warm) {
      n += f.rowCount();
    }
    for (HotPart h : hot) {
      n += h.part().rowCount();
    }
    return n;
  }

  /** Rows, and the least and greatest value of the time column (null: none), of a snapshot. */
  public record TimeSummary(long rows, Long minTime, Long maxTime) {}

  /**
   * The snapshot's rows and time range from metadata alone, no data read: the row counts and
   * the exact least and greatest non-NULL time that every warm file and hot segment records
   * when it is written (null when it has none).
   */
  public TimeSummary timeSummary() {
    long rows = 0;
    Long min = null;
    Long max = null;
    for (WarmFileRef f : warm) {
      rows += f.rowCount();
      min = least(min, f.meta().minTime());
      max = greatest(max, f.meta().maxTime());
    }
    for (HotPart h : hot) {
      rows += h.part().rowCount();
      min = least(min, h.minTime());
      max = greatest(max, h.maxTime());
    }
    return new TimeSummary(rows, min, max);
  }

  private static Long least(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
  }

  private static Long greatest(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  /**
   * The parts a scan needs, warm files first (oldest data), read lazily one row group at a
   * time; files, row groups and segments that the spec rules out are skipped and counted.
   */
  public Iterator<Part> scan(ScanSpec spec, ScanStats stats) {
    List<Object> sources = new ArrayList<>();
    for (WarmFileRef f : warm) {
      if (spec.timeOverlaps(f.meta().minTime(), f.meta().maxTime())) {
        sources.add(f);
      } else {
        stats.filesPruned.incrementAndGet();
      }
    }
    for (HotPart h : hot) {
      if (spec.timeOverlaps(h.minTime(), h.maxTime())) {
        sources.add(h);
      } else {
        stats.hotSegmentsPruned.incrementAndGet();
      }
    }
    return new Iterator<>() {
      private int next = 0;
      private Iterator<Part> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (next >= sources.size()) {
            return false;
          }
          Object s = sources.get(next++);
          if (s instanceof HotPart h) {
            stats.hotSegmentsRead.incrementAndGet();
            stats.rowsRead.addAndGet(h.part().rowCount());
            current = List.of(h.part()).iterator();
          } else {
            current = readWarm((WarmFileRef) s, spec, stats).iterator();
          }
        }
        return true;
      }

      @Override
      public Part next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private List<Part> readWarm(WarmFileRef f, ScanSpec spec, ScanStats stats) {
    TableSchema fileSchema = f.schema();
    boolean[] wanted = new boolean[fileSchema.size()];
    int[] fromFile = new int[schema.size()];
    java.util.Arrays.fill(fromFile, -1);
    for (int c : spec.columns()) {
      int i = fileSchema.indexOf(schema.column(c).name());
      if (i >= 0) {
        wanted[i] = true;
        fromFile[c] = i;
      }
    }
    try {
      org.roaringbitmap.RoaringBitmap matches = textMatches(f, spec);
      if (matches != null && matches.isEmpty()) {
        stats.filesPruned.incrementAndGet();
        return List.of();
      }
      List<BlockMetaData> groups = f.rowGroups();
      boolean anyKept = false;
      boolean[] keep = new boolean[groups.size()];
      long[] firstRow = new long[groups.size()];
      long rowsBefore = 0;
      for (int g = 0; g < groups.size(); g++) {
        firstRow[g] = rowsBefore;
        rowsBefore += groups.get(g).getRowCount();
        keep[g] = rowGroupMayMatch(groups.get(g), fileSchema, spec)
            && (matches == null || matches.intersects(firstRow[g], rowsBefore));
        anyKept |= keep[g];
        if (!keep[g]) {
          stats.rowGroupsPruned.incrementAndGet();
        }
      }
      if (!anyKept) {
        stats.filesPruned.incrementAndGet();
        return List.of();
      }
      stats.filesRead.incrementAndGet();
      List<Part> parts = new ArrayList<>();
      int[] kept = java.util.stream.IntStream.range(0, groups.size()).filter(g -> keep[g]).toArray();
      int k = 0;
      for (ParquetWarmReader.RowGroup rg : f.read(wanted, keep)) {
        long first = firstRow[kept[k++]];
        stats.rowGroupsRead.incrementAndGet();
        stats.rowsRead.addAndGet(rg.rowCount());
        List<ColumnReader> cols = new ArrayList<>(schema.size());
        for (int c = 0; c < schema.size(); c++) {
          cols.add(fromFile[c] >= 0 ? rg.columns().get(fromFile[c]) : ColumnReader.nulls(rg.rowCount()));
        }
        Part part = new Part(rg.rowCount(), java.util.Collections.unmodifiableList(cols));
        parts.add(matches == null ? part : select(part, matches, first));
      }
      return parts;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read warm file " + f.path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Rows of the file that hold every searched term, from the file's inverted indexes; null
   * when the spec searches no text or the file has no index for a searched column.
   */
  private org.roaringbitmap.RoaringBitmap textMatches(WarmFileRef f, ScanSpec spec) throws IOException {
    org.roaringbitmap.RoaringBitmap result = null;
    for (Map.Entry<Integer, List<String>> e : spec.textAll().entrySet()) {
      var index = f.index(schema.column(e.getKey()).name());
      if (index == null) {
        continue;
      }
      var m = index.searchAnd(e.getValue());
      result = result == null ? m : org.roaringbitmap.RoaringBitmap.and(result, m);
    }
    return result;
  }

  /** The rows of a part whose file row number ({@code first} + i) is in {@code rows}. */
  private static Part select(Part part, org.roaringbitmap.RoaringBitmap rows, long first) {
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < part.rowCount(); i++) {
      if (rows.contains((int) (first + i))) {
        picked.add(i);
      }
    }
    List<ColumnReader> cols = new ArrayList<>(part.columns().size());
    for (ColumnReader c : part.columns()) {
      if (c == null) {
        cols.add(null);
        continue;
      }
      cols.add(new ColumnReader() {
        @Override
        public int rowCount() {
          return picked.size();
        }

        @Override
        public boolean isNull(int row) {
          return c.isNull(picked.get(row));
        }

        @Override
        public Object get(int row) {
          return c.get(picked.get(row));
        }

        @Override
        public long getLong(int row) {
          return c.getLong(picked.get(row));
        }

        @Override
        public double getDouble(int row) {
          return c.getDouble(picked.get(row));
        }
      });
    }
    return new Part(picked.size(), cols);
  }

  /** Uses row-group min/max statistics of the time column and of filtered tags. */
  private boolean rowGroupMayMatch(BlockMetaData g, TableSchema fileSchema, ScanSpec spec) {
    if (timeColumn >= 0 && (spec.minTime() != null || spec.maxTime() != null)) {
      Statistics<?> st = stats(g, schema.column(timeColumn).name());
      if (st != null && st.hasNonNullValue()) {
        long min = (Long) st.genericGetMin();
        long max = (Long) st.genericGetMax();
        if (!spec.timeOverlaps(min, max)) {
          return false;
        }
      }
    }
    for (Map.Entry<Integer, Set<String>> e : spec.tagIn().entrySet()) {
      String name = schema.column(e.getKey()).name();
      if (fileSchema.indexOf(name) < 0) {
        return false; // the column did not exist: every row reads NULL, which no value matches
      }
      Statistics<?> st = stats(g, name);
      if (st == null) {
        continue;
      }
      if (!st.hasNonNullValue()) {
        return false;
      }
      String min = ((Binary) st.genericGetMin()).toStringUsingUTF8();
      String max = ((Binary) st.genericGetMax()).toStringUsingUTF8();
      boolean any = false;
      for (String v : e.getValue()) {
        if (compareUtf8(v, min) >= 0 && compareUtf8(v, max) <= 0) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  /** Parquet orders strings by their unsigned UTF-8 bytes. */
  static int compareUtf8(String a, String b) {
    return Binary.fromString(a).compareTo(Binary.fromString(b));
  }

  private static Statistics<?> stats(BlockMetaData g, String column) {
    for (ColumnChunkMetaData c : g.getColumns()) {
      if (c.getPath().toDotString().equals(column)) {
        return c.getStatistics();
      }
    }
    return null;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      retainedSegments.forEach(HotSegment::release);
      warm.forEach(WarmFileRef::release);
    }
  }
}
