package io.lumadb.storage;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array to write encodings into (WAL payloads, index files): unlike
 * {@code ByteArrayOutputStream} it takes no lock, which it did on every byte written.
 */
public final class GrowableBytes extends OutputStream {
  private byte[] buf;
  private int size;

  public GrowableBytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void room(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + n, buf.length * 2));
    }
  }

  @Override
  public void write(int b) {
    room(1);
    buf[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    room(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  public int size() {
    return size;
  }

  /** The bytes written, without copying; valid up to {@link #size()}. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
