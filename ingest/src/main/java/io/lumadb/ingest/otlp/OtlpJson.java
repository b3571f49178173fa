package io.lumadb.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.lumadb.ingest.IngestException;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP's JSON encoding: the protobuf JSON mapping ({@link JsonFormat}), except that trace and
 * span ids are hex strings instead of base64. Unknown fields are ignored, as the OTLP
 * specification asks of receivers.
 */
public final class OtlpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ID_FIELDS = Set.of(
      "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  // RetryInfo may travel in a google.rpc.Status's details (429): Any needs its type to print.
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace()
      .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(com.google.rpc.RetryInfo.getDescriptor()).build());

  private OtlpJson() {}

  /** Parses {@code body} into {@code builder}; throws a 400 {@link IngestException} if it is not valid OTLP JSON. */
  public static <B extends Message.Builder> B parse(byte[] body, B builder) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IngestException(400, "malformed JSON: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new IngestException(400, "malformed JSON: the body must be a JSON object");
    }
    hexIdsToBase64(tree);
    try {
      PARSER.merge(MAPPER.writeValueAsString(tree), builder);
    } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IngestException(400, "invalid OTLP JSON: " + e.getMessage());
    } catch (RuntimeException e) {
      // JsonFormat reports some shape errors (e.g. an array where an object belongs) this way.
      throw new IngestException(400, "invalid OTLP JSON: " + e);
    }
    return builder;
  }

  /** A message in OTLP JSON (responses and error statuses carry no ids). */
  public static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hexIdsToBase64(JsonNode node) {
    if (node instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          e.setValue(new TextNode(hexToBase64(e.getKey(), e.getValue().textValue())));
        } else {
          hexIdsToBase64(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (JsonNode child : a) {
        hexIdsToBase64(child);
      }
    }
  }

  private static String hexToBase64(String field, String hex) {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IngestException(400, "invalid OTLP JSON: " + field + " \"" + hex
          + "\" is not hex (OTLP JSON encodes trace and span ids as hex strings)");
    }
  }
}
