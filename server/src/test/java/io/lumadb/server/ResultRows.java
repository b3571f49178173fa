package io.lumadb.server;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A JDBC result as strings that tests compare: one per row, values joined by {@code |}. */
final class ResultRows {
  private ResultRows() {}

  static List<String> of(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i <= n; i++) {
        b.append(i > 1 ? "|" : "").append(rs.getString(i));
      }
      out.add(b.toString());
    }
    return out;
  }

  /** "name type" for each column, with the server's type names (int4, text, ...). */
  static List<String> columnTypes(ResultSetMetaData md) throws SQLException {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      out.add(md.getColumnName(i) + " " + md.getColumnTypeName(i));
    }
    return out;
  }
}
