package io.lumadb.sql;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows arriving for {@code COPY t FROM STDIN}, as chunks of bytes in text or CSV format. Rows
 * are parsed and converted as they come and appended to the table in one batch at the end:
 * a COPY that fails anywhere loads nothing.
 */
public final class CopyIn {
  private final StorageEngine storage;
  private final LumaTable table;
  private final TableId id;
  private final List<Column> targets;
  private final CopyFormat format;
  private final ColumnBatch batch;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private long line;
  private boolean headerSkipped;
  private boolean endMarker;

  CopyIn(StorageEngine storage, LumaTable table, List<Column> targets, CopyFormat format) {
    this.storage = storage;
    this.table = table;
    this.id = table.id();
    this.targets = targets;
    this.format = format;
    this.batch = new ColumnBatch(new TableSchema(targets), 1024);
  }

  /** Number of columns each row has. */
  public int columnCount() {
    return targets.size();
  }

  /** Takes the next chunk of COPY data; complete records in it are parsed now. */
  public void accept(byte[] chunk) {
    pending.write(chunk, 0, chunk.length);
    byte[] buf = pending.toByteArray();
    int consumed = parseRecords(buf, false);
    pending.reset();
    pending.write(buf, consumed, buf.length - consumed);
  }

  /** End of data: parses what is left and appends every row; returns the row count. */
  public long finish() {
    byte[] rest = pending.toByteArray();
    pending.reset();
    parseRecords(rest, true);
    if (batch.rowCount() > 0) {
      storage.append(table, batch);
    }
    return batch.rowCount();
  }

  /** Parses whole records from {@code buf}; returns how many bytes were used. */
  private int parseRecords(byte[] buf, boolean last) {
    int pos = 0;
    while (pos < buf.length && !endMarker) {
      int end = format.csv() ? csvRecordEnd(buf, pos) : indexOf(buf, (byte) '\n', pos);
      if (end < 0) {
        if (!last) {
          return pos;
        }
        end = buf.length;
      }
      String record = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
      if (record.endsWith("\r")) {
        record = record.substring(0, record.length() - 1);
      }
      pos = Math.min(buf.length, end + 1);
      line++;
      if (format.header() && !headerSkipped) {
        headerSkipped = true;
        continue;
      }
      if (record.equals("\\.")) {
        endMarker = true;
        break;
      }
      if (record.isEmpty() && last && pos >= buf.length) {
        break;
      }
      addRow(format.csv() ? splitCsv(record) : splitText(record));
    }
    return endMarker ? buf.length : pos;
  }

  private void addRow(List<String> fields) {
    if (fields.size() != targets.size()) {
      throw new LumaException("22P04", "COPY line " + line + ": expected " + targets.size()
          + " columns, got " + fields.size());
    }
    Object[] row = new Object[fields.size()];
    for (int i = 0; i < row.length; i++) {
      Column c = targets.get(i);
      try {
        row[i] = ValueCoercion.toColumn(fields.get(i), c.type(), c.name());
      } catch (LumaException e) {
        throw new LumaException(e.sqlState(), "COPY " + id.name() + ", line " + line + ", column "
            + c.name() + ": " + e.getMessage());
      }
      if (row[i] == null && !c.nullable()) {
        throw new LumaException("23502", "COPY " + id.name() + ", line " + line
            + ": null value in column \"" + c.name() + "\" violates not-null constraint");
      }
    }
    batch.appendRow(row);
  }

  private static int indexOf(byte[] b, byte v, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /** The newline ending a CSV record that starts at {@code from} (newlines in quotes skipped). */
  private static int csvRecordEnd(byte[] b, int from) {
    boolean quoted = false;
    for (int i = from; i < b.length; i++) {
      if (b[i] == '"') {
        quoted = !quoted;
      } else if (b[i] == '\n' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  private List<String> splitText(String record) {
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean raw = true;
    for (int i = 0; i <= record.length(); i++) {
      if (i == record.length() || record.charAt(i) == format.delimiter()) {
        String v = f.toString();
        out.add(raw && v.equals(format.nullString()) ? null : v);
        f.setLength(0);
        raw = true;
        continue;
      }
      char c = record.charAt(i);
      if (c == '\\' && i + 1 < record.length()) {
        char e = record.charAt(++i);
        if (e == 'N' && format.nullString().equals("\\N")) {
          f.append("\\N");
          continue;
        }
        raw = false;
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
    return out;
  }

  private List<String> splitCsv(String record) {
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i <= record.length(); i++) {
      if (i == record.length() || (!quoted && record.charAt(i) == format.delimiter())) {
        String v = f.toString();
        out.add(!wasQuoted && v.equals(format.nullString()) ? null : v);
        f.setLength(0);
        wasQuoted = false;
        continue;
      }
      char c = record.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < record.length() && record.charAt(i + 1) == '"') {
          f.append('"');
          i++;
        } else {
          quoted = !quoted;
          wasQuoted = true;
        }
      } else {
        f.append(c);
      }
    }
    if (quoted) {
      throw new LumaException("22P04", "COPY line " + line + ": unterminated CSV quoted field");
    }
    return out;
  }
}
