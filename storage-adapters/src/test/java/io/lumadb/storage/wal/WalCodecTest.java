package io.lumadb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WalCodecTest {
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("tag", ColumnType.VARCHAR),
      Column.of("v", ColumnType.DOUBLE)));

  /**
   * Rows whose tag takes {@code distinct} values, each twice in a row (every 7th NULL), v with
   * a NaN payload. The rows StringCodes.mostlyDistinct samples (every rows/256th) hold "t0é",
   * so that even 70,000 distinct values are dictionary-coded (2- and 4-byte codes).
   */
  static ColumnBatch batch(int rows, int distinct) {
    ColumnBatch b = new ColumnBatch(SCHEMA, rows);
    int step = Math.max(1, rows / 256);
    for (int i = 0; i < rows; i++) {
      b.appendRow(new Object[] {1_000L + i,
          i % 7 == 3 ? null : "t" + (i % step == 0 ? 0 : i / 2 % distinct) + "é",
          i % 5 == 0 ? Double.longBitsToDouble(0x7ff0000000000002L) : i * 0.5});
    }
    return b;
  }

  static void assertSameRows(ColumnBatch expected, ColumnBatch actual) {
    assertEquals(expected.rowCount(), actual.rowCount());
    for (int c = 0; c < SCHEMA.size(); c++) {
      ColumnReader e = expected.column(c).view();
      ColumnReader a = actual.column(c).view();
      for (int i = 0; i < expected.rowCount(); i++) {
        assertEquals(e.isNull(i), a.isNull(i), "null at column " + c + " row " + i);
        if (SCHEMA.column(c).type() == ColumnType.DOUBLE) {
          assertEquals(Double.doubleToRawLongBits(e.getDouble(i)), Double.doubleToRawLongBits(a.getDouble(i)));
        } else {
          assertEquals(e.get(i), a.get(i), "column " + c + " row " + i);
        }
      }
    }
  }

  /** 1-, 2- and 4-byte dictionary codes. */
  @ParameterizedTest
  @ValueSource(ints = {1, 256, 257, 65_536, 70_000})
  void dictionaryCodedBatchesRoundTrip(int distinct) throws IOException {
    ColumnBatch b = batch(Math.max(distinct * 2, 100), distinct);
    WalRecord.Append rec = new WalRecord.Append(9, b);
    assertEquals(WalRecord.APPEND_MIXED, WalCodec.type(rec));
    byte[] payload = WalCodec.payload(rec);
    // the tag column's encoding byte: after the table id, schema, row count, ts and tag bitmaps
    ByteArrayOutputStream schemaBytes = new ByteArrayOutputStream();
    WalCodec.writeSchema(SCHEMA, new DataOutputStream(schemaBytes));
    int rows = b.rowCount();
    int marker = 8 + schemaBytes.size() + 4 + (rows + 7) / 8 + rows * 8 + (rows + 7) / 8;
    assertEquals(0, payload[marker], "dictionary-coded");
    WalRecord back = WalCodec.read(WalCodec.type(rec), payload);
    assertEquals(9, back.tableId());
    assertSameRows(b, ((WalRecord.Append) back).batch());
  }

  @Test
  void repeatedTagsAreWrittenOnce() {
    ColumnBatch b = batch(10_000, 10);
    int payload = WalCodec.payload(new WalRecord.Append(1, b)).length;
    // 8 (ts) + 8 (v) + 1 (code) per row, plus headers and bitmaps: far below spelling tags out
    assertTrue(payload < 10_000 * 18, "payload " + payload);
  }

  @Test
  void emptyBatchAndAllNullStrings() throws IOException {
    for (ColumnBatch b : List.of(new ColumnBatch(SCHEMA, 0), allNullTags(50))) {
      WalRecord.Append rec = new WalRecord.Append(3, b);
      assertSameRows(b, ((WalRecord.Append) WalCodec.read(WalCodec.type(rec), WalCodec.payload(rec))).batch());
    }
  }

  private static ColumnBatch allNullTags(int rows) {
    ColumnBatch b = new ColumnBatch(SCHEMA, rows);
    for (int i = 0; i < rows; i++) {
      b.appendRow(new Object[] {(long) i, null, 1.0});
    }
    return b;
  }

  /** An Append payload up to its tag column: table 5, the schema, 3 rows, ts 10, 20, 30. */
  private static void writeHeadAndTimes(DataOutputStream out) throws IOException {
    out.writeLong(5); // table id
    WalCodec.writeSchema(SCHEMA, out);
    out.writeInt(3); // rows
    out.writeByte(0); // ts: no NULL
    for (long ts : new long[] {10, 20, 30}) {
      out.writeLong(ts);
    }
  }

  /** Logs written before dictionary coding (record type 4) still replay. */
  @Test
  void firstEncodingStillReads() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    writeHeadAndTimes(out);
    out.writeByte(0b010); // tag: row 1 NULL, the others spelled out
    for (String s : new String[] {"a", "bé"}) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
    out.writeByte(0b100); // v: row 2 NULL
    out.writeLong(Double.doubleToRawLongBits(1.5));
    out.writeLong(Double.doubleToRawLongBits(2.5));
    WalRecord.Append r = (WalRecord.Append) WalCodec.read(WalRecord.APPEND, bytes.toByteArray());
    ColumnBatch b = r.batch();
    assertEquals(3, b.rowCount());
    assertArrayEquals(new Object[] {"a", null, "bé"},
        new Object[] {b.column(1).view().get(0), b.column(1).view().get(1), b.column(1).view().get(2)});
    assertTrue(b.column(2).view().isNull(2));
    assertEquals(2.5, b.column(2).view().getDouble(1));
  }

  @Test
  void codeOutsideTheDictionaryIsRejected() {
    ColumnBatch b = batch(4, 2);
    byte[] payload = WalCodec.payload(new WalRecord.Append(1, b));
    // the tag column's codes are the last bytes before the v column's bitmap and values
    int vBytes = 1 + 4 * 8;
    int lastCode = payload.length - vBytes - 1;
    payload[lastCode] = 9;
    IOException e = assertThrows(IOException.class, () -> WalCodec.read(WalRecord.APPEND_MIXED, payload));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  /** Mostly distinct strings (log bodies) are spelled out, not coded, and still round-trip. */
  @Test
  void mostlyDistinctStringsAreSpelledOut() throws IOException {
    int rows = 2_000;
    ColumnBatch b = new ColumnBatch(SCHEMA, rows);
    for (int i = 0; i < rows; i++) {
      b.appendRow(new Object[] {(long) i, i % 9 == 4 ? null : "request " + i + " took " + (i * 7) + " ms é", 1.0});
    }
    WalRecord.Append rec = new WalRecord.Append(4, b);
    byte[] payload = WalCodec.payload(rec);
    assertSameRows(b, ((WalRecord.Append) WalCodec.read(WalRecord.APPEND_MIXED, payload)).batch());
    byte[] p = payload;
    String text = new String(p, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("request 1999 took"), "values are spelled out in the record");
    // a bad encoding byte is rejected, not misread
    int marker = text.indexOf("request 0 took") - 5; // the byte before the first value's length
    assertEquals(1, p[marker]);
    p[marker] = 7;
    IOException e = assertThrows(IOException.class, () -> WalCodec.read(WalRecord.APPEND_MIXED, p));
    assertTrue(e.getMessage().contains("string encoding"), e.getMessage());
  }

  /** Logs written with every string column dictionary-coded (record type 5) still replay. */
  @Test
  void dictionaryEncodingStillReads() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    writeHeadAndTimes(out);
    out.writeByte(0b010); // tag: row 1 NULL; dictionary of one value, 1-byte codes
    out.writeInt(1);
    byte[] a = "aé".getBytes(StandardCharsets.UTF_8);
    out.writeInt(a.length);
    out.write(a);
    out.writeByte(1);
    out.writeByte(0);
    out.writeByte(0);
    out.writeByte(0); // v
    for (double v : new double[] {1, 2, 3}) {
      out.writeLong(Double.doubleToRawLongBits(v));
    }
    ColumnBatch b = ((WalRecord.Append) WalCodec.read(WalRecord.APPEND_DICT, bytes.toByteArray())).batch();
    assertArrayEquals(new Object[] {"aé", null, "aé"},
        new Object[] {b.column(1).view().get(0), b.column(1).view().get(1), b.column(1).view().get(2)});
    assertEquals(3.0, b.column(2).view().getDouble(2));
  }

  /** The new types' values and NUMERIC's typmod go through the log; NULLs stay NULL. */
  @Test
  void newTypesRoundTrip() throws IOException {
    TableSchema schema = new TableSchema(List.of(
        Column.of("b", ColumnType.BYTEA), Column.of("j", ColumnType.JSON),
        Column.of("jb", ColumnType.JSONB),
        new Column("n", ColumnType.NUMERIC, false, Column.numericTypmod(12, 3)),
        Column.of("u", ColumnType.NUMERIC)));
    ColumnBatch b = new ColumnBatch(schema, 3);
    b.appendRow(new Object[] {new org.apache.calcite.avatica.util.ByteString(new byte[] {0, (byte) 0x80}),
        "{\"k\": \"v\"}", "[1, 2]", new java.math.BigDecimal("-123456789.125"),
        new java.math.BigDecimal("1e-40")});
    b.appendRow(new Object[] {null, null, null, new java.math.BigDecimal("0.000"), null});
    b.appendRow(new Object[] {new org.apache.calcite.avatica.util.ByteString(new byte[0]), "1", "2",
        new java.math.BigDecimal("7.000"), new java.math.BigDecimal("123456789012345678901234567890123456789012")});
    WalRecord.Append a = (WalRecord.Append) WalCodec.read(WalRecord.APPEND_MIXED,
        WalCodec.payload(new WalRecord.Append(9, b)));
    assertEquals(schema, a.batch().schema());
    for (int c = 0; c < schema.size(); c++) {
      for (int r = 0; r < 3; r++) {
        assertEquals(b.column(c).view().get(r), a.batch().column(c).view().get(r), c + "/" + r);
      }
    }
    WalRecord.CreateTable ct = (WalRecord.CreateTable) WalCodec.read(WalRecord.CREATE_TABLE,
        WalCodec.payload(new WalRecord.CreateTable(3, new io.lumadb.storage.TableId("public", "t"), schema, "")));
    assertEquals(schema, ct.schema());
  }
}
