package io.lumadb.storage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Conversions between LumaDB's table schema and heap columns and Arrow vectors. */
final class ArrowColumns {
  private ArrowColumns() {}

  private static final ArrowType.Int INDEX_TYPE = new ArrowType.Int(32, true);

  /**
   * The Arrow schema of a sealed segment: text columns are dictionary-encoded (an int32 index
   * per row into the column's dictionary of distinct values), as tags repeat a lot, except
   * those marked {@code plain} (mostly distinct values: log bodies, ids), which are VarChar.
   */
  static Schema arrowSchema(TableSchema schema, boolean[] plain) {
    List<Field> fields = new ArrayList<>(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      Column c = schema.column(i);
      FieldType t = c.type().isText() && !plain[i]
          ? new FieldType(c.nullable(), INDEX_TYPE, new DictionaryEncoding(i, false, INDEX_TYPE))
          : new FieldType(c.nullable(), c.arrowType(), null);
      fields.add(new Field(c.name(), t, null));
    }
    return new Schema(fields);
  }

  /**
   * Vectors of a sealed segment: the root (dictionary indexes for text columns) and, per text
   * column, its dictionary as an Arrow vector and decoded once into Java strings. A plain text
   * column (VarChar in the root) has no dictionary vector; its strings are kept per row.
   */
  record Sealed(VectorSchemaRoot root, List<VarCharVector> dictionaries, List<String[]> decoded)
      implements AutoCloseable {
    long bytes() {
      long n = 0;
      for (var v : root.getFieldVectors()) {
        n += v.getBufferSize();
      }
      for (VarCharVector d : dictionaries) {
        if (d != null) {
          n += d.getBufferSize();
        }
      }
      return n;
    }

    @Override
    public void close() {
      root.close();
      dictionaries.forEach(d -> {
        if (d != null) {
          d.close();
        }
      });
    }
  }

  /** Copies rows [0, rowCount) of the readers into new vectors allocated from {@code allocator}. */
  static Sealed toArrow(
      TableSchema schema, List<ColumnReader> readers, int rowCount, BufferAllocator allocator) {
    boolean[] plain = new boolean[schema.size()];
    for (int c = 0; c < schema.size(); c++) {
      plain[c] = schema.column(c).type().isText()
          && StringCodes.mostlyDistinct(readers.get(c), null, rowCount);
    }
    VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema(schema, plain), allocator);
    List<VarCharVector> dictionaries = new ArrayList<>();
    List<String[]> decoded = new ArrayList<>();
    try {
      for (int c = 0; c < schema.size(); c++) {
        if (plain[c]) {
          // Only the UTF-8 bytes are kept: holding every body as a String too would keep the
          // whole hot tier's text on the heap for the garbage collector to copy and scan.
          fill(ColumnType.VARCHAR, root.getVector(c), readers.get(c), rowCount);
          dictionaries.add(null);
          decoded.add(null);
        } else if (schema.column(c).type().isText()) {
          StringCodes codes = new StringCodes();
          IntVector idx = (IntVector) root.getVector(c);
          idx.allocateNew(rowCount);
          ColumnReader r = readers.get(c);
          for (int i = 0; i < rowCount; i++) {
            String v = (String) r.get(i);
            if (v != null) {
              idx.set(i, codes.code(v));
            }
          }
          List<String> distinct = codes.values();
          idx.setValueCount(rowCount);
          VarCharVector dict = new VarCharVector(schema.column(c).name() + ".dictionary", allocator);
          dictionaries.add(dict);
          dict.allocateNew(distinct.size());
          String[] strings = distinct.toArray(new String[0]);
          for (int i = 0; i < strings.length; i++) {
            dict.setSafe(i, strings[i].getBytes(StandardCharsets.UTF_8));
          }
          dict.setValueCount(strings.length);
          decoded.add(strings);
        } else {
          fill(schema.column(c).type(), root.getVector(c), readers.get(c), rowCount);
          dictionaries.add(null);
          decoded.add(null);
        }
      }
      root.setRowCount(rowCount);
      return new Sealed(root, dictionaries, decoded);
    } catch (RuntimeException | Error e) {
      root.close();
      dictionaries.forEach(d -> {
        if (d != null) {
          d.close();
        }
      });
      throw e;
    }
  }

  private static void fill(ColumnType type, FieldVector v, ColumnReader r, int n) {
    switch (type) {
      case BOOLEAN -> {
        BitVector bv = (BitVector) v;
        bv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            bv.set(i, (Boolean) r.get(i) ? 1 : 0);
          }
        }
      }
      case SMALLINT -> {
        SmallIntVector sv = (SmallIntVector) v;
        sv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            sv.set(i, (short) r.getLong(i));
          }
        }
      }
      case INTEGER -> {
        IntVector iv = (IntVector) v;
        iv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            iv.set(i, (int) r.getLong(i));
          }
        }
      }
      case BIGINT -> {
        BigIntVector lv = (BigIntVector) v;
        lv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            lv.set(i, r.getLong(i));
          }
        }
      }
      case TIMESTAMP, TIMESTAMPTZ -> {
        TimeStampVector tv = (TimeStampVector) v;
        tv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            tv.set(i, r.getLong(i));
          }
        }
      }
      case DATE -> {
        DateDayVector dv = (DateDayVector) v;
        dv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            dv.set(i, (int) r.getLong(i));
          }
        }
      }
      case REAL -> {
        Float4Vector fv = (Float4Vector) v;
        fv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            fv.set(i, (float) r.getDouble(i));
          }
        }
      }
      case DOUBLE -> {
        Float8Vector dv = (Float8Vector) v;
        dv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (!r.isNull(i)) {
            dv.set(i, r.getDouble(i));
          }
        }
      }
      case NUMERIC -> {
        if (v instanceof DecimalVector dv) {
          dv.allocateNew(n);
          for (int i = 0; i < n; i++) {
            if (!r.isNull(i)) {
              dv.set(i, (BigDecimal) r.get(i));
            }
          }
        } else {
          VarCharVector sv = (VarCharVector) v; // unconstrained: the exact plain text
          sv.allocateNew(Math.max(16L * n, 1), n);
          for (int i = 0; i < n; i++) {
            if (!r.isNull(i)) {
              sv.setSafe(i, ((BigDecimal) r.get(i)).toPlainString().getBytes(StandardCharsets.US_ASCII));
            }
          }
        }
      }
      case BYTEA -> {
        VarBinaryVector bv = (VarBinaryVector) v;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
          Object b = r.get(i);
          bytes += b == null ? 0 : ((ByteString) b).length();
        }
        bv.allocateNew(Math.max(bytes, 1), n);
        for (int i = 0; i < n; i++) {
          Object b = r.get(i);
          if (b != null) {
            bv.setSafe(i, ((ByteString) b).getBytes());
          }
        }
      }
      case VARCHAR, JSON, JSONB -> {
        VarCharVector sv = (VarCharVector) v;
        long chars = 0; // the UTF-8 size of ASCII text: one allocation, not a doubling per overflow
        for (int i = 0; i < n; i++) {
          Object s = r.get(i);
          chars += s == null ? 0 : ((String) s).length();
        }
        sv.allocateNew(Math.max(chars, 1), n);
        for (int i = 0; i < n; i++) {
          Object s = r.get(i);
          if (s != null) {
            sv.setSafe(i, ((String) s).getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    v.setValueCount(n);
  }
}
