package io.lumadb.storage.wal;

import java.nio.file.Path;

/** A WAL record in the middle of the log is damaged; startup stops rather than skip data. */
public final class WalCorruptException extends RuntimeException {
  private final Path file;
  private final long offset;

  WalCorruptException(Path file, long offset, String what) {
    super("write-ahead log " + file + " is corrupt at offset " + offset + ": " + what
        + ". Refusing to start: move the file aside only if losing the writes after this point"
        + " is acceptable.");
    this.file = file;
    this.offset = offset;
  }

  public Path file() {
    return file;
  }

  public long offset() {
    return offset;
  }
}
