package io.lumadb.storage.wal;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.HeapColumn;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Serializes WAL record payloads (the framing, LSN and checksum are the log's). */
final class WalCodec {
  private WalCodec() {}

  static byte type(WalRecord r) {
    if (r instanceof WalRecord.CreateTable) {
      return WalRecord.CREATE_TABLE;
    } else if (r instanceof WalRecord.DropTable) {
      return WalRecord.DROP_TABLE;
    } else if (r instanceof WalRecord.AddColumn) {
      return WalRecord.ADD_COLUMN;
    }
    return WalRecord.APPEND_MIXED;
  }

  static void write(WalRecord r, DataOutputStream out) throws IOException {
    out.writeLong(r.tableId());
    if (r instanceof WalRecord.CreateTable c) {
      out.writeUTF(c.name().schema());
      out.writeUTF(c.name().name());
      out.writeUTF(c.options() == null ? "" : c.options());
      writeSchema(c.schema(), out);
    } else if (r instanceof WalRecord.AddColumn a) {
      writeColumn(a.column(), out);
    } else if (r instanceof WalRecord.Append a) {
      writeBatch(a.batch(), out);
    }
  }

  static WalRecord read(byte type, byte[] payload) throws IOException {
    return read(type, payload, 0, payload.length);
  }

  static WalRecord read(byte type, byte[] data, int off, int len) throws IOException {
    ByteArrayDataInput in = new ByteArrayDataInput(data, off, len);
    long tableId = in.readLong();
    WalRecord r = switch (type) {
      case WalRecord.CREATE_TABLE -> {
        TableId name = new TableId(in.readUTF(), in.readUTF());
        String options = in.readUTF();
        yield new WalRecord.CreateTable(tableId, name, readSchema(in), options);
      }
      case WalRecord.DROP_TABLE -> new WalRecord.DropTable(tableId);
      case WalRecord.ADD_COLUMN -> new WalRecord.AddColumn(tableId, readColumn(in));
      case WalRecord.APPEND -> new WalRecord.Append(tableId, readBatch(in, Strings.PLAIN));
      case WalRecord.APPEND_DICT -> new WalRecord.Append(tableId, readBatch(in, Strings.DICTIONARY));
      case WalRecord.APPEND_MIXED -> new WalRecord.Append(tableId, readBatch(in, Strings.PER_COLUMN));
      default -> throw new IOException("unknown record type " + type);
    };
    if (in.remaining() > 0) {
      throw new IOException("record has " + in.remaining() + " trailing bytes");
    }
    return r;
  }

  static byte[] payload(WalRecord r) {
    int estimate = 256;
    if (r instanceof WalRecord.Append a) {
      // Numbers 8 bytes, string codes mostly 1, null bitmaps 1/8, and text spelled out when
      // mostly distinct (counted here by a few values' length): avoid regrowing the buffer.
      ColumnBatch b = a.batch();
      int rows = b.rowCount();
      long e = 256 + (long) rows * (b.schema().size() * 3L + 16);
      for (int c = 0; c < b.schema().size(); c++) {
        if (b.schema().column(c).type().storage() == ColumnType.Storage.STRING && rows > 0) {
          ColumnReader cr = b.column(c).view();
          long chars = 0;
          int seen = 0;
          for (int i = 0; i < rows && seen < 8; i += Math.max(1, rows / 8)) {
            Object v = cr.get(i);
            chars += v == null ? 0 : ((String) v).length() + 4;
            seen++;
          }
          e += chars * rows / seen;
        }
      }
      estimate = (int) Math.min(e, 64L << 20);
    }
    io.lumadb.storage.GrowableBytes buf = new io.lumadb.storage.GrowableBytes(estimate);
    try {
      write(r, new DataOutputStream(buf));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }

  static void writeSchema(TableSchema s, DataOutputStream out) throws IOException {
    out.writeInt(s.size());
    for (Column c : s.columns()) {
      writeColumn(c, out);
    }
  }

  static TableSchema readSchema(java.io.DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("bad column count " + n);
    }
    List<Column> cols = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      cols.add(readColumn(in));
    }
    return new TableSchema(cols);
  }

  private static void writeColumn(Column c, DataOutputStream out) throws IOException {
    out.writeUTF(c.name());
    out.writeByte(c.type().ordinal());
    out.writeBoolean(c.nullable());
    if (c.type() == ColumnType.NUMERIC) {
      out.writeInt(c.typmod()); // only NUMERIC has one: older records stay as they were
    }
  }

  private static Column readColumn(java.io.DataInput in) throws IOException {
    String name = in.readUTF();
    int t = in.readUnsignedByte();
    if (t >= ColumnType.values().length) {
      throw new IOException("bad column type " + t);
    }
    ColumnType type = ColumnType.values()[t];
    boolean nullable = in.readBoolean();
    return new Column(name, type, nullable, type == ColumnType.NUMERIC ? in.readInt() : -1);
  }

  /**
   * A batch: its schema, the row count, then per column a null bitmap and the non-null values.
   * String columns are dictionary-coded ({@link #writeStrings}); numbers are written as raw bits.
   */
  private static void writeBatch(ColumnBatch b, DataOutputStream out) throws IOException {
    writeSchema(b.schema(), out);
    int rows = b.rowCount();
    out.writeInt(rows);
    for (int c = 0; c < b.schema().size(); c++) {
      ColumnType type = b.schema().column(c).type();
      ColumnReader r = b.column(c).view();
      for (int i = 0; i < rows; i += 8) {
        int bits = 0;
        for (int k = 0; k < 8 && i + k < rows; k++) {
          if (r.isNull(i + k)) {
            bits |= 1 << k;
          }
        }
        out.writeByte(bits);
      }
      if (type.storage() == ColumnType.Storage.STRING) {
        writeStrings(r, rows, out);
        continue;
      }
      for (int i = 0; i < rows; i++) {
        if (r.isNull(i)) {
          continue;
        }
        switch (type.storage()) {
          case LONG -> out.writeLong(r.getLong(i));
          // Raw bits: NaN payloads (Prometheus stale markers) must survive.
          case DOUBLE -> out.writeLong(Double.doubleToRawLongBits(r.getDouble(i)));
          case BOOL -> out.writeBoolean((Boolean) r.get(i));
          case OBJECT -> writeObject(type, r.get(i), out);
          case STRING -> throw new AssertionError("written by writeStrings");
        }
      }
    }
  }

  /** How a record's string columns are encoded. */
  private enum Strings { PLAIN, DICTIONARY, PER_COLUMN }

  /** Per-column encoding bytes of {@link WalRecord#APPEND_MIXED}. */
  private static final int DICTIONARY_CODED = 0;
  private static final int SPELLED_OUT = 1;

  /**
   * The non-null strings of a column, after a byte saying how. Dictionary-coded: the number of
   * distinct values, each value, the width of a code (1, 2 or 4 bytes), then one code per
   * non-null row. Tags repeat across a batch, so this is smaller than spelling them out, and
   * replay decodes each distinct value once. A column of mostly distinct values (log bodies,
   * ids; {@link io.lumadb.storage.StringCodes#mostlyDistinct}) is spelled out instead: a
   * dictionary would hash every value and save nothing.
   */
  private static void writeStrings(ColumnReader r, int rows, DataOutputStream out) throws IOException {
    if (io.lumadb.storage.StringCodes.mostlyDistinct(r, null, rows)) {
      out.writeByte(SPELLED_OUT);
      for (int k = 0; k < rows; k++) {
        if (!r.isNull(k)) {
          writeString((String) r.get(k), out);
        }
      }
      return;
    }
    out.writeByte(DICTIONARY_CODED);
    io.lumadb.storage.StringCodes codes = new io.lumadb.storage.StringCodes();
    int[] rowCodes = new int[rows];
    int n = 0;
    for (int i = 0; i < rows; i++) {
      if (!r.isNull(i)) {
        rowCodes[n++] = codes.code((String) r.get(i));
      }
    }
    List<String> values = codes.values();
    out.writeInt(values.size());
    for (String v : values) {
      writeString(v, out);
    }
    int width = codeWidth(values.size());
    out.writeByte(width);
    byte[] packed = new byte[n * width]; // big-endian, as DataOutput writes them
    for (int i = 0, k = 0; i < n; i++) {
      int code = rowCodes[i];
      switch (width) {
        case 1 -> packed[k++] = (byte) code;
        case 2 -> {
          packed[k++] = (byte) (code >>> 8);
          packed[k++] = (byte) code;
        }
        default -> {
          packed[k++] = (byte) (code >>> 24);
          packed[k++] = (byte) (code >>> 16);
          packed[k++] = (byte) (code >>> 8);
          packed[k++] = (byte) code;
        }
      }
    }
    out.write(packed);
  }

  private static int codeWidth(int distinct) {
    return distinct <= 1 << 8 ? 1 : distinct <= 1 << 16 ? 2 : 4;
  }

  /** Reads a batch whose string columns are encoded as {@code strings} says. */
  private static ColumnBatch readBatch(ByteArrayDataInput in, Strings strings) throws IOException {
    TableSchema schema = readSchema(in);
    int rows = in.readInt();
    if (rows < 0 || (schema.size() > 0 && rows > in.remaining() * 8L)) {
      throw new IOException("bad row count " + rows);
    }
    ColumnBatch b = new ColumnBatch(schema, rows);
    byte[] nulls = new byte[(rows + 7) / 8];
    for (int c = 0; c < schema.size(); c++) {
      ColumnType type = schema.column(c).type();
      HeapColumn col = b.column(c);
      in.readFully(nulls);
      String[] dict = null;
      int width = 0;
      boolean coded = strings == Strings.DICTIONARY;
      if (strings == Strings.PER_COLUMN && type.storage() == ColumnType.Storage.STRING) {
        int how = in.readUnsignedByte();
        if (how != DICTIONARY_CODED && how != SPELLED_OUT) {
          throw new IOException("bad string encoding " + how);
        }
        coded = how == DICTIONARY_CODED;
      }
      if (coded && type.storage() == ColumnType.Storage.STRING) {
        dict = readDictionary(in);
        width = in.readUnsignedByte();
        if (width != codeWidth(dict.length)) {
          throw new IOException("bad code width " + width + " for " + dict.length + " values");
        }
      }
      for (int i = 0; i < rows; i++) {
        if ((nulls[i >>> 3] & (1 << (i & 7))) != 0) {
          col.appendNull();
          continue;
        }
        switch (type.storage()) {
          case LONG -> col.appendLong(in.readLong());
          case DOUBLE -> col.appendDouble(Double.longBitsToDouble(in.readLong()));
          case BOOL -> col.appendBoolean(in.readBoolean());
          case STRING -> col.appendString(dict == null ? readString(in) : dict[readCode(in, width, dict.length)]);
          case OBJECT -> col.appendObject(readObject(type, in));
        }
      }
    }
    return b;
  }

  private static String[] readDictionary(ByteArrayDataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.remaining() / 4) { // each value takes at least its 4-byte length
      throw new IOException("bad dictionary size " + n);
    }
    String[] dict = new String[n];
    for (int i = 0; i < n; i++) {
      dict[i] = readString(in);
    }
    return dict;
  }

  private static int readCode(ByteArrayDataInput in, int width, int size) throws IOException {
    int code = switch (width) {
      case 1 -> in.readUnsignedByte();
      case 2 -> in.readUnsignedShort();
      default -> in.readInt();
    };
    if (code < 0 || code >= size) {
      throw new IOException("dictionary code " + code + " out of range (" + size + " values)");
    }
    return code;
  }

  /** BYTEA: length and bytes; NUMERIC: scale, then the unscaled value's two's-complement bytes. */
  private static void writeObject(ColumnType type, Object v, DataOutputStream out) throws IOException {
    byte[] b;
    if (type == ColumnType.NUMERIC) {
      java.math.BigDecimal d = (java.math.BigDecimal) v;
      out.writeInt(d.scale());
      b = d.unscaledValue().toByteArray();
    } else {
      b = ((org.apache.calcite.avatica.util.ByteString) v).getBytes();
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static Object readObject(ColumnType type, ByteArrayDataInput in) throws IOException {
    int scale = type == ColumnType.NUMERIC ? in.readInt() : 0;
    int n = in.readInt();
    if (n < 0 || n > in.remaining()) {
      throw new IOException("bad value length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    if (type == ColumnType.NUMERIC) {
      if (n == 0) {
        throw new IOException("empty numeric value");
      }
      return new java.math.BigDecimal(new java.math.BigInteger(b), scale);
    }
    return new org.apache.calcite.avatica.util.ByteString(b);
  }

  private static void writeString(String s, DataOutputStream out) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(ByteArrayDataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.remaining()) {
      throw new IOException("bad string length " + n);
    }
    return in.readUtf8(n);
  }
}
