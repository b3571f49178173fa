package io.lumadb.ingest.otlp;

import io.lumadb.ingest.Exemplars;
import io.lumadb.ingest.IngestException;
import io.lumadb.ingest.IngestLimits;
import io.lumadb.ingest.SenderRateLimiter;
import io.lumadb.ingest.SeriesTracker;
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
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Stores OTLP export requests, whichever transport brought them: metrics into
 * {@code metrics.<name>} through {@link MetricsStorage}, logs into {@code otel.logs}, spans into
 * {@code otel.spans}. Each request is converted whole before anything is written; points that
 * cannot be stored are left out and counted in the response's {@code partial_success}.
 * Storage errors ({@link io.lumadb.storage.StorageException}, e.g. OVERLOADED) propagate to the
 * transport, which answers with its own retryable status.
 *
 * <p>Limits ({@link IngestLimits}): a sender over its rate (samples, log records and spans
 * together, one bucket per sender for every signal and both transports) gets an
 * {@link IngestException} with status 429 and the seconds to wait, and nothing is written; data
 * points that would add series to a metric past its series limit are rejected in
 * {@code partial_success} (a 400 {@link IngestException} when no point is left).
 *
 * <p>One receiver may serve both transports; share it (and its {@link MetricsStorage}) so table
 * and column creation is serialized in one place.
 */
public final class OtlpReceiver {
  private final MetricsStorage metrics;
  private final OtelTables otel;
  private final Clock clock;
  private final IngestLimits limits;
  private final SeriesTracker series;
  private final SenderRateLimiter rateLimiter;
  private final Counter rejected;

  public OtlpReceiver(StorageEngine storage) {
    this(storage, new MetricsStorage(storage));
  }

  /**
   * With a {@link MetricsStorage} shared with other receivers (e.g. Prometheus remote write) and
   * {@link IngestLimits#DEFAULTS}.
   */
  public OtlpReceiver(StorageEngine storage, MetricsStorage metrics) {
    this(storage, metrics, IngestLimits.DEFAULTS, new SeriesTracker(), null);
  }

  /**
   * With the limits of {@link OtlpConfig#limits()}, a series tracker (shared with remote write so
   * a metric fed by both is counted once) and a registry for the rejection counter (null: none).
   */
  public OtlpReceiver(StorageEngine storage, MetricsStorage metrics, IngestLimits limits, SeriesTracker series,
      PrometheusRegistry registry) {
    this(storage, metrics, limits, series, registry, System::nanoTime);
  }

  OtlpReceiver(StorageEngine storage, MetricsStorage metrics, IngestLimits limits, SeriesTracker series,
      PrometheusRegistry registry, LongSupplier nanoClock) {
    this.metrics = metrics;
    this.otel = new OtelTables(storage);
    this.clock = Clock.systemUTC();
    this.limits = limits;
    this.series = series;
    this.rateLimiter = limits.rateLimited() ? new SenderRateLimiter(limits, nanoClock) : null;
    this.rejected = registry == null ? null : Counter.builder().name("lumadb_otlp_rejected_requests_total")
        .help("OTLP export requests refused by a limit: rate (per-sender rate limit) or series (series per "
            + "metric; counted when any data point was refused)")
        .labelNames("signal", "limit").register(registry);
  }

  public IngestLimits limits() {
    return limits;
  }

  /** Stores the request's metric points and says how many were rejected; no rate limit applies. */
  public ExportMetricsServiceResponse export(ExportMetricsServiceRequest request) {
    return export(request, null);
  }

