package io.lumadb.sql;

import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** A cursor over a Calcite JDBC result set, normalizing values to the types RowCursor names. */
final class JdbcRowCursor implements RowCursor {
  private final ResultSet rs;
  private final Statement ownedStatement;

  /** @param ownedStatement closed with the cursor, or null when the caller keeps it */
  JdbcRowCursor(ResultSet rs, Statement ownedStatement) {
    this.rs = rs;
    this.ownedStatement = ownedStatement;
  }

  @Override
  public boolean next() {
    try {
      return rs.next();
    } catch (SQLException e) {
      throw Errors.translate(e);
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  @Override
  public Object get(int column) {
    try {
      return normalize(rs.getObject(column + 1));
    } catch (SQLException e) {
      throw Errors.translate(e);
    }
  }

  static Object normalize(Object v) throws SQLException {
    if (v instanceof Timestamp ts) {
      return ts.toLocalDateTime();
    }
    if (v instanceof Date d) {
      return d.toLocalDate();
    }
    if (v instanceof Time t) {
      return t.toLocalTime();
    }
    if (v instanceof Byte b) {
      return (short) b;
    }
    if (v instanceof Array a) {
      Object[] items = (Object[]) a.getArray();
      List<Object> out = new ArrayList<>(items.length);
      for (Object item : items) {
        out.add(normalize(item));
      }
      return out;
    }
    return v;
  }

  @Override
  public void close() {
    try {
      rs.close();
      if (ownedStatement != null) {
        ownedStatement.close();
      }
    } catch (SQLException e) {
      // Closing a Calcite result set does not fail in practice; nothing to recover.
    }
  }
}
