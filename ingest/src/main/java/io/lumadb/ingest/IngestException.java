package io.lumadb.ingest;

/** A request that cannot be taken: the HTTP status to answer and why. Nothing was written. */
public final class IngestException extends RuntimeException {
  private final int status;
  private final long retryAfterSeconds;

  public IngestException(int status, String message) {
    this(status, message, 0);
  }

  private IngestException(int status, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 429: the sender is over its rate limit and may retry after the given seconds. */
  public static IngestException rateLimited(String message, long retryAfterSeconds) {
    return new IngestException(429, message, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  /** Seconds the sender should wait before retrying (Retry-After, gRPC RetryInfo); 0 = no hint. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
