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
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
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
    Builder builder = new Builder(new LocalOutputFile(tmp), type, schema, columns)
        .withConf(new PlainParquetConfiguration())
        .withCodecFactory(ZstdCodecFactory.INSTANCE)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withRowGroupRowCountLimit(ROW_GROUP_ROWS)
        .withDictionaryEncoding(true);
    for (var c : schema.columns()) {
      if (c.type() == io.lumadb.storage.ColumnType.DOUBLE || c.type() == io.lumadb.storage.ColumnType.REAL) {
        // A dictionary keys doubles by value and would merge NaN payloads (stale markers).
        builder = builder.withDictionaryEncoding(c.name(), false);
      }
    }
    try {
      try (ParquetWriter<Integer> w = builder.build()) {
        for (int row : order) {
          w.write(row);
        }
      }
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

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final MessageType type;
    private final TableSchema schema;
    private final List<ColumnReader> columns;

    Builder(OutputFile out, MessageType type, TableSchema schema, List<ColumnReader> columns) {
      super(out);
      this.type = type;
      this.schema = schema;
      this.columns = columns;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(type, schema, columns);
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration conf) {
      return new RowWriteSupport(type, schema, columns);
    }
  }

  /** Writes "row i of the column readers" as one Parquet record. */
  private static final class RowWriteSupport extends WriteSupport<Integer> {
    private final MessageType type;
    private final TableSchema schema;
    private final List<ColumnReader> columns;
    private RecordConsumer out;

    RowWriteSupport(MessageType type, TableSchema schema, List<ColumnReader> columns) {
      this.type = type;
      this.schema = schema;
      this.columns = columns;
    }

    @Override
    public WriteContext init(Configuration conf) {
      return new WriteContext(type, new HashMap<>());
    }

    @Override
    public WriteContext init(ParquetConfiguration conf) {
      return new WriteContext(type, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer consumer) {
      this.out = consumer;
    }

    @Override
    public void write(Integer boxed) {
      int row = boxed;
      out.startMessage();
      for (int c = 0; c < columns.size(); c++) {
        ColumnReader r = columns.get(c);
        if (r.isNull(row)) {
          continue;
        }
        String name = schema.column(c).name();
        out.startField(name, c);
        switch (schema.column(c).type()) {
          case BOOLEAN -> out.addBoolean((Boolean) r.get(row));
          case SMALLINT, INTEGER, DATE -> out.addInteger((int) r.getLong(row));
          case BIGINT, TIMESTAMP -> out.addLong(r.getLong(row));
          case REAL -> out.addFloat((float) r.getDouble(row));
          case DOUBLE -> out.addDouble(r.getDouble(row));
          case VARCHAR -> out.addBinary(Binary.fromConstantByteArray(
              ((String) r.get(row)).getBytes(StandardCharsets.UTF_8)));
        }
        out.endField(name, c);
      }
      out.endMessage();
    }
  }
}
