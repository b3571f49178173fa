package io.lumadb.storage.wal;

import java.util.Locale;

/** When the WAL forces its writes to disk. */
public enum FsyncPolicy {
  /** Before a write is acknowledged (group commit shares one fsync among concurrent writers). */
  ALWAYS,
  /** Every few milliseconds in the background: a power loss may drop the last moments. */
  BATCH,
  /** Never: the operating system decides. Survives a process crash, not a power loss. */
  OFF;

  public static FsyncPolicy parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
