package io.lumadb.sql;

import io.lumadb.storage.calcite.QueryCancellation;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;

/** A cursor over a Calcite JDBC result set, normalizing values to the types RowCursor names. */
final class JdbcRowCursor implements RowCursor {
  private final ResultSet rs;
  private final Statement ownedStatement;
  private final QueryCancellation.Token statement;
  private Kind[] kinds;

  /** @param ownedStatement closed with the cursor, or null when the caller keeps it */
  JdbcRowCursor(ResultSet rs, Statement ownedStatement) {
    this(rs, ownedStatement, null);
  }

  /**
   * @param statement the statement whose memory held until its end (Calcite's joins and windows,
   *     {@code MemoryMeter}) is given back when the cursor closes, or null
   */
  JdbcRowCursor(ResultSet rs, Statement ownedStatement, QueryCancellation.Token statement) {
    this.rs = rs;
    this.ownedStatement = ownedStatement;
    this.statement = statement;
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
      switch (kinds()[column]) {
        case TIMESTAMP, TIMESTAMPTZ -> {
          // Calcite holds a timestamp as epoch milliseconds: read them as a number, not through
          // a java.sql.Timestamp and its calendar arithmetic (the JVM runs in UTC, see normalize)
          long ms = rs.getLong(column + 1);
          if (ms == 0 && rs.wasNull()) {
            return null;
          }
          return kinds[column] == Kind.TIMESTAMPTZ ? java.time.Instant.ofEpochMilli(ms) : VectorCursor.timestamp(ms);
        }
        case BARE_NUMERIC -> {
          // a bare NUMERIC prints its value's own digits, as in PostgreSQL (LumaTypeSystem)
          Object v = rs.getObject(column + 1);
          return v instanceof BigDecimal bd ? LumaTypeSystem.unconstrainedValue(bd) : normalize(v, false);
        }
        default -> {
          return normalize(rs.getObject(column + 1), false);
        }
      }
    } catch (SQLException e) {
      throw Errors.translate(e);
    }
  }

  /** How a column's values are read. */
  private enum Kind { TIMESTAMP, TIMESTAMPTZ, BARE_NUMERIC, OTHER }

  /** Each column's {@link Kind}, from the result's metadata on first use. */
  private Kind[] kinds() throws SQLException {
    if (kinds == null) {
      ResultSetMetaData md = rs.getMetaData();
      Kind[] k = new Kind[md.getColumnCount()];
      for (int i = 0; i < k.length; i++) {
        int type = md.getColumnType(i + 1);
        k[i] = type == Types.TIMESTAMP ? (isTimestamptz(md, i + 1) ? Kind.TIMESTAMPTZ : Kind.TIMESTAMP)
            : type == Types.DECIMAL && LumaTypeSystem.isUnconstrainedDecimal(SqlTypeName.DECIMAL,
                md.getPrecision(i + 1), md.getScale(i + 1)) ? Kind.BARE_NUMERIC : Kind.OTHER;
      }
      kinds = k;
    }
    return kinds;
  }

  /** Which columns are TIMESTAMP WITH LOCAL TIME ZONE (PostgreSQL's timestamptz). */
  static boolean[] timestamptzColumns(ResultSetMetaData md) throws SQLException {
    boolean[] z = new boolean[md.getColumnCount()];
    for (int i = 0; i < z.length; i++) {
      z[i] = isTimestamptz(md, i + 1);
    }
    return z;
  }

  /** JDBC calls timestamptz (TIMESTAMP WITH LOCAL TIME ZONE) TIMESTAMP; its type name tells. */
  static boolean isTimestamptz(ResultSetMetaData md, int column) throws SQLException {
    return SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE.getName().equals(md.getColumnTypeName(column));
  }

  /**
   * A value in the types RowCursor names: a timestamptz column's values become Instants
   * (Calcite hands them over as Timestamps of the UTC instant, the JVM running in UTC).
   */
  static Object normalize(Object v, boolean timestamptz) throws SQLException {
    if (v instanceof Timestamp ts) {
      return timestamptz ? ts.toInstant() : ts.toLocalDateTime();
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
    if (v instanceof org.apache.calcite.avatica.util.ByteString b) {
      return b.getBytes(); // VARBINARY (bytea), as RowCursor names it
    }
    if (v instanceof Array a) {
      Object[] items = (Object[]) a.getArray();
      List<Object> out = new ArrayList<>(items.length);
      for (Object item : items) {
        out.add(normalize(item, timestamptz));
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
    } finally {
      if (statement != null) {
        statement.releaseHeld();
      }
    }
  }
}
