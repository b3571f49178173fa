package io.lumadb.sql;

import java.util.ArrayList;
import java.util.List;

/** Tests' view of a result: its rows' values as the cursor gives them (RowCursor's types). */
public final class ResultValues {
  private ResultValues() {}

  public static List<List<Object>> of(StatementResult.Rows rows) {
    List<List<Object>> out = new ArrayList<>();
    while (rows.cursor().next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < rows.columns().size(); i++) {
        row.add(rows.cursor().get(i));
      }
      out.add(row);
    }
    return out;
  }
}
