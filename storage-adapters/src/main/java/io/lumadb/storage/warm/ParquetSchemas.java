package io.lumadb.storage.warm;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** LumaDB column types as plain Parquet types that DuckDB, Spark and Trino read. */
final class ParquetSchemas {
  private ParquetSchemas() {}

  static MessageType messageType(TableSchema schema) {
    List<Type> fields = new ArrayList<>();
    for (Column c : schema.columns()) {
      fields.add(field(c));
    }
    return new MessageType("lumadb", fields);
  }

  private static Type field(Column c) {
    var b = switch (c.type()) {
      case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN);
      case SMALLINT -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, true));
      case INTEGER -> Types.optional(PrimitiveTypeName.INT32);
      case BIGINT -> Types.optional(PrimitiveTypeName.INT64);
      case REAL -> Types.optional(PrimitiveTypeName.FLOAT);
      case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE);
      case VARCHAR -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType());
      case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MILLIS));
      case TIMESTAMPTZ -> Types.optional(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS));
      case DATE -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType());
      case BYTEA -> Types.optional(PrimitiveTypeName.BINARY);
      case JSON, JSONB -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType());
      // numeric(p,s): the unscaled value's two's-complement bytes; unconstrained: its plain text
      case NUMERIC -> c.precision() > 0
          ? Types.optional(PrimitiveTypeName.BINARY)
              .as(LogicalTypeAnnotation.decimalType(c.scale(), c.precision()))
          : Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType());
    };
    return b.named(c.name());
  }

  static boolean isInt32(ColumnType t) {
    return t == ColumnType.SMALLINT || t == ColumnType.INTEGER || t == ColumnType.DATE;
  }
}
