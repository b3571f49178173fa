package io.lumadb.sql;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.calcite.QueryCancellation;
import io.lumadb.storage.calcite.ResultVectors;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The rows of a query whose plan is one LumaDB scan, read from the vectors it offers
 * ({@link ResultVectors}) instead of Calcite's result set, which is only kept to be closed.
 * {@link #get} gives the values {@link JdbcRowCursor} would.
 */
final class VectorRowCursor implements VectorCursor {
  private final ResultVectors vectors;
  private final ResultSet rs;
  private final Statement ownedStatement;
  private final Kind[] kinds;
  private final Column[] columns;
  private final ColumnReader[] readers;
  /** Per column, whether its reader is indexed by the row's place in the run (a computed column). */
  private final boolean[] positional;
  /** Per column, the UTF-8 bytes of the values of the dictionary of {@link #dictionaryOf}, made as met. */
  private final byte[][][] dictionaryBytes;
  private final String[][] dictionaryOf;
  private int size;
  private int index;
  private int row;

  private VectorRowCursor(ResultVectors vectors, ResultSet rs, Statement ownedStatement) {
    this.vectors = vectors;
    this.rs = rs;
    this.ownedStatement = ownedStatement;
    int n = vectors.width();
    kinds = new Kind[n];
    columns = new Column[n];
    readers = new ColumnReader[n];
    positional = new boolean[n];
    dictionaryBytes = new byte[n][][];
    dictionaryOf = new String[n][];
    for (int c = 0; c < n; c++) {
      columns[c] = vectors.schemaColumn(c);
      kinds[c] = switch (columns[c].type()) {
        case SMALLINT, INTEGER, BIGINT -> Kind.INTEGER;
        case REAL, DOUBLE -> Kind.FLOAT;
        case VARCHAR, JSON, JSONB -> Kind.TEXT;
        case TIMESTAMP -> Kind.TIMESTAMP;
        case TIMESTAMPTZ -> Kind.TIMESTAMPTZ;
        default -> Kind.OTHER;
      };
    }
  }

  /**
   * The cursor over a query's result just executed: from the vectors its root scan offered, if
   * it did, else from the result set. {@code ownedStatement} (or null) is closed with the cursor.
   * The caller drops any older offer ({@link QueryCancellation#takeResult()}) before executing.
   */
  static RowCursor over(ResultSet rs, Statement ownedStatement) {
    ResultVectors vectors = QueryCancellation.takeResult();
    // a plan that is one scan has none of Calcite's operators, which hold memory to the end
    return vectors != null ? new VectorRowCursor(vectors, rs, ownedStatement)
        : new JdbcRowCursor(rs, ownedStatement, QueryCancellation.current());
  }

  @Override
  public boolean next() {
    try {
      while (++index >= size) {
        if (!vectors.nextBatch()) {
          index = size = 0;
          return false;
        }
        size = vectors.batchSize();
        index = -1;
        for (int c = 0; c < readers.length; c++) {
          readers[c] = vectors.column(c);
          positional[c] = vectors.positional(c);
        }
      }
      row = vectors.row(index);
      return true;
    } catch (RuntimeException e) {
      throw Errors.translate(e);
    }
  }

  @Override
  public Kind kind(int column) {
    return kinds[column];
  }

  /** Where column {@code c}'s reader holds the current row. */
  private int at(int c) {
    return positional[c] ? index : row;
  }

  @Override
  public boolean isNull(int column) {
    return readers[column].isNull(at(column));
  }

  @Override
  public long getLong(int column) {
    return readers[column].getLong(at(column));
  }

  @Override
  public double getDouble(int column) {
    return readers[column].getDouble(at(column));
  }

  @Override
  public byte[] utf8(int column) {
    ColumnReader r = readers[column];
    int row = at(column);
    String[] dict = r.dictionary();
    if (dict == null) {
      return r.utf8(row);
    }
    if (dictionaryOf[column] != dict) {
      dictionaryOf[column] = dict;
      dictionaryBytes[column] = new byte[dict.length][];
    }
    int code = r.code(row);
    byte[] b = dictionaryBytes[column][code];
    if (b == null) {
      b = dict[code].getBytes(StandardCharsets.UTF_8);
      dictionaryBytes[column][code] = b;
    }
    return b;
  }

  @Override
  public Object get(int column) {
    ColumnReader r = readers[column];
    int row = at(column);
    if (r.isNull(row)) {
      return null;
    }
    Column col = columns[column];
    return switch (col.type()) {
      case TIMESTAMP -> VectorCursor.timestamp(r.getLong(row));
      case TIMESTAMPTZ -> Instant.ofEpochMilli(r.getLong(row));
      case DATE -> LocalDate.ofEpochDay(r.getLong(row));
      case BYTEA -> ((org.apache.calcite.avatica.util.ByteString) r.get(row)).getBytes();
      case NUMERIC -> col.precision() > 0 ? r.get(row) : LumaTypeSystem.unconstrainedValue((BigDecimal) r.get(row));
      default -> r.get(row);
    };
  }

  @Override
  public void close() {
    try {
      rs.close(); // closes the scan, which is Calcite's enumerator too
      if (ownedStatement != null) {
        ownedStatement.close();
      }
    } catch (SQLException e) {
      // Closing a Calcite result set does not fail in practice; nothing to recover.
    }
  }
}
