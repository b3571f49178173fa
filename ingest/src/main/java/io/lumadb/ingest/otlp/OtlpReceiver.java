package io.lumadb.ingest.otlp;

import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageEngine;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Clock;
import java.time.Instant;

/**
 * Stores OTLP export requests, whichever transport brought them: metrics into
 * {@code metrics.<name>} through {@link MetricsStorage}, logs into {@code otel.logs}, spans into
 * {@code otel.spans}. Each request is converted whole before anything is written; points that
 * cannot be stored are left out and counted in the response's {@code partial_success}.
 * Storage errors ({@link io.lumadb.storage.StorageException}, e.g. OVERLOADED) propagate to the
 * transport, which answers with its own retryable status.
 *
 * <p>One receiver may serve both transports; share it (and its {@link MetricsStorage}) so table
 * and column creation is serialized in one place.
 */
public final class OtlpReceiver {
  private final MetricsStorage metrics;
  private final OtelTables otel;
  private final Clock clock;

  public OtlpReceiver(StorageEngine storage) {
    this(storage, new MetricsStorage(storage));
  }

  /** With a {@link MetricsStorage} shared with other receivers (e.g. Prometheus remote write). */
  public OtlpReceiver(StorageEngine storage, MetricsStorage metrics) {
    this.metrics = metrics;
    this.otel = new OtelTables(storage);
    this.clock = Clock.systemUTC();
  }

  /** Stores the request's metric points and says how many were rejected. */
  public ExportMetricsServiceResponse export(ExportMetricsServiceRequest request) {
    MetricsTranslator.Translation t = MetricsTranslator.translate(request);
    if (!t.samples().isEmpty()) {
      metrics.insertSamples(t.samples());
    }
    ExportMetricsServiceResponse.Builder r = ExportMetricsServiceResponse.newBuilder();
    if (t.rejected() > 0) {
      r.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
          .setRejectedDataPoints(t.rejected()).setErrorMessage(t.message()));
    }
    return r.build();
  }

  /** Stores the request's log records and says how many were rejected. */
  public ExportLogsServiceResponse export(ExportLogsServiceRequest request) {
    Instant now = clock.instant();
    LogsTranslator.Rows rows = LogsTranslator.translate(request,
        now.getEpochSecond() * 1_000_000_000L + now.getNano());
    otel.append(OtelTables.LOGS, rows.batch());
    ExportLogsServiceResponse.Builder r = ExportLogsServiceResponse.newBuilder();
    if (rows.rejected() > 0) {
      r.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
          .setRejectedLogRecords(rows.rejected()).setErrorMessage(rows.message()));
    }
    return r.build();
  }

  /** Stores the request's spans and says how many were rejected. */
  public ExportTraceServiceResponse export(ExportTraceServiceRequest request) {
    LogsTranslator.Rows rows = SpansTranslator.translate(request);
    otel.append(OtelTables.SPANS, rows.batch());
    ExportTraceServiceResponse.Builder r = ExportTraceServiceResponse.newBuilder();
    if (rows.rejected() > 0) {
      r.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(rows.rejected()).setErrorMessage(rows.message()));
    }
    return r.build();
  }
}
