package io.lumadb.sql;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.HeapColumn;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Rows arriving for {@code COPY t FROM STDIN}, as chunks of bytes in text or CSV format. Rows
 * are parsed and converted as they come and appended to the table in one batch at the end:
 * a COPY that fails anywhere loads nothing.
 *
 * <p>Bulk loads are the hot path here, so fields are read straight from the bytes: a field
 * without quotes or escapes is converted without making a String (whole numbers, decimals and
 * {@code yyyy-MM-dd HH:mm:ss[.fff]} timestamps have fast parsers; text values go through a
 * small per-column cache, since tags repeat), and only the rest goes through
 * {@link ValueCoercion}, which decides every value the fast parsers do not take.
 */
public final class CopyIn {
  private final StorageEngine storage;
  private final LumaTable table;
  private final TableId id;
  private final List<Column> targets;
  private final CopyFormat format;
  private final ColumnBatch batch;
  private final HeapColumn[] columns;
  /** The current row's converted values, per column: what kind, and the value in its slot. */
  private static final byte NULL = 0;
  private static final byte LONG = 1;
  private static final byte DOUBLE = 2;
  private static final byte OBJECT = 3;
  private final byte[] kinds;
  private final long[] longs;
  private final double[] doubles;
  private final Object[] objects;
  private final StringCache[] caches;
  private final byte delimiter;
  private final byte[] nullBytes;
  /** Received bytes not yet parsed (an incomplete record), at the start of the array. */
  private byte[] pending = new byte[0];
  private int pendingLength;
  /** Field bounds of the current record: start and end offsets, and whether it needs unescaping. */
  private int[] fieldStart = new int[16];
  private int[] fieldEnd = new int[16];
  private boolean[] fieldEscaped = new boolean[16];
  private long line;
  private boolean headerSkipped;
  private boolean endMarker;

  /** The session's time zone, for timestamptz text without an offset; UTC's takes the fast path. */
  private final java.time.ZoneId zone;
  private final boolean utc;

  CopyIn(StorageEngine storage, LumaTable table, List<Column> targets, CopyFormat format, java.time.ZoneId zone) {
    this.storage = storage;
    this.zone = zone;
    this.utc = java.time.ZoneOffset.UTC.equals(zone.normalized());
    this.table = table;
    this.id = table.id();
    this.targets = targets;
    this.format = format;
    this.batch = new ColumnBatch(new TableSchema(targets), 1024);
    this.columns = new HeapColumn[targets.size()];
    this.caches = new StringCache[targets.size()];
    this.kinds = new byte[targets.size()];
    this.longs = new long[targets.size()];
    this.doubles = new double[targets.size()];
    this.objects = new Object[targets.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = batch.column(i);
      if (targets.get(i).type() == ColumnType.VARCHAR) {
        caches[i] = new StringCache();
      }
    }
    this.delimiter = (byte) format.delimiter(); // the parser allows one-byte delimiters only
    this.nullBytes = format.nullString().getBytes(StandardCharsets.UTF_8);
  }

  /** Number of columns each row has. */
  public int columnCount() {
    return targets.size();
  }

  /** Takes the next chunk of COPY data; complete records in it are parsed now. */
  public void accept(byte[] chunk) {
    if (endMarker) {
      return;
    }
    byte[] buf;
    int length;
    if (pendingLength == 0) {
      buf = chunk;
      length = chunk.length;
    } else {
      if (pending.length < pendingLength + chunk.length) {
        pending = Arrays.copyOf(pending, Math.max(pendingLength + chunk.length, pending.length * 2));
      }
      System.arraycopy(chunk, 0, pending, pendingLength, chunk.length);
      buf = pending;
      length = pendingLength + chunk.length;
    }
    int consumed = parseRecords(buf, length, false);
    int rest = length - consumed;
    if (rest > 0 && buf == chunk) {
      if (pending.length < rest) {
        pending = new byte[Math.max(rest, 8192)];
      }
      System.arraycopy(chunk, consumed, pending, 0, rest);
    } else if (rest > 0) {
      System.arraycopy(pending, consumed, pending, 0, rest);
    }
    pendingLength = rest;
  }

