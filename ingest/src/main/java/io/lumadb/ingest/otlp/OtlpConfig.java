package io.lumadb.ingest.otlp;

import io.lumadb.ingest.IngestLimits;

/**
 * The {@code [otlp]} settings.
 *
 * @param enabled whether the OTLP receivers run at all
 * @param host address both receivers bind to
 * @param grpcPort OTLP/gRPC port (4317 by default; 0 picks a free one)
 * @param httpPort OTLP/HTTP port (4318 by default; 0 picks a free one)
 * @param maxBodyBytes largest request accepted, counted after decompression (gRPC: the message;
 *     HTTP: the body); larger ones get RESOURCE_EXHAUSTED / 413
 * @param limits per-sender rate limit (samples, log records and spans per second, one bucket
 *     per sender for both transports and all signals) and series per metric
 */
public record OtlpConfig(boolean enabled, String host, int grpcPort, int httpPort, int maxBodyBytes,
    IngestLimits limits) {
  /** Enabled on the loopback interface (as every LumaDB endpoint), ports 4317/4318, 16 MiB, default limits. */
  public static final OtlpConfig DEFAULTS = new OtlpConfig(true, "127.0.0.1", 4317, 4318, 16 << 20);

  /** With {@link IngestLimits#DEFAULTS}: no rate limit, 100,000 series per metric. */
  public OtlpConfig(boolean enabled, String host, int grpcPort, int httpPort, int maxBodyBytes) {
    this(enabled, host, grpcPort, httpPort, maxBodyBytes, IngestLimits.DEFAULTS);
  }

  public OtlpConfig {
    limits = limits == null ? IngestLimits.DEFAULTS : limits;
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("otlp max body bytes must be at least 1");
    }
    if (grpcPort < 0 || grpcPort > 65535 || httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("otlp ports must be 0..65535");
    }
  }
}
