package io.lumadb.storage.warm;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.TableSchema;
import io.lumadb.storage.catalog.CatalogStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridValuesWriter;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows to a ZSTD Parquet file with row-group statistics. The file is written under a
 * temporary name, forced to disk and renamed, so a reader never sees half a file.
 */
public final class ParquetWarmWriter {
  /** Rows per row group: small enough that time-range pruning skips most of a file. */
  static final int ROW_GROUP_ROWS = 64 * 1024;

  private ParquetWarmWriter() {}

  /**
   * Writes the rows {@code order[0..n)} of {@code columns} (in that order) to {@code file}.
   * Returns the file's size in bytes.
   */
  public static long write(Path file, TableSchema schema, List<ColumnReader> columns, int[] order)
      throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    MessageType type = ParquetSchemas.messageType(schema);
    ParquetProperties.Builder props = ParquetProperties.builder()
        .withDictionaryEncoding(true)
        .withRowGroupRowCountLimit(ROW_GROUP_ROWS);
    boolean[] plain = new boolean[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      var c = schema.column(i);
      if (c.type() == io.lumadb.storage.ColumnType.DOUBLE || c.type() == io.lumadb.storage.ColumnType.REAL) {
        // A dictionary keys doubles by value and would merge NaN payloads (stale markers).
        props.withDictionaryEncoding(c.name(), false);
      } else if (c.type().isText() && io.lumadb.storage.StringCodes.mostlyDistinct(columns.get(i), order, order.length)) {
        // Log bodies, ids, JSON: a dictionary would hash every value only to be abandoned.
        props.withDictionaryEncoding(c.name(), false);
        plain[i] = true;
      }
    }
    try {
      writeRows(new LocalOutputFile(tmp), type, props.build(), schema, columns, order, plain);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp); // e.g. the disk filled up: leave nothing half written
      throw e;
    }
    CatalogStore.forceDirectory(file.getParent());
    return Files.size(file);
  }

  /**
   * What {@code ParquetWriter} does (file writer, a page store and column store per row group
   * of {@link #ROW_GROUP_ROWS} rows), but values go straight to the column writers: no record
   * API, no boxing, and each distinct string is encoded to UTF-8 once.
   */
  private static void writeRows(OutputFile out, MessageType type, ParquetProperties props,
      TableSchema schema, List<ColumnReader> columns, int[] order, boolean[] plain) throws IOException {
    BytesInputCompressor compressor = ZstdCodecFactory.INSTANCE.getCompressor(CompressionCodecName.ZSTD);
    ParquetFileWriter file = new ParquetFileWriter(out, type, ParquetFileWriter.Mode.OVERWRITE,
        ParquetWriter.DEFAULT_BLOCK_SIZE, ParquetWriter.MAX_PADDING_SIZE_DEFAULT, null, props);
    boolean done = false;
    try {
      file.start();
      int ncols = schema.size();
      List<ColumnDescriptor> descriptors = type.getColumns();
      io.lumadb.storage.ColumnType[] types = new io.lumadb.storage.ColumnType[ncols];
      BinaryCache[] strings = new BinaryCache[ncols];
      for (int c = 0; c < ncols; c++) {
        types[c] = schema.column(c).type();
        if (types[c].isText()) {
          strings[c] = new BinaryCache(plain[c] ? null : columns.get(c).dictionary(), plain[c]);
        }
      }
      for (int from = 0; from < order.length; from += ROW_GROUP_ROWS) {
        int to = Math.min(order.length, from + ROW_GROUP_ROWS);
        int n = to - from;
        ColumnChunkPageWriteStore pages = ColumnChunkPageWriteStore.builder()
            .withSchema(type)
            .withAllocator(props.getAllocator())
            .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
            .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
            .withCompressorProvider(d -> compressor)
            .build();
        ColumnWriteStore store = null;
        try {
          // Text columns whose row-group dictionary stays under Parquet's dictionary page limit
          // are written here as whole pages; the others go through Parquet's column writers.
          RowGroupDictionary[] direct = new RowGroupDictionary[ncols];
          List<org.apache.parquet.schema.Type> rest = new java.util.ArrayList<>();
          for (int c = 0; c < ncols; c++) {
            if (strings[c] != null && !plain[c]) {
              RowGroupDictionary d = strings[c].rowGroup(columns.get(c), order, from, to,
                  props.getDictionaryPageSizeThreshold());
              if (d != null && d.size() > 0) {
                direct[c] = d;
                continue;
              }
            }
            rest.add(type.getType(c));
          }
          for (int c = 0; c < ncols; c++) {
            if (direct[c] != null) {
              direct[c].writePages(pages.getPageWriter(descriptors.get(c)), descriptors.get(c), props);
            }
          }
          if (!rest.isEmpty()) {
            MessageType restType = new MessageType(type.getName(), rest);
            store = props.newColumnWriteStore(restType, pages, pages);
            ColumnWriter[] writers = new ColumnWriter[ncols];
            int[] cols = new int[rest.size()];
            int k = 0;
            for (int c = 0; c < ncols; c++) {
              if (direct[c] == null) {
                writers[c] = store.getColumnWriter(descriptors.get(c));
                cols[k++] = c;
              }
            }
            for (int i = from; i < to; i++) {
              int row = order[i];
              for (int c : cols) {
                ColumnReader r = columns.get(c);
                ColumnWriter w = writers[c];
                if (r.isNull(row)) {
                  w.writeNull(0, 0);
                  continue;
                }
                switch (types[c]) {
                  case BOOLEAN -> w.write((Boolean) r.get(row), 0, 1);
                  case SMALLINT, INTEGER, DATE -> w.write((int) r.getLong(row), 0, 1);
                  case BIGINT, TIMESTAMP, TIMESTAMPTZ -> w.write(r.getLong(row), 0, 1);
                  case REAL -> w.write((float) r.getDouble(row), 0, 1);
                  case DOUBLE -> w.write(r.getDouble(row), 0, 1);
                  case VARCHAR, JSON, JSONB -> w.write(strings[c].binary(r, row), 0, 1);
                  case BYTEA -> w.write(Binary.fromConstantByteArray(
                      ((org.apache.calcite.avatica.util.ByteString) r.get(row)).getBytes()), 0, 1);
                  case NUMERIC -> w.write(numeric(schema.column(c), (java.math.BigDecimal) r.get(row)), 0, 1);
                }
              }
              store.endRecord();
            }
            store.flush();
          }
          file.startBlock(n);
          pages.flushToFileWriter(file);
          file.endBlock();
        } finally {
          if (store != null) {
            store.close();
          }
          pages.close();
        }
      }
      file.end(new HashMap<>());
      done = true;
    } finally {
      if (!done) {
        file.abort();
      }
      file.close();
    }
  }

  /** A NUMERIC value as {@link ParquetSchemas} declares it. */
  static Binary numeric(io.lumadb.storage.Column c, java.math.BigDecimal v) {
    return c.precision() > 0
        ? Binary.fromConstantByteArray(v.unscaledValue().toByteArray())
        : Binary.fromString(v.toPlainString());
  }

  /**
   * One text column of one row group, dictionary-coded: the distinct values in order of first
   * appearance and one code per row (-1 = NULL). Written as Parquet's own writer would write a
   * dictionary-encoded column (a PLAIN dictionary page, then v1 data pages of RLE definition
   * levels and RLE/bit-packed codes, with statistics), without hashing a value per row.
   */
  private static final class RowGroupDictionary {
    final Binary[] values;
    final int size;
    final long bytes;
    final int[] codes;

    RowGroupDictionary(Binary[] values, int size, long bytes, int[] codes) {
      this.values = values;
      this.size = size;
      this.bytes = bytes;
      this.codes = codes;
    }

    int size() {
      return size;
    }

    /** Bytes of the PLAIN dictionary page. */
    long bytes() {
      return bytes;
    }

    void writePages(PageWriter out, ColumnDescriptor descriptor, ParquetProperties props) throws IOException {
      java.io.ByteArrayOutputStream dict = new java.io.ByteArrayOutputStream((int) bytes);
      byte[] len = new byte[4];
      for (int i = 0; i < size; i++) {
        Binary b = values[i];
        int l = b.length();
        len[0] = (byte) l;
        len[1] = (byte) (l >>> 8);
        len[2] = (byte) (l >>> 16);
        len[3] = (byte) (l >>> 24);
        dict.write(len);
        dict.write(b.getBytesUnsafe());
      }
      int bitWidth = BytesUtils.getWidthFromMaxInt(size - 1);
      int pageRows = Math.max(1, props.getPageRowCountLimit());
      boolean[] seen = new boolean[size];
      for (int from = 0; from < codes.length; from += pageRows) {
        int to = Math.min(codes.length, from + pageRows);
        java.util.Arrays.fill(seen, false);
        Statistics<?> stats = Statistics.createStats(descriptor.getPrimitiveType());
        RunLengthBitPackingHybridValuesWriter levels = new RunLengthBitPackingHybridValuesWriter(1,
            props.getInitialSlabSize(), props.getPageSizeThreshold(), props.getAllocator());
        RunLengthBitPackingHybridEncoder ids = new RunLengthBitPackingHybridEncoder(bitWidth,
            props.getInitialSlabSize(), props.getPageSizeThreshold(), props.getAllocator());
        try {
          int nulls = 0;
          for (int i = from; i < to; i++) {
            int code = codes[i];
            if (code < 0) {
              levels.writeInteger(0);
              nulls++;
              continue;
            }
            levels.writeInteger(1);
            ids.writeInt(code);
            if (!seen[code]) {
              seen[code] = true;
              stats.updateStats(values[code]);
            }
          }
          stats.incrementNumNulls(nulls);
          BytesInput page = BytesInput.concat(levels.getBytes(), BytesInput.from(new byte[] {(byte) bitWidth}),
              ids.toBytes());
          out.writePage(page, to - from, to - from, stats, Encoding.BIT_PACKED, Encoding.RLE,
              Encoding.PLAIN_DICTIONARY);
        } finally {
          levels.close();
          ids.close();
        }
      }
      out.writeDictionaryPage(new DictionaryPage(BytesInput.from(dict.toByteArray()), size, Encoding.PLAIN_DICTIONARY));
    }
  }

  /** UTF-8 bytes of strings, encoded once per distinct value (tags repeat on every row). */
  private static final class BinaryCache {
    private final HashMap<String, Binary> map = new HashMap<>();
    private final String[] dictionary;
    private final Binary[] coded;
    private String last;
    private Binary lastBinary;

    /** Values spelled out, nothing cached: a column of (mostly) distinct values. */
    private final boolean plain;

    BinaryCache(String[] dictionary, boolean plain) {
      this.plain = plain;
      this.dictionary = dictionary;
      this.coded = dictionary == null ? null : new Binary[dictionary.length];
    }

    private static final long CACHE_BYTES = 4L << 20;
    private long cachedBytes;
    private int[] local = new int[0];

    /** Rows {@code order[from..to)} of column {@code r} coded against their own dictionary. */
    RowGroupDictionary rowGroup(ColumnReader r, int[] order, int from, int to, long limit) {
      int n = to - from;
      int[] codes = new int[n];
      Binary[] values = new Binary[16];
      int size = 0;
      long bytes = 0;
      if (coded != null) {
        if (local.length < coded.length) {
          local = new int[coded.length];
        }
        java.util.Arrays.fill(local, 0, coded.length, -1);
        for (int i = 0; i < n; i++) {
          int row = order[from + i];
          if (r.isNull(row)) {
            codes[i] = -1;
            continue;
          }
          int g = r.code(row);
          int l = local[g];
          if (l < 0) {
            l = size++;
            local[g] = l;
            if (l == values.length) {
              values = java.util.Arrays.copyOf(values, l * 2);
            }
            Binary b = binary(r, row);
            values[l] = b;
            bytes += 4 + b.length();
            if (bytes > limit) {
              return null; // too many distinct values for a dictionary page
            }
          }
          codes[i] = l;
        }
      } else {
        HashMap<String, Integer> ids = new HashMap<>();
        String lastS = null;
        int lastId = -1;
        for (int i = 0; i < n; i++) {
          int row = order[from + i];
          if (r.isNull(row)) {
            codes[i] = -1;
            continue;
          }
          String v = (String) r.get(row);
          if (v != lastS) {
            Integer id = ids.get(v);
            if (id == null) {
              id = size++;
              ids.put(v, id);
              if (id == values.length) {
                values = java.util.Arrays.copyOf(values, id * 2);
              }
              Binary b = binary(v);
              values[id] = b;
              bytes += 4 + b.length();
              if (bytes > limit) {
                return null; // too many distinct values for a dictionary page
              }
            }
            lastS = v;
            lastId = id;
          }
          codes[i] = lastId;
        }
      }
      return new RowGroupDictionary(values, size, bytes, codes);
    }

    /** The value of a non-null row. */
    Binary binary(ColumnReader r, int row) {
      if (plain) {
        return Binary.fromConstantByteArray(r.utf8(row));
      }
      if (coded == null) {
        return binary((String) r.get(row));
      }
      int code = r.code(row);
      Binary b = coded[code];
      if (b == null) {
        b = Binary.fromConstantByteArray(dictionary[code].getBytes(StandardCharsets.UTF_8));
        coded[code] = b;
      }
      return b;
    }

    Binary binary(String s) {
      if (plain) {
        return Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
      }
      if (s != last) {
        Binary b = map.get(s);
        if (b == null) {
          b = Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
          if (cachedBytes < CACHE_BYTES) { // high-cardinality text (log bodies) is not kept
            map.put(s, b);
            cachedBytes += 64 + 2L * b.length();
          }
        }
        last = s;
        lastBinary = b;
      }
      return lastBinary;
    }
  }
}