  /** As {@link #export(ExportMetricsServiceRequest)}, rate-limited per {@code sender} (null: not limited). */
  public ExportMetricsServiceResponse export(ExportMetricsServiceRequest request, String sender) {
    MetricsTranslator.Translation t = MetricsTranslator.translate(request);
    checkRate(sender, t.samples().size() + t.rejected(), "metrics", "samples");
    SeriesTracker.Admission admission = series.admit(t.samples(), t.groupEnds(), limits.maxSeriesPerMetric());
    List<MetricsStorage.Sample> kept = t.samples();
    List<Exemplars.Exemplar> keptExemplars = t.exemplars();
    long rejectedPoints = t.rejected();
    String message = t.message();
    if (admission.refusedGroups() > 0) {
      count("metrics", "series");
      kept = new ArrayList<>(t.samples().size());
      long refusedPoints = 0;
      boolean anyPoint = false;
      int start = 0;
      for (int g = 0; g < t.groupEnds().length; g++) {
        int end = t.groupEnds()[g];
        if (admission.refused(g)) {
          refusedPoints += t.dataPoint()[g] ? 1 : 0;
        } else {
          kept.addAll(t.samples().subList(start, end));
          anyPoint |= t.dataPoint()[g];
        }
        start = end;
      }
      keptExemplars = new ArrayList<>(t.exemplars().size());
      for (int i = 0; i < t.exemplars().size(); i++) {
        if (!admission.refused(t.exemplarGroups()[i])) {
          keptExemplars.add(t.exemplars().get(i));
        }
      }
      rejectedPoints += refusedPoints;
      String limited = "rejected " + refusedPoints + " data point(s): " + admission.message();
      message = message.isEmpty() ? limited : message + "; " + limited;
      if (!anyPoint) {
        admission.release(); // a lone target_info is not written either
        throw new IngestException(400, message);
      }
    }
    if (!kept.isEmpty()) {
      try {
        var exemplarRows = Exemplars.batch(metrics.engine(), keptExemplars, System.currentTimeMillis());
        metrics.insertSamples(kept, exemplarRows == null ? List.of() : List.of(exemplarRows));
      } catch (RuntimeException e) {
        admission.release();
        throw e;
      }
    }
    ExportMetricsServiceResponse.Builder r = ExportMetricsServiceResponse.newBuilder();
    if (rejectedPoints > 0 || !message.isEmpty()) {
      r.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
          .setRejectedDataPoints(rejectedPoints).setErrorMessage(message));
    }
    return r.build();
  }

  /** Stores the request's log records and says how many were rejected; no rate limit applies. */
  public ExportLogsServiceResponse export(ExportLogsServiceRequest request) {
    return export(request, null);
  }

  /** As {@link #export(ExportLogsServiceRequest)}, rate-limited per {@code sender} (null: not limited). */
  public ExportLogsServiceResponse export(ExportLogsServiceRequest request, String sender) {
    Instant now = clock.instant();
    LogsTranslator.Rows rows = LogsTranslator.translate(request,
        now.getEpochSecond() * 1_000_000_000L + now.getNano());
    checkRate(sender, rows.batch().rowCount() + rows.rejected(), "logs", "log records");
    otel.append(OtelTables.LOGS, rows.batch());
    ExportLogsServiceResponse.Builder r = ExportLogsServiceResponse.newBuilder();
    if (rows.rejected() > 0) {
      r.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
          .setRejectedLogRecords(rows.rejected()).setErrorMessage(rows.message()));
    }
    return r.build();
  }

  /** Stores the request's spans and says how many were rejected; no rate limit applies. */
  public ExportTraceServiceResponse export(ExportTraceServiceRequest request) {
    return export(request, null);
  }

  /** As {@link #export(ExportTraceServiceRequest)}, rate-limited per {@code sender} (null: not limited). */
  public ExportTraceServiceResponse export(ExportTraceServiceRequest request, String sender) {
    LogsTranslator.Rows rows = SpansTranslator.translate(request);
    checkRate(sender, rows.batch().rowCount() + rows.rejected(), "traces", "spans");
    otel.append(OtelTables.SPANS, rows.batch());
    ExportTraceServiceResponse.Builder r = ExportTraceServiceResponse.newBuilder();
    if (rows.rejected() > 0) {
      r.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(rows.rejected()).setErrorMessage(rows.message()));
    }
    return r.build();
  }

  private void checkRate(String sender, long n, String signal, String unit) {
    if (rateLimiter == null || sender == null) {
      return;
    }
    long wait = rateLimiter.tryAcquire(sender, n);
    if (wait > 0) {
      count(signal, "rate");
      throw rateLimiter.rejection(sender, unit, wait);
    }
  }

  private void count(String signal, String limit) {
    if (rejected != null) {
      rejected.labelValues(signal, limit).inc();
    }
  }
}
