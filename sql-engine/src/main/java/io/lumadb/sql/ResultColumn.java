package io.lumadb.sql;

import org.apache.calcite.sql.type.SqlTypeName;

/** One column of a query result: its label and SQL type. */
public record ResultColumn(String name, SqlTypeName type, int precision, int scale) {}
