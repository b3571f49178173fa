package io.lumadb.sql;

import org.apache.calcite.sql.type.SqlTypeName;

/** One column of a query result: its label and SQL type. */
public record ResultColumn(String name, SqlTypeName type, int precision, int scale) {
  /**
   * The type's name for front ends that name types (gRPC, Avatica): Calcite's, except that
   * json and jsonb (VARCHARs of their marker lengths) are JSON and JSONB.
   */
  public String typeName() {
    if (type == SqlTypeName.VARCHAR && precision == io.lumadb.storage.ColumnType.JSON_PRECISION) {
      return "JSON";
    }
    if (type == SqlTypeName.VARCHAR && precision == io.lumadb.storage.ColumnType.JSONB_PRECISION) {
      return "JSONB";
    }
    return type.getName();
  }
}