  /** End of data: parses what is left and appends every row; returns the row count. */
  public long finish() {
    if (!endMarker && pendingLength > 0) {
      parseRecords(pending, pendingLength, true);
    }
    pendingLength = 0;
    if (batch.rowCount() > 0) {
      storage.append(table, batch);
    }
    return batch.rowCount();
  }

  /** Parses whole records from {@code buf[0, length)}; returns how many bytes were used. */
  private int parseRecords(byte[] buf, int length, boolean last) {
    int pos = 0;
    while (pos < length && !endMarker) {
      int end = format.csv() ? csvRecordEnd(buf, pos, length) : indexOf(buf, (byte) '\n', pos, length);
      if (end < 0) {
        if (!last) {
          return pos;
        }
        end = length;
      }
      int recordEnd = end > pos && buf[end - 1] == '\r' ? end - 1 : end;
      int start = pos;
      pos = Math.min(length, end + 1);
      line++;
      if (format.header() && !headerSkipped) {
        headerSkipped = true;
        continue;
      }
      if (recordEnd - start == 2 && buf[start] == '\\' && buf[start + 1] == '.') {
        endMarker = true;
        break;
      }
      if (recordEnd == start && last && pos >= length) {
        break;
      }
      int fields = format.csv() ? splitCsv(buf, start, recordEnd) : splitText(buf, start, recordEnd);
      addRow(buf, fields);
    }
    return endMarker ? length : pos;
  }

  private void addRow(byte[] buf, int fields) {
    if (fields != columns.length) {
      throw new LumaException("22P04", "COPY line " + line + ": expected " + columns.length
          + " columns, got " + fields);
    }
    // Convert every field first: a row with a bad value leaves no column longer than another.
    for (int i = 0; i < fields; i++) {
      convert(i, buf, fieldStart[i], fieldEnd[i], fieldEscaped[i]);
    }
    for (int i = 0; i < fields; i++) {
      HeapColumn col = columns[i];
      switch (kinds[i]) {
        case NULL -> col.appendNull();
        case LONG -> col.appendLong(longs[i]);
        case DOUBLE -> col.appendDouble(doubles[i]);
        default -> col.append(objects[i]);
      }
      objects[i] = null;
    }
  }

  /** Converts field {@code i} of the current record into the scratch slot {@code i}. */
  private void convert(int i, byte[] buf, int from, int to, boolean escaped) {
    // NULL is the null string as written: in text even when it holds backslashes (\N), in CSV unquoted only.
    if ((!escaped || !format.csv()) && isNull(buf, from, to)) {
      Column c = targets.get(i);
      if (!c.nullable()) {
        throw new LumaException("23502", "COPY " + id.name() + ", line " + line
            + ": null value in column \"" + c.name() + "\" violates not-null constraint");
      }
      kinds[i] = NULL;
      return;
    }
    if (!escaped) {
      switch (targets.get(i).type()) {
        case DOUBLE, REAL -> {
          double d = FastParse.decimal(buf, from, to);
          if (!Double.isNaN(d)) {
            kinds[i] = DOUBLE;
            doubles[i] = d;
            return;
          }
        }
        case BIGINT, INTEGER, SMALLINT -> {
          if (FastParse.isWholeNumber(buf, from, to)) {
            long v = FastParse.wholeNumber(buf, from, to);
            ColumnType t = targets.get(i).type();
            if (t == ColumnType.BIGINT || (t == ColumnType.INTEGER ? v == (int) v : v == (short) v)) {
              kinds[i] = LONG;
              longs[i] = v;
              return;
            }
          }
        }
        case TIMESTAMP, TIMESTAMPTZ -> {
          // timestamptz without an offset is read in the session's zone: the fast path is UTC's
          long ms = targets.get(i).type() == ColumnType.TIMESTAMP || utc
              ? FastParse.timestampMillis(buf, from, to) : Long.MIN_VALUE;
          if (ms != Long.MIN_VALUE) {
            kinds[i] = LONG;
            longs[i] = ms;
            return;
          }
        }
        case VARCHAR -> {
          kinds[i] = OBJECT;
          objects[i] = caches[i].get(buf, from, to);
          return;
        }
        default -> {
          // through ValueCoercion below
        }
      }
    }
    String text = escaped ? unescape(buf, from, to) : new String(buf, from, to - from, StandardCharsets.UTF_8);
    Column c = targets.get(i);
    try {
      objects[i] = ValueCoercion.toColumn(text, c, zone);
    } catch (LumaException e) {
      throw new LumaException(e.sqlState(), "COPY " + id.name() + ", line " + line + ", column "
          + c.name() + ": " + e.getMessage());
    }
    kinds[i] = OBJECT;
  }

