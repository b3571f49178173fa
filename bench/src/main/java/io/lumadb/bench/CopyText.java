package io.lumadb.bench;

import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Rows of the cpu table as PostgreSQL {@code COPY ... FROM STDIN (FORMAT csv)} input, column
 * order as in {@link CpuTable}. Tags never contain commas or quotes, so no quoting is needed.
 */
public final class CopyText {
  private CopyText() {}

  public static byte[] encode(ColumnBatch b) {
    int n = b.rowCount();
    ColumnReader[] cols = new ColumnReader[CpuTable.COLUMNS];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = b.column(c).view();
    }
    int tags = TsbsCpuGenerator.TAGS.size();
    StringBuilder sb = new StringBuilder(n * 160);
    long lastTs = Long.MIN_VALUE;
    String lastTsText = "";
    for (int i = 0; i < n; i++) {
      long ts = cols[0].getLong(i);
      if (ts != lastTs) {
        lastTs = ts;
        lastTsText = timestamp(ts);
      }
      sb.append(lastTsText);
      for (int c = 1; c <= tags; c++) {
        sb.append(',').append((String) cols[c].get(i));
      }
      for (int c = tags + 1; c < cols.length; c++) {
        sb.append(',');
        double v = cols[c].getDouble(i);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
          sb.append((long) v);
        } else {
          sb.append(v);
        }
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Epoch milliseconds as a zone-less timestamp literal, {@code 2016-01-01 00:00:10[.123]}. */
  public static String timestamp(long epochMillis) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
        (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC);
    String s = t.toLocalDate() + " " + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    int ms = t.getNano() / 1_000_000;
    return ms == 0 ? s : s + String.format(".%03d", ms);
  }
}
