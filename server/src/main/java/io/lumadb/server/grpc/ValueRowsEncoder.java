package io.lumadb.server.grpc;

import io.lumadb.proto.query.QueryResponse;
import io.lumadb.proto.query.Row;
import io.lumadb.sql.RowCursor;
import java.util.ArrayList;
import java.util.List;

/** The default encoding: one {@link Row} of typed Values per result row. */
final class ValueRowsEncoder implements RowBatchEncoder {
  private final int width;
  private List<Row> rows = new ArrayList<>();
  private long bytes;

  ValueRowsEncoder(int width) {
    this.width = width;
  }

  @Override
  public void add(RowCursor cursor) {
    Row.Builder row = Row.newBuilder();
    for (int i = 0; i < width; i++) {
      row.addValues(ProtoValues.toValue(cursor.get(i)));
    }
    Row built = row.build();
    rows.add(built);
    bytes += built.getSerializedSize() + 4; // field tag and length prefix
  }

  @Override
  public int pendingRows() {
    return rows.size();
  }

  @Override
  public long pendingBytes() {
    return bytes;
  }

  @Override
  public void cutBatch() {}

  @Override
  public void takeInto(QueryResponse.Builder message) {
    message.addAllRows(rows);
    rows = new ArrayList<>();
    bytes = 0;
  }

  @Override
  public void close() {}
}
