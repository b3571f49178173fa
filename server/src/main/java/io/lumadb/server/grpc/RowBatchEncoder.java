package io.lumadb.server.grpc;

import io.lumadb.proto.query.QueryResponse;
import io.lumadb.sql.RowCursor;

/**
 * Collects result rows into the body of QueryResponse messages in one encoding. Rows are
 * added one at a time; {@link #takeInto} moves what was collected into a message and starts
 * the next one empty.
 */
sealed interface RowBatchEncoder extends AutoCloseable permits ValueRowsEncoder, ArrowIpcEncoder {
  /** Adds the cursor's current row. */
  void add(RowCursor row);

  /** Rows added since the last {@link #takeInto}. */
  int pendingRows();

  /** About how many bytes the message would have now. */
  long pendingBytes();

  /** Ends a record batch inside the message (Arrow); the message goes on collecting rows. */
  void cutBatch();

  /** Puts the collected rows into {@code message} and starts afresh. */
  void takeInto(QueryResponse.Builder message);

  @Override
  void close();
}
