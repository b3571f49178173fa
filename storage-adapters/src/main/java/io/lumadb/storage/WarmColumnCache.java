package io.lumadb.storage;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decoded columns of warm Parquet row groups, kept on the heap up to a byte budget and dropped
 * least recently used first. Warm files never change once written, so an entry stays right
 * until its file is deleted ({@link #invalidate}); entries are keyed by the file's
 * {@link WarmFileRef}, so a later file at the same path never sees them.
 */
public final class WarmColumnCache {
  private record Key(WarmFileRef file, int rowGroup, int column) {}

  private record Entry(ColumnReader reader, long bytes) {}

  private final long capacity;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long used;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** @param capacity bytes of decoded columns to keep; 0 keeps nothing */
  public WarmColumnCache(long capacity) {
    this.capacity = capacity;
  }

  /** The cached column, or null. */
  ColumnReader get(WarmFileRef file, int rowGroup, int column) {
    if (capacity == 0) {
      return null;
    }
    Entry e;
    synchronized (this) {
      e = entries.get(new Key(file, rowGroup, column));
    }
    (e == null ? misses : hits).incrementAndGet();
    return e == null ? null : e.reader();
  }

  /** Keeps a decoded column of {@code bytes} heap bytes, evicting the least recently used. */
  void put(WarmFileRef file, int rowGroup, int column, ColumnReader reader, long bytes) {
    if (bytes > capacity / 4) {
      return; // one huge column would push out everything else
    }
    synchronized (this) {
      Entry old = entries.put(new Key(file, rowGroup, column), new Entry(reader, bytes));
      used += bytes - (old == null ? 0 : old.bytes());
      Iterator<Entry> it = entries.values().iterator();
      while (used > capacity && it.hasNext()) {
        used -= it.next().bytes();
        it.remove();
      }
    }
  }

  /** Drops every entry of a file (it is being deleted). */
  synchronized void invalidate(WarmFileRef file) {
    Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Entry> e = it.next();
      if (e.getKey().file() == file) {
        used -= e.getValue().bytes();
        it.remove();
      }
    }
  }

  public synchronized long usedBytes() {
    return used;
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }
}
