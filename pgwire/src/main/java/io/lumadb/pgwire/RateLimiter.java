package io.lumadb.pgwire;

/**
 * A token bucket: {@code perSecond} tokens refill each second up to {@code burst}; each
 * statement takes one. Shared by all sessions of one user, so it is thread-safe.
 */
final class RateLimiter {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(double perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  /**
   * Takes a token if one is there; returns 0 when taken, else the nanoseconds until the next
   * token (nothing is taken then).
   */
  synchronized long tryAcquire() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }
}
