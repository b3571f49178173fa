package io.lumadb.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Small JSON texts (attribute objects of every log record, exemplar labels) written on a
 * generator each thread keeps: making a Jackson generator per value took buffer recycling and
 * context set-up for every record.
 */
public final class JsonText {
  /** Writes one JSON value. */
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final ThreadLocal<JsonText> THREAD = new ThreadLocal<>();

  private final StringBuilder buffer = new StringBuilder(256);
  private final JsonGenerator generator;

  private JsonText() throws IOException {
    generator = JSON.createGenerator(new Writer() {
      @Override
      public void write(char[] cbuf, int off, int len) {
        buffer.append(cbuf, off, len);
      }

      @Override
      public void write(String str, int off, int len) {
        buffer.append(str, off, off + len);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    generator.setRootValueSeparator(null); // each text is cut out of the buffer on its own
  }

  /** The JSON text {@code body} writes (one value). */
  public static String write(Body body) {
    try {
      JsonText t = THREAD.get();
      if (t == null) {
        t = new JsonText();
        THREAD.set(t);
      }
      t.buffer.setLength(0);
      boolean done = false;
      try {
        body.write(t.generator);
        t.generator.flush();
        done = true;
      } finally {
        if (!done) {
          THREAD.remove(); // the generator may be mid-value: start the next text on a new one
        }
      }
      String s = t.buffer.toString();
      if (t.buffer.capacity() > 1 << 16) {
        THREAD.remove(); // do not keep a huge buffer for the thread's lifetime
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
