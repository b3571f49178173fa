package io.lumadb.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonTextTest {
  @Test
  void consecutiveTextsStandAlone() {
    assertEquals("{\"a\":\"x\\\"y\",\"n\":[1,2.5]}", JsonText.write(g -> {
      g.writeStartObject();
      g.writeStringField("a", "x\"y");
      g.writeArrayFieldStart("n");
      g.writeNumber(1);
      g.writeNumber(2.5);
      g.writeEndArray();
      g.writeEndObject();
    }));
    assertEquals("{}", JsonText.write(g -> {
      g.writeStartObject();
      g.writeEndObject();
    }));
    assertEquals("\"s\"", JsonText.write(g -> g.writeString("s")));
  }

  @Test
  void aFailedTextDoesNotSpoilTheNext() {
    assertThrows(IllegalStateException.class, () -> JsonText.write(g -> {
      g.writeStartObject();
      g.writeStringField("half", "written");
      throw new IllegalStateException("boom");
    }));
    assertEquals("{\"k\":1}", JsonText.write(g -> {
      g.writeStartObject();
      g.writeNumberField("k", 1);
      g.writeEndObject();
    }));
  }
}
