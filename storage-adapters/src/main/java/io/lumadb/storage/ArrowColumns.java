package io.lumadb.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Conversions between LumaDB's table schema and heap columns and Arrow vectors. */
final class ArrowColumns {
  private ArrowColumns() {}

  static Schema arrowSchema(TableSchema schema) {
    List<Field> fields = new ArrayList<>(schema.size());
    for (Column c : schema.columns()) {
      fields.add(new Field(c.name(), new FieldType(c.nullable(), c.type().arrowType(), null), null));
    }
    return new Schema(fields);
  }

  /** Copies rows [0, rowCount) of the readers into a new root allocated from {@code allocator}. */
  static VectorSchemaRoot toArrow(
      TableSchema schema, List<ColumnReader> readers, int rowCount, BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema(schema), allocator);
    try {
      for (int c = 0; c < schema.size(); c++) {
        fill(schema.column(c).type(), root.getVector(c), readers.get(c), rowCount);
      }
      root.setRowCount(rowCount);
      return root;
    } catch (RuntimeException | Error e) {
      root.close();
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
      case TIMESTAMP -> {
        TimeStampMilliVector tv = (TimeStampMilliVector) v;
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
      case VARCHAR -> {
        VarCharVector sv = (VarCharVector) v;
        sv.allocateNew(n);
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
