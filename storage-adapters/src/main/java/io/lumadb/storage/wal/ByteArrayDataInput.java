package io.lumadb.storage.wal;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@link DataInput} over a range of a byte array, without the per-call locking of
 * {@code DataInputStream(ByteArrayInputStream)}: WAL replay reads every value through it.
 */
final class ByteArrayDataInput implements DataInput {
  // Big-endian, as DataOutputStream writes them.
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] data;
  private final int end;
  private int pos;

  ByteArrayDataInput(byte[] data, int off, int len) {
    this.data = data;
    this.pos = off;
    this.end = off + len;
  }

  int remaining() {
    return end - pos;
  }

  private void need(int n) throws EOFException {
    if (n < 0 || end - pos < n) {
      throw new EOFException("record ends early");
    }
  }

  @Override
  public void readFully(byte[] b) throws IOException {
    readFully(b, 0, b.length);
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    need(len);
    System.arraycopy(data, pos, b, off, len);
    pos += len;
  }

  @Override
  public int skipBytes(int n) throws IOException {
    need(n);
    pos += n;
    return n;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return readByte() != 0;
  }

  @Override
  public byte readByte() throws IOException {
    need(1);
    return data[pos++];
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return readByte() & 0xFF;
  }

  @Override
  public short readShort() throws IOException {
    need(2);
    short v = (short) (((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF));
    pos += 2;
    return v;
  }

  @Override
  public int readUnsignedShort() throws IOException {
    return readShort() & 0xFFFF;
  }

  @Override
  public char readChar() throws IOException {
    return (char) readShort();
  }

  @Override
  public int readInt() throws IOException {
    need(4);
    int v = (int) INT.get(data, pos);
    pos += 4;
    return v;
  }

  @Override
  public long readLong() throws IOException {
    need(8);
    long v = (long) LONG.get(data, pos);
    pos += 8;
    return v;
  }

  @Override
  public float readFloat() throws IOException {
    return Float.intBitsToFloat(readInt());
  }

  @Override
  public double readDouble() throws IOException {
    return Double.longBitsToDouble(readLong());
  }

  @Override
  public String readLine() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String readUTF() throws IOException {
    return DataInputStream.readUTF(this);
  }

  /** A string written as a 4-byte length and UTF-8 bytes. */
  String readUtf8(int length) throws IOException {
    need(length);
    String s = new String(data, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }
}
