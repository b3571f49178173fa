package io.lumadb.storage;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the background tiering work, exported at /metrics. */
public final class TieringStats {
  public final AtomicLong flushes = new AtomicLong();
  public final AtomicLong rowsFlushed = new AtomicLong();
  public final AtomicLong filesWritten = new AtomicLong();
  public final AtomicLong bytesWritten = new AtomicLong();
  public final AtomicLong compactions = new AtomicLong();
  public final AtomicLong partitionsExpired = new AtomicLong();
  public final AtomicLong filesExpired = new AtomicLong();
  public final AtomicLong walSegmentsTrimmed = new AtomicLong();
  public final AtomicLong overloaded = new AtomicLong();
  public final AtomicLong failures = new AtomicLong();
  final AtomicLong wakeups = new AtomicLong();
  final AtomicLong runs = new AtomicLong();
}
