package io.lumadb.sql.pgcatalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lumadb.sql.LumaException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's json and jsonb, held as text: input (a json value is checked and kept as given,
 * a jsonb value is printed the way PostgreSQL prints jsonb) and the operators {@code ->},
 * {@code ->>} and {@code @>}, which {@code JsonOperators} turns into calls of these functions.
 */
public final class JsonFunctions {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private JsonFunctions() {}

  /** json input: the text as given, once it is known to be one JSON value (22P02 otherwise). */
  public static String jsonIn(String text) {
    parse(text, "json");
    return text;
  }

  /** jsonb input: the value as PostgreSQL prints jsonb (keys sorted, last duplicate wins). */
  public static String jsonbIn(String text) {
    StringBuilder b = new StringBuilder(text.length());
    print(parse(text, "jsonb"), b);
    return b.toString();
  }

  private static JsonNode parse(String text, String type) {
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw new IOException("empty");
      }
      return n;
    } catch (IOException e) {
      throw new LumaException("22P02", "invalid input syntax for type " + type);
    }
  }

  /** jsonb's output: {@code {"a": 1, "b": [1, 2]}}, keys by length, then bytes. */
  private static void print(JsonNode n, StringBuilder b) {
    if (n.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      n.fields().forEachRemaining(fields::add);
      fields.sort((x, y) -> {
        byte[] a = x.getKey().getBytes(StandardCharsets.UTF_8);
        byte[] c = y.getKey().getBytes(StandardCharsets.UTF_8);
        return a.length != c.length ? Integer.compare(a.length, c.length) : java.util.Arrays.compareUnsigned(a, c);
      });
      b.append('{');
      for (int i = 0; i < fields.size(); i++) {
        b.append(i == 0 ? "" : ", ");
        string(fields.get(i).getKey(), b);
        b.append(": ");
        print(fields.get(i).getValue(), b);
      }
      b.append('}');
    } else if (n.isArray()) {
      b.append('[');
      for (int i = 0; i < n.size(); i++) {
        b.append(i == 0 ? "" : ", ");
        print(n.get(i), b);
      }
      b.append(']');
    } else if (n.isTextual()) {
      string(n.textValue(), b);
    } else if (n.isBigDecimal() || n.isFloatingPointNumber()) {
      BigDecimal d = n.decimalValue();
      b.append((d.scale() < 0 ? d.setScale(0) : d).toPlainString()); // numeric's output
    } else {
      b.append(n.toString()); // integers, true, false, null
    }
  }

  /** A JSON string as PostgreSQL escapes it. */
  private static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** {@code json -> key}: the member (a text key) or element (an integer) as JSON text, or null. */
  public static String lumadb_json_get(Object json, Object key) {
    return get(json, key, false);
  }

  /** {@code json ->> key}: as {@code ->}, but a string comes unquoted and JSON null as NULL. */
  public static String lumadb_json_get_text(Object json, Object key) {
    return get(json, key, true);
  }

  /**
   * Finds the value with a streaming parser and returns its text as it stands in the input
   * (json keeps its spacing, as PostgreSQL's {@code ->} on json does).
   */
  private static String get(Object json, Object key, boolean asText) {
    if (json == null || key == null) {
      return null;
    }
    String text = json.toString();
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (key instanceof Number n) {
        if (t != JsonToken.START_ARRAY) {
          return null;
        }
        List<String> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(p, text, asText));
        }
        long i = n.longValue();
        if (i < 0) {
          i += items.size();
        }
        return i < 0 || i >= items.size() ? null : items.get((int) i);
      }
      if (t != JsonToken.START_OBJECT) {
        return null;
      }
      String name = key.toString();
      String found = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean match = name.equals(p.currentName());
        p.nextToken();
        if (match) {
          found = value(p, text, asText); // the last of duplicate keys, as PostgreSQL's json
        } else {
          p.skipChildren();
        }
      }
      return found;
    } catch (IOException e) {
      throw new LumaException("22P02", "invalid input syntax for type json");
    }
  }

  /** The value at the parser's current token: its text in {@code source}, or as ->> gives it. */
  private static String value(JsonParser p, String source, boolean asText) throws IOException {
    JsonToken t = p.currentToken();
    if (asText && t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (asText && t == JsonToken.VALUE_NULL) {
      return null;
    }
    int start = (int) p.currentTokenLocation().getCharOffset();
    p.skipChildren();
    p.finishToken();
    int end = (int) p.currentLocation().getCharOffset();
    return source.substring(start, end);
  }

  /** {@code a @> b}: jsonb containment, as PostgreSQL defines it. */
  public static Boolean lumadb_jsonb_contains(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    return contains(parse(a.toString(), "jsonb"), parse(b.toString(), "jsonb"), true);
  }

  private static boolean contains(JsonNode a, JsonNode b, boolean top) {
    if (a.isObject()) {
      if (!b.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = a.get(e.getKey());
        if (v == null || !contains(v, e.getValue(), false)) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray()) {
      if (!b.isArray()) {
        // a top-level array contains a scalar it has as an element
        return top && !b.isObject() && anyElement(a, b);
      }
      for (JsonNode x : b) {
        if (!anyElement(a, x)) {
          return false;
        }
      }
      return true;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static boolean anyElement(JsonNode array, JsonNode x) {
    for (JsonNode e : array) {
      if ((x.isContainerNode() == e.isContainerNode() || !x.isContainerNode()) && contains(e, x, false)) {
        return true;
      }
    }
    return false;
  }

  /** {@code x::json}: checks the text. */
  public static String lumadb_json(Object v) {
    return v == null ? null : jsonIn(v.toString());
  }

  /** {@code x::jsonb}: checks and normalizes the text. */
  public static String lumadb_jsonb(Object v) {
    return v == null ? null : jsonbIn(v.toString());
  }
}
