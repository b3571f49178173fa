package io.lumadb.ingest.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lumadb.storage.ColumnBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OTLP spans to rows of {@code otel.spans} (see {@link OtelTables#SPANS_SCHEMA}). {@code kind}
 * and {@code status_code} are the enum names without their prefix ({@code SERVER}, {@code ERROR});
 * events and links are JSON arrays ({@code [{"time_unix_nano":..,"name":..,"attributes":{..}}]},
 * {@code [{"trace_id":..,"span_id":..,"trace_state":..,"attributes":{..}}]}). A span without a
 * 16-byte trace id, an 8-byte span id or a start time is rejected (reported in
 * {@code partial_success}); the others are converted.
 */
public final class SpansTranslator {
  private static final JsonFactory JSON = new JsonFactory();

  private SpansTranslator() {}

  /** Converts a whole request; nothing is written. */
  public static LogsTranslator.Rows translate(ExportTraceServiceRequest request) {
    int n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    ColumnBatch b = new ColumnBatch(OtelTables.SPANS_SCHEMA, n);
    long rejected = 0;
    Set<String> reasons = new LinkedHashSet<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      List<KeyValue> resource = rs.getResource().getAttributesList();
      String service = LogsTranslator.serviceName(resource);
      String resourceJson = AttributeValues.json(resource);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        var scope = ss.getScope();
        String scopeJson = scope.getAttributesCount() == 0 ? null : AttributeValues.json(scope.getAttributesList());
        for (Span s : ss.getSpansList()) {
          String problem = problem(s);
          if (problem != null) {
            rejected++;
            if (reasons.size() < 5) {
              reasons.add("span \"" + s.getName() + "\" " + problem);
            }
            continue;
          }
          long start = s.getStartTimeUnixNano();
          long end = s.getEndTimeUnixNano();
          int c = 0;
          b.column(c++).appendLong(Math.floorDiv(start, 1_000_000L));
          b.column(c++).appendLong(start);
          LogsTranslator.appendTime(b, c++, end);
          if (end >= start) {
            b.column(c++).appendLong(end - start);
          } else {
            b.column(c++).appendNull();
          }
          b.column(c++).appendString(Ids.hex(s.getTraceId()));
          b.column(c++).appendString(Ids.hex(s.getSpanId()));
          b.column(c++).appendString(Ids.hex(s.getParentSpanId()));
          b.column(c++).appendString(LogsTranslator.emptyToNull(s.getTraceState()));
          b.column(c++).appendString(s.getName());
          b.column(c++).appendString(enumName(s.getKind().name(), "SPAN_KIND_", s.getKindValue()));
          b.column(c++).appendString(enumName(s.getStatus().getCode().name(), "STATUS_CODE_",
              s.getStatus().getCodeValue()));
          b.column(c++).appendString(LogsTranslator.emptyToNull(s.getStatus().getMessage()));
          b.column(c++).appendLong(Integer.toUnsignedLong(s.getFlags()));
          b.column(c++).appendString(AttributeValues.json(s.getAttributesList()));
          b.column(c++).appendString(s.getEventsCount() == 0 ? null : events(s));
          b.column(c++).appendString(s.getLinksCount() == 0 ? null : links(s));
          b.column(c++).appendString(service);
          b.column(c++).appendString(resourceJson);
          b.column(c++).appendString(LogsTranslator.emptyToNull(scope.getName()));
          b.column(c++).appendString(LogsTranslator.emptyToNull(scope.getVersion()));
          b.column(c).appendString(scopeJson);
        }
      }
    }
    String message = rejected == 0 ? "" : "rejected " + rejected + " span(s): " + String.join("; ", reasons);
    return new LogsTranslator.Rows(b, rejected, message);
  }

  private static String problem(Span s) {
    if (s.getTraceId().size() != 16) {
      return "has a trace_id of " + s.getTraceId().size() + " bytes (want 16)";
    }
    if (s.getSpanId().size() != 8) {
      return "has a span_id of " + s.getSpanId().size() + " bytes (want 8)";
    }
    String p = Ids.check(s.getParentSpanId(), 8, "parent_span_id");
    if (p != null) {
      return p;
    }
    if (s.getStartTimeUnixNano() == 0) {
      return "has no start_time_unix_nano";
    }
    return null;
  }

  /** "SPAN_KIND_SERVER" -> "SERVER"; an unknown number stays a number. */
  private static String enumName(String name, String prefix, int number) {
    if (name.equals("UNRECOGNIZED")) {
      return Integer.toString(number);
    }
    return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toUpperCase(Locale.ROOT);
  }

  private static String events(Span s) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartArray();
      for (Span.Event e : s.getEventsList()) {
        g.writeStartObject();
        g.writeNumberField("time_unix_nano", e.getTimeUnixNano());
        g.writeStringField("name", e.getName());
        g.writeFieldName("attributes");
        AttributeValues.writeObject(g, e.getAttributesList());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static String links(Span s) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartArray();
      for (Span.Link l : s.getLinksList()) {
        g.writeStartObject();
        g.writeStringField("trace_id", Ids.hex(l.getTraceId()));
        g.writeStringField("span_id", Ids.hex(l.getSpanId()));
        if (!l.getTraceState().isEmpty()) {
          g.writeStringField("trace_state", l.getTraceState());
        }
        g.writeFieldName("attributes");
        AttributeValues.writeObject(g, l.getAttributesList());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
