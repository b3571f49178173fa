package io.lumadb.ingest.otlp;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Trace and span ids: lowercase hex in tables, checked for length on the way in. */
final class Ids {
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  /** Lowercase hex, or null for an empty (absent) id. */
  static String hex(ByteString id) {
    return id.isEmpty() ? null : HEX.formatHex(id.toByteArray());
  }

  /** Why an id is unusable, or null: it must be absent or exactly {@code bytes} long. */
  static String check(ByteString id, int bytes, String what) {
    if (id.isEmpty() || id.size() == bytes) {
      return null;
    }
    return "has a " + what + " of " + id.size() + " bytes (want " + bytes + ")";
  }
}
