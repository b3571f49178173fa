package io.lumadb.ingest.otlp;

import io.lumadb.storage.ColumnBatch;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OTLP log records to rows of {@code otel.logs} (see {@link OtelTables#LOGS_SCHEMA}). A string
 * body is stored as it is, any other body as JSON. {@code ts} is the record's time, else its
 * observed time, else the time it was received. A record whose trace or span id has the wrong
 * length is rejected (reported in {@code partial_success}); the others are converted.
 */
public final class LogsTranslator {
  /** The rows of a request, how many records were rejected and why. */
  public record Rows(ColumnBatch batch, long rejected, String message) {}

  private LogsTranslator() {}

  /** Converts a whole request; nothing is written. */
  public static Rows translate(ExportLogsServiceRequest request, long nowNanos) {
    int n = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        n += sl.getLogRecordsCount();
      }
    }
    ColumnBatch b = new ColumnBatch(OtelTables.LOGS_SCHEMA, n);
    long rejected = 0;
    Set<String> reasons = new LinkedHashSet<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      List<KeyValue> resource = rl.getResource().getAttributesList();
      String service = serviceName(resource);
      String resourceJson = AttributeValues.json(resource);
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        var scope = sl.getScope();
        String scopeJson = scope.getAttributesCount() == 0 ? null : AttributeValues.json(scope.getAttributesList());
        for (LogRecord r : sl.getLogRecordsList()) {
          String problem = Ids.check(r.getTraceId(), 16, "trace_id") ;
          if (problem == null) {
            problem = Ids.check(r.getSpanId(), 8, "span_id");
          }
          if (problem != null) {
            rejected++;
            if (reasons.size() < 5) {
              reasons.add("log record " + problem);
            }
            continue;
          }
          long time = r.getTimeUnixNano();
          long observed = r.getObservedTimeUnixNano();
          long effective = time != 0 ? time : observed != 0 ? observed : nowNanos;
          int c = 0;
          b.column(c++).appendLong(Math.floorDiv(effective, 1_000_000L));
          appendTime(b, c++, time);
          appendTime(b, c++, observed);
          b.column(c++).appendLong(r.getSeverityNumberValue());
          b.column(c++).appendString(emptyToNull(r.getSeverityText()));
          b.column(c++).appendString(r.hasBody() ? AttributeValues.text(r.getBody()) : null);
          b.column(c++).appendString(AttributeValues.json(r.getAttributesList()));
          b.column(c++).appendString(Ids.hex(r.getTraceId()));
          b.column(c++).appendString(Ids.hex(r.getSpanId()));
          b.column(c++).appendLong(Integer.toUnsignedLong(r.getFlags()));
          b.column(c++).appendString(emptyToNull(r.getEventName()));
          b.column(c++).appendString(service);
          b.column(c++).appendString(resourceJson);
          b.column(c++).appendString(emptyToNull(scope.getName()));
          b.column(c++).appendString(emptyToNull(scope.getVersion()));
          b.column(c).appendString(scopeJson);
        }
      }
    }
    String message = rejected == 0 ? "" : "rejected " + rejected + " log record(s): " + String.join("; ", reasons);
    return new Rows(b, rejected, message);
  }

  static void appendTime(ColumnBatch b, int column, long nanos) {
    if (nanos == 0) {
      b.column(column).appendNull();
    } else {
      b.column(column).appendLong(nanos);
    }
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** {@code service.name} of a resource, or null. */
  static String serviceName(List<KeyValue> resource) {
    String name = null;
    for (KeyValue kv : resource) {
      if (kv.getKey().equals("service.name")) {
        name = emptyToNull(AttributeValues.text(kv.getValue()));
      }
    }
    return name;
  }
}
