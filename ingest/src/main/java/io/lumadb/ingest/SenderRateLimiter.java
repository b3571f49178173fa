package io.lumadb.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per sender: {@link IngestLimits#ratePerSecond()} tokens refill each second up
 * to the burst; a request takes one token per sample (log record, span). A request is let in
 * when the bucket holds as many tokens as it needs, or is full; the bucket may then go below
 * zero, so a request larger than the burst is not refused forever while the rate still holds
 * on average. Thread-safe.
 */
public final class SenderRateLimiter {
  /** Above this many senders, buckets that have refilled completely are dropped (a full bucket is a new one). */
  private static final int SWEEP_AT = 10_000;

  private final double perNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public SenderRateLimiter(IngestLimits limits) {
    this(limits, System::nanoTime);
  }

  /** With a clock in nanoseconds ({@link System#nanoTime()} in production; tests move their own). */
  public SenderRateLimiter(IngestLimits limits, LongSupplier nanoClock) {
    if (!limits.rateLimited()) {
      throw new IllegalArgumentException("the rate limit is off");
    }
    this.perNano = limits.ratePerSecond() / 1e9;
    this.burst = limits.effectiveBurst();
    this.nanoClock = nanoClock;
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }
  }

  /**
   * Takes {@code n} tokens from the sender's bucket: returns 0 when taken, else the nanoseconds
   * until the request would be let in (nothing is taken then).
   */
  public long tryAcquire(String sender, long n) {
    long now = nanoClock.getAsLong();
    if (buckets.size() > SWEEP_AT) {
      sweep(now);
    }
    Bucket b = buckets.computeIfAbsent(sender, k -> new Bucket(burst, now));
    synchronized (b) {
      refill(b, now);
      double need = Math.min(n, burst);
      if (b.tokens >= need) {
        b.tokens -= n;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((need - b.tokens) / perNano));
    }
  }

  private void refill(Bucket b, long now) {
    if (now > b.last) {
      b.tokens = Math.min(burst, b.tokens + (now - b.last) * perNano);
      b.last = now;
    }
  }

  private void sweep(long now) {
    buckets.values().removeIf(b -> {
      synchronized (b) {
        refill(b, now);
        return b.tokens >= burst;
      }
    });
  }

  /** Whole seconds to wait, rounded up, at least 1: the Retry-After value. */
  public static long retryAfterSeconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  /**
   * The E002 rejection for a sender over its limit ({@code unit}: "samples", "log records",
   * "spans"), with the seconds to wait.
   */
  public IngestException rejection(String sender, String unit, long waitNanos) {
    long seconds = retryAfterSeconds(waitNanos);
    return IngestException.rateLimited("E002: rate limit exceeded: sender " + sender + " may send "
        + format(perNano * 1e9) + " " + unit + " per second (burst " + (long) burst + "); retry after "
        + seconds + " s", seconds);
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  int senders() {
    return buckets.size();
  }
}
