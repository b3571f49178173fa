package io.lumadb.ingest.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lumadb.ingest.JsonText;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * OTLP attribute values as text: a single value as the attribute specification spells it (for
 * Prometheus labels and log bodies), and a list of attributes as one JSON object (for the
 * {@code attributes} columns of {@code otel.logs} and {@code otel.spans}, read by key with
 * {@code JSON_VALUE(attributes, '$."http.method"')}).
 *
 * <p>In JSON, strings, booleans, integers and doubles keep their JSON type, arrays and
 * key-value lists nest, bytes are base64 strings. A repeated key keeps its last value.
 */
public final class AttributeValues {

  private AttributeValues() {}

  /** One value as text: strings as they are, other scalars in their usual spelling, others as JSON. */
  public static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> doubleText(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> json(v);
      default -> "";
    };
  }

  /** A value as JSON text. */
  public static String json(AnyValue v) {
    return JsonText.write(g -> write(g, v));
  }

  /** Attributes as one JSON object, {@code {}} when there are none. */
  public static String json(List<KeyValue> attributes) {
    return JsonText.write(g -> writeObject(g, attributes));
  }

  static void writeObject(JsonGenerator g, List<KeyValue> attributes) throws IOException {
    g.writeStartObject();
    if (distinctKeys(attributes)) {
      for (KeyValue kv : attributes) {
        g.writeFieldName(kv.getKey());
        write(g, kv.getValue());
      }
      g.writeEndObject();
      return;
    }
    // JSON objects with repeated keys are read differently by different readers: keep the last.
    java.util.LinkedHashMap<String, AnyValue> unique = new java.util.LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      unique.remove(kv.getKey());
      unique.put(kv.getKey(), kv.getValue());
    }
    for (var e : unique.entrySet()) {
      g.writeFieldName(e.getKey());
      write(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** Whether no key repeats, told without hashing for the few attributes a record usually has. */
  private static boolean distinctKeys(List<KeyValue> attributes) {
    int n = attributes.size();
    if (n > 16) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      String k = attributes.get(i).getKey();
      for (int j = 0; j < i; j++) {
        if (k.equals(attributes.get(j).getKey())) {
          return false;
        }
      }
    }
    return true;
  }

  private static void write(JsonGenerator g, AnyValue v) throws IOException {
    switch (v.getValueCase()) {
      case STRING_VALUE -> g.writeString(v.getStringValue());
      case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
      case INT_VALUE -> g.writeNumber(v.getIntValue());
      case DOUBLE_VALUE -> {
        double d = v.getDoubleValue();
        if (Double.isFinite(d)) {
          g.writeNumber(d);
        } else {
          g.writeString(doubleText(d)); // JSON has no NaN or Infinity
        }
      }
      case BYTES_VALUE -> g.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        g.writeStartArray();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case KVLIST_VALUE -> writeObject(g, v.getKvlistValue().getValuesList());
      default -> g.writeNull();
    }
  }

  /** Doubles as Java spells them, with infinities as {@code +Inf}/{@code -Inf} (Prometheus' way). */
  static String doubleText(double d) {
    if (d == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (d == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
