package io.lumadb.ingest;

/**
 * Protection limits of one receiver ({@code [prometheus]} or {@code [otlp]}).
 *
 * @param ratePerSecond samples (OTLP: samples, log records, spans) each sender may send per
 *     second, refilled continuously into a token bucket; 0 turns the rate limit off (default)
 * @param rateBurst how many a sender may send at once (the bucket's size); 0 means one second's
 *     worth ({@code ceil(ratePerSecond)}, at least 1). A request larger than the burst is still
 *     taken once the bucket is full, and its excess is paid back before the next one
 * @param senderHeader request header (gRPC: metadata key) naming the sender; empty (default)
 *     or absent from a request means the client's IP address. A header can be forged by the
 *     client: use it only behind a proxy that sets it
 * @param maxSeriesPerMetric distinct series (label sets) one metric table may take, counting
 *     series written within the last one to two hours since this process started; requests
 *     that would add more are refused. 0 turns the limit off; default 100,000
 */
public record IngestLimits(double ratePerSecond, long rateBurst, String senderHeader, int maxSeriesPerMetric) {
  public static final int DEFAULT_MAX_SERIES_PER_METRIC = 100_000;

  /** No rate limit, 100,000 series per metric. */
  public static final IngestLimits DEFAULTS = new IngestLimits(0, 0, "", DEFAULT_MAX_SERIES_PER_METRIC);

  public IngestLimits {
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate limit must be a finite number >= 0 (0 = off)");
    }
    if (rateBurst < 0) {
      throw new IllegalArgumentException("rate limit burst must be >= 0 (0 = one second's worth)");
    }
    if (maxSeriesPerMetric < 0) {
      throw new IllegalArgumentException("max series per metric must be >= 0 (0 = no limit)");
    }
    senderHeader = senderHeader == null ? "" : senderHeader.trim();
  }

  public boolean rateLimited() {
    return ratePerSecond > 0;
  }

  /** The bucket size in effect. */
  public long effectiveBurst() {
    return rateBurst > 0 ? rateBurst : Math.max(1, (long) Math.ceil(ratePerSecond));
  }

  /**
   * Who a request counts against: the value of {@link #senderHeader()} when configured and
   * present, else the client's IP address. The one rule for every receiver and transport.
   */
  public String sender(String headerValue, java.net.SocketAddress remote) {
    if (!senderHeader.isEmpty() && headerValue != null && !headerValue.isBlank()) {
      return headerValue.trim();
    }
    if (remote instanceof java.net.InetSocketAddress a && a.getAddress() != null) {
      return a.getAddress().getHostAddress();
    }
    return String.valueOf(remote);
  }
}
