package io.lumadb.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves: exact waits, bursts, big requests, one bucket per sender. */
class SenderRateLimiterTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  static final long S = 1_000_000_000L;

  @Test
  void refillsAtTheRateUpToTheBurst() {
    SenderRateLimiter l = new SenderRateLimiter(new IngestLimits(2, 10, "", 0), now::get);
    assertEquals(0, l.tryAcquire("a", 10));
    assertEquals(3 * S, l.tryAcquire("a", 6), "6 tokens at 2/s from empty");
    assertEquals(0, l.tryAcquire("b", 10), "another sender has its own bucket");
    now.addAndGet(2 * S + S / 2);
    assertEquals(S / 2, l.tryAcquire("a", 6));
    now.addAndGet(S / 2);
    assertEquals(0, l.tryAcquire("a", 6));
    now.addAndGet(100 * S);
    assertEquals(0, l.tryAcquire("a", 10), "never more than the burst");
    assertTrue(l.tryAcquire("a", 1) > 0);
  }

  @Test
  void aRequestLargerThanTheBurstPassesWhenTheBucketIsFullAndIsPaidBack() {
    SenderRateLimiter l = new SenderRateLimiter(new IngestLimits(10, 5, "", 0), now::get);
    assertEquals(0, l.tryAcquire("a", 25));
    // 20 tokens in debt: the next one-sample request waits 2.1 s.
    assertEquals(2_100_000_000L, l.tryAcquire("a", 1));
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    assertEquals(1, SenderRateLimiter.retryAfterSeconds(1));
    assertEquals(1, SenderRateLimiter.retryAfterSeconds(S));
    assertEquals(2, SenderRateLimiter.retryAfterSeconds(S + 1));
    assertEquals("E002: rate limit exceeded: sender 10.0.0.1 may send 2.5 samples per second (burst 3); "
        + "retry after 2 s", new SenderRateLimiter(new IngestLimits(2.5, 0, "", 0), now::get)
            .rejection("10.0.0.1", "samples", S + 5).getMessage());
  }
}