  private boolean isNull(byte[] buf, int from, int to) {
    return to - from == nullBytes.length && Arrays.equals(buf, from, to, nullBytes, 0, nullBytes.length);
  }

  // ---- splitting ----

  private void field(int n, int from, int to, boolean escaped) {
    if (n == fieldStart.length) {
      fieldStart = Arrays.copyOf(fieldStart, n * 2);
      fieldEnd = Arrays.copyOf(fieldEnd, n * 2);
      fieldEscaped = Arrays.copyOf(fieldEscaped, n * 2);
    }
    fieldStart[n] = from;
    fieldEnd[n] = to;
    fieldEscaped[n] = escaped;
  }

  /** Text format: fields separated by the delimiter; a backslash escapes the next byte. */
  private int splitText(byte[] b, int from, int to) {
    int n = 0;
    int start = from;
    boolean escaped = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\\') {
        escaped = true;
        i++; // the escaped byte is never a separator
      } else if (c == delimiter) {
        field(n++, start, i, escaped);
        start = i + 1;
        escaped = false;
      }
    }
    field(n++, start, Math.min(to, Math.max(start, to)), escaped);
    return n;
  }

  /**
   * CSV: fields separated by the delimiter outside quotes. A field with quotes is marked
   * escaped (its bounds include them); an unquoted field equal to the null string is NULL.
   */
  private int splitCsv(byte[] b, int from, int to) {
    int n = 0;
    int start = from;
    boolean quoted = false;
    boolean hadQuote = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '"') {
        quoted = !quoted;
        hadQuote = true;
      } else if (c == delimiter && !quoted) {
        field(n++, start, i, hadQuote);
        start = i + 1;
        hadQuote = false;
      }
    }
    if (quoted) {
      throw new LumaException("22P04", "COPY line " + line + ": unterminated CSV quoted field");
    }
    field(n++, start, to, hadQuote);
    return n;
  }

  /** The value of a field that has escapes (text) or quotes (CSV). */
  private String unescape(byte[] b, int from, int to) {
    String raw = new String(b, from, to - from, StandardCharsets.UTF_8);
    StringBuilder f = new StringBuilder(raw.length());
    if (format.csv()) {
      boolean quoted = false;
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '"') {
          if (quoted && i + 1 < raw.length() && raw.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else {
            quoted = !quoted;
          }
        } else {
          f.append(c);
        }
      }
      return f.toString();
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        char e = raw.charAt(++i);
        f.append(switch (e) {
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'v' -> '\u000b';
          default -> e;
        });
      } else {
        f.append(c);
      }
    }
    return f.toString();
  }

  private static int indexOf(byte[] b, byte v, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** The newline ending a CSV record that starts at {@code from} (newlines in quotes skipped). */
  private static int csvRecordEnd(byte[] b, int from, int to) {
    boolean quoted = false;
    for (int i = from; i < to; i++) {
      if (b[i] == '"') {
        quoted = !quoted;
      } else if (b[i] == '\n' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The last strings made from each bucket of byte sequences: tag values repeat, so most fields
   * of a bulk load find their String here instead of allocating one.
   */
  private static final class StringCache {
    private static final int SLOTS = 1024;
    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    String get(byte[] b, int from, int to) {
      int h = 1;
      for (int i = from; i < to; i++) {
        h = 31 * h + b[i];
      }
      int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
      byte[] k = keys[slot];
      if (k != null && Arrays.equals(k, 0, k.length, b, from, to)) {
        return values[slot];
      }
      String s = new String(b, from, to - from, StandardCharsets.UTF_8);
      if (to - from <= 256) {
        keys[slot] = Arrays.copyOfRange(b, from, to);
        values[slot] = s;
      }
      return s;
    }
  }
}
