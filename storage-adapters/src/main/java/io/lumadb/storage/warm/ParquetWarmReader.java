package io.lumadb.storage.warm;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.HeapColumn;
import io.lumadb.storage.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
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

  /**
   * Reads the row groups of {@code file} that {@code keepRowGroup} accepts. {@code schema} is
   * the file's columns; only those with {@code wanted[i]} are decoded.
   */
  public static List<RowGroup> read(Path file, TableSchema schema, boolean[] wanted,
      IntPredicate keepRowGroup) throws IOException {
    List<RowGroup> out = new ArrayList<>();
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), options())) {
      MessageType type = r.getFooter().getFileMetaData().getSchema();
      String createdBy = r.getFooter().getFileMetaData().getCreatedBy();
      List<BlockMetaData> groups = r.getRowGroups();
      for (int g = 0; g < groups.size(); g++) {
        if (!keepRowGroup.test(g)) {
          r.skipNextRowGroup();
          continue;
        }
        PageReadStore pages = r.readNextRowGroup();
        int rows = (int) pages.getRowCount();
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new NoopConverter(type.getFieldCount()), type, createdBy);
        List<ColumnReader> cols = new ArrayList<>(schema.size());
        for (int c = 0; c < schema.size(); c++) {
          if (!wanted[c]) {
            cols.add(null);
            continue;
          }
          Column col = schema.column(c);
          ColumnDescriptor d = type.getColumnDescription(new String[] {col.name()});
          cols.add(readColumn(store.getColumnReader(d), d.getMaxDefinitionLevel(), col, rows));
        }
        out.add(new RowGroup(rows, cols));
      }
    }
    return out;
  }

  private static ColumnReader readColumn(org.apache.parquet.column.ColumnReader cr, int maxDef,
      Column col, int rows) {
    HeapColumn h = new HeapColumn(col.type(), rows);
    for (int i = 0; i < rows; i++) {
      if (cr.getCurrentDefinitionLevel() < maxDef) {
        h.appendNull();
      } else {
        switch (col.type()) {
          case BOOLEAN -> h.appendBoolean(cr.getBoolean());
          case SMALLINT, INTEGER, DATE -> h.appendLong(cr.getInteger());
          case BIGINT, TIMESTAMP -> h.appendLong(cr.getLong());
          case REAL -> h.appendDouble(cr.getFloat());
          case DOUBLE -> h.appendDouble(cr.getDouble());
          case VARCHAR -> h.appendString(cr.getBinary().toStringUsingUTF8());
        }
      }
      cr.consume();
    }
    return h.view();
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
