package io.lumadb.server.avatica;

import io.lumadb.sql.PreparedQuery;
import io.lumadb.sql.ResultColumn;
import io.lumadb.sql.RowCursor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.Meta;

/**
 * One Avatica statement of a connection: its prepared query (for {@code prepare}), and the
 * result being fetched, whose cursor stays open between fetches. Used on the connection's
 * thread only.
 */
final class MetaStatement {
  /** Rows in a frame when the client leaves it to the server. */
  static final int DEFAULT_FRAME_ROWS = 1000;
  /** The most rows in one frame, whatever the client asks for: frames are built in memory. */
  static final int MAX_FRAME_ROWS = 100_000;

  final int id;
  PreparedQuery prepared;
  Meta.Signature signature;
  /** The statement's total row limit (Statement.setMaxRows), 0 or less for none. */
  long maxRowCount;

  private RowCursor cursor;
  private int[] jdbcTypes;
  private long offset;
  private long remaining;

  MetaStatement(int id) {
    this.id = id;
  }

  /** Starts fetching a result; a result still open is closed first. */
  void open(List<ResultColumn> columns, RowCursor rows, long maxRows) {
    closeResult();
    cursor = rows;
    jdbcTypes = new int[columns.size()];
    for (int i = 0; i < jdbcTypes.length; i++) {
      jdbcTypes[i] = AvaticaTypes.jdbcType(columns.get(i).type());
    }
    offset = 0;
    remaining = maxRows > 0 ? maxRows : -1;
  }

  boolean hasResult() {
    return jdbcTypes != null;
  }

  /**
   * The next frame of at most {@code maxRows} rows (the server's default for 0 or less). The
   * last frame says done and closes the cursor; fetching after it gives empty done frames.
   */
  Meta.Frame frame(int maxRows) {
    int limit = maxRows > 0 ? Math.min(maxRows, MAX_FRAME_ROWS) : DEFAULT_FRAME_ROWS;
    if (remaining >= 0) {
      limit = (int) Math.min(limit, remaining);
    }
    List<Object> rows = new ArrayList<>(Math.min(limit, 1024));
    boolean done = cursor == null;
    while (!done && rows.size() < limit) {
      if (!cursor.next()) {
        done = true;
        break;
      }
      Object[] row = new Object[jdbcTypes.length];
      if (cursor instanceof io.lumadb.sql.VectorCursor v) {
        for (int i = 0; i < row.length; i++) {
          row[i] = AvaticaTypes.frameValue(v, i, jdbcTypes[i]);
        }
      } else {
        for (int i = 0; i < row.length; i++) {
          row[i] = AvaticaTypes.toFrameValue(cursor.get(i), jdbcTypes[i]);
        }
      }
      rows.add(Arrays.asList(row));
    }
    if (remaining >= 0) {
      remaining -= rows.size();
      done |= remaining == 0;
    }
    Meta.Frame frame = new Meta.Frame(offset, done, rows);
    offset += rows.size();
    if (done) {
      closeCursor();
    }
    return frame;
  }

  private void closeCursor() {
    if (cursor != null) {
      RowCursor c = cursor;
      cursor = null;
      c.close();
    }
  }

  /** Ends the current result (its cursor and the snapshot it holds). */
  void closeResult() {
    closeCursor();
    jdbcTypes = null;
  }

  /** Ends the result and the prepared query. */
  void close() {
    closeResult();
    if (prepared != null) {
      prepared.close();
      prepared = null;
    }
  }
}
