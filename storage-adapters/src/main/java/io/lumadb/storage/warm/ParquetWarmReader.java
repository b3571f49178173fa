package io.lumadb.storage.warm;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.HeapColumn;
import io.lumadb.storage.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a warm Parquet file column by column into heap columns, one row group at a time,
 * skipping row groups the caller rules out from their statistics.
 */
public final class ParquetWarmReader {
  private ParquetWarmReader() {}

  /** One row group: its row count and one reader per requested column (null = not read). */
  public record RowGroup(int rowCount, List<ColumnReader> columns) {}

  static ParquetReadOptions options() {
    return ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withCodecFactory(ZstdCodecFactory.INSTANCE)
        .build();
  }

  /** Row-group metadata (row counts and column statistics) without reading data. */
  public static List<BlockMetaData> rowGroups(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), options())) {
      return r.getRowGroups();
    }
  }

  /** Receives one decoded column of one row group. */
  public interface ColumnSink {
    void accept(int rowGroup, int column, HeapColumn values) throws IOException;
  }

  /**
   * Decodes, for each row group {@code g} with a non-null {@code wanted.apply(g)}, the columns
   * {@code c} of {@code schema} (the file's columns) with {@code wanted.apply(g)[c]}, and hands
   * each to {@code sink}; other row groups are skipped unread.
   */
  public static void read(Path file, TableSchema schema, IntFunction<boolean[]> wanted, ColumnSink sink)
      throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), options())) {
      MessageType type = r.getFooter().getFileMetaData().getSchema();
      String createdBy = r.getFooter().getFileMetaData().getCreatedBy();
      List<BlockMetaData> groups = r.getRowGroups();
      for (int g = 0; g < groups.size(); g++) {
        boolean[] cols = wanted.apply(g);
        if (cols == null) {
          r.skipNextRowGroup();
          continue;
        }
        PageReadStore pages = r.readNextRowGroup();
        int rows = (int) pages.getRowCount();
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new NoopConverter(type.getFieldCount()), type, createdBy);
        for (int c = 0; c < schema.size(); c++) {
          if (cols[c]) {
            Column col = schema.column(c);
            ColumnDescriptor d = type.getColumnDescription(new String[] {col.name()});
            sink.accept(g, c, readColumn(store.getColumnReader(d), d.getMaxDefinitionLevel(), col, rows));
          }
        }
      }
    }
  }

  private static HeapColumn readColumn(org.apache.parquet.column.ColumnReader cr, int maxDef,
      Column col, int rows) {
    HeapColumn h = new HeapColumn(col.type(), rows);
    // A dictionary-encoded page hands out the same Binary for the same value, and files are
    // sorted by their tags: consecutive equal values share one String.
    org.apache.parquet.io.api.Binary lastBinary = null;
    String lastString = null;
    for (int i = 0; i < rows; i++) {
      if (cr.getCurrentDefinitionLevel() < maxDef) {
        h.appendNull();
      } else {
        switch (col.type()) {
          case BOOLEAN -> h.appendBoolean(cr.getBoolean());
          case SMALLINT, INTEGER, DATE -> h.appendLong(cr.getInteger());
          case BIGINT, TIMESTAMP, TIMESTAMPTZ -> h.appendLong(cr.getLong());
          case REAL -> h.appendDouble(cr.getFloat());
          case DOUBLE -> h.appendDouble(cr.getDouble());
          case BYTEA -> h.appendObject(new org.apache.calcite.avatica.util.ByteString(cr.getBinary().getBytes()));
          case NUMERIC -> h.appendObject(col.precision() > 0
              ? new java.math.BigDecimal(new java.math.BigInteger(cr.getBinary().getBytes()), col.scale())
              : new java.math.BigDecimal(cr.getBinary().toStringUsingUTF8()));
          case VARCHAR, JSON, JSONB -> {
            org.apache.parquet.io.api.Binary b = cr.getBinary();
            if (b != lastBinary) {
              lastBinary = b;
              lastString = b.toStringUsingUTF8();
            }
            h.appendString(lastString);
          }
        }
      }
      cr.consume();
    }
    return h;
  }

  /** The column readers need a converter tree; values are read from the readers directly. */
  private static final class NoopConverter extends GroupConverter {
    private final PrimitiveConverter leaf = new PrimitiveConverter() { };
    private final int fields;

    NoopConverter(int fields) {
      this.fields = fields;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      if (fieldIndex < 0 || fieldIndex >= fields) {
        throw new IndexOutOfBoundsException(fieldIndex);
      }
      return leaf;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
