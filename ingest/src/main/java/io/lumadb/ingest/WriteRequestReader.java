package io.lumadb.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.lumadb.storage.MetricsStorage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a remote write 1.0 {@code prometheus.WriteRequest} straight from its protobuf bytes into
 * a {@link MetricsStorage.SeriesBatch}, without building message objects: label strings come from
 * a per-thread cache keyed by their bytes (a request repeats the same names and values on every
 * series, and so do consecutive requests), so they are decoded once and the same String instance
 * is shared, which later steps (WAL and segment dictionaries) exploit. Samples go into primitive
 * arrays. It accepts and rejects what {@code Remote.WriteRequest.parseFrom} does: unknown fields
 * and fields of an unexpected wire type are skipped, strings must be valid UTF-8, truncated or
 * malformed input throws {@link InvalidProtocolBufferException}; repeated occurrences of a
 * scalar field keep the last one.
 *
 * <p>The series are not checked here; {@link #labels} gives each series' labels as name/value
 * pairs in wire order for {@link RemoteWriteDecoder#checkLabels}.
 */
final class WriteRequestReader {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LEN = 2;
  private static final int WIRE_START_GROUP = 3;
  private static final int WIRE_END_GROUP = 4;
  private static final int WIRE_FIXED32 = 5;
  private static final int MAX_DEPTH = 100; // protobuf-java's default recursion limit

  private static final ThreadLocal<StringCache> CACHE = ThreadLocal.withInitial(StringCache::new);

  /** The decoded request: its series (labels in wire order, including {@code __name__}). */
  static final class Result {
    /** Per series: label names and values as on the wire (with __name__). */
    String[][] names = new String[64][];
    String[][] values = new String[64][];
    int[] sampleEnds = new int[64];
    int series;
    long[] timestamps = new long[1024];
    double[] sampleValues = new double[1024];
    int samples;
    int histograms;
    int exemplars;

    /** Name/value pairs of series {@code s} in wire order. */
    String[] labels(int s) {
      String[] n = names[s];
      String[] v = values[s];
      String[] pairs = new String[n.length * 2];
      for (int i = 0; i < n.length; i++) {
        pairs[2 * i] = n[i];
        pairs[2 * i + 1] = v[i];
      }
      return pairs;
    }

    int start(int s) {
      return s == 0 ? 0 : sampleEnds[s - 1];
    }
  }

  private final byte[] buf;
  private int pos;
  private final StringCache strings = CACHE.get();
  // Labels of the series being read.
  private String[] labelNames = new String[16];
  private String[] labelValues = new String[16];
  private int labelCount;

  private WriteRequestReader(byte[] buf) {
    this.buf = buf;
  }

  static Result read(byte[] raw) throws InvalidProtocolBufferException {
    return new WriteRequestReader(raw).request();
  }

  private Result request() throws InvalidProtocolBufferException {
    Result out = new Result();
    int end = buf.length;
    while (pos < end) {
      int tag = readTag();
      if (tag == (1 << 3 | WIRE_LEN)) {
        int len = readLength();
        timeSeries(out, pos + len);
      } else if (tag == (3 << 3 | WIRE_LEN)) {
        int len = readLength();
        metadata(pos + len);
      } else {
        skipField(tag, 0);
      }
    }
    return out;
  }

  private void timeSeries(Result out, int end) throws InvalidProtocolBufferException {
    labelCount = 0;
    int firstSample = out.samples;
    while (pos < end) {
      int tag = readTag();
      switch (tag) {
        case 1 << 3 | WIRE_LEN -> label(endOf(readLength()));
        case 2 << 3 | WIRE_LEN -> sample(out, endOf(readLength()));
        case 3 << 3 | WIRE_LEN -> {
          out.exemplars++;
          exemplar(endOf(readLength()));
        }
        case 4 << 3 | WIRE_LEN -> {
          out.histograms++;
          skipMessage(endOf(readLength()), 1);
        }
        default -> skipField(tag, 1);
      }
    }
    checkEnd(end);
    if (out.series == out.names.length) {
      int cap = out.series * 2;
      out.names = Arrays.copyOf(out.names, cap);
      out.values = Arrays.copyOf(out.values, cap);
      out.sampleEnds = Arrays.copyOf(out.sampleEnds, cap);
    }
    out.names[out.series] = strings.names(labelNames, labelCount);
    out.values[out.series] = Arrays.copyOf(labelValues, labelCount);
    out.sampleEnds[out.series] = out.samples;
    out.series++;
    assert out.samples >= firstSample;
  }

  /** Checks an exemplar as parsing it would (its labels must be valid UTF-8); stores nothing. */
  private void exemplar(int end) throws InvalidProtocolBufferException {
    int saved = labelCount;
    while (pos < end) {
      int tag = readTag();
      switch (tag) {
        case 1 << 3 | WIRE_LEN -> {
          label(endOf(readLength()));
          labelCount = saved;
        }
        default -> skipField(tag, 2);
      }
    }
    checkEnd(end);
  }

  /** Checks a MetricMetadata as parsing it would (strings must be valid UTF-8); stores nothing. */
  private void metadata(int end) throws InvalidProtocolBufferException {
    while (pos < end) {
      int tag = readTag();
      switch (tag) {
        case 2 << 3 | WIRE_LEN, 4 << 3 | WIRE_LEN, 5 << 3 | WIRE_LEN -> {
          int len = readLength();
          StringCache.decode(buf, pos, len);
          pos += len;
        }
        default -> skipField(tag, 1);
      }
    }
    checkEnd(end);
  }

  private void label(int end) throws InvalidProtocolBufferException {
    String name = "";
    String value = "";
    while (pos < end) {
      int tag = readTag();
      switch (tag) {
        case 1 << 3 | WIRE_LEN -> name = string(readLength());
        case 2 << 3 | WIRE_LEN -> value = string(readLength());
        default -> skipField(tag, 2);
      }
    }
    checkEnd(end);
    if (labelCount == labelNames.length) {
      labelNames = Arrays.copyOf(labelNames, labelCount * 2);
      labelValues = Arrays.copyOf(labelValues, labelCount * 2);
    }
    labelNames[labelCount] = name;
    labelValues[labelCount] = value;
    labelCount++;
  }

  private void sample(Result out, int end) throws InvalidProtocolBufferException {
    long valueBits = 0;
    long timestamp = 0;
    while (pos < end) {
      int tag = readTag();
      switch (tag) {
        case 1 << 3 | WIRE_FIXED64 -> valueBits = readFixed64();
        case 2 << 3 | WIRE_VARINT -> timestamp = readVarint64();
        default -> skipField(tag, 2);
      }
    }
    checkEnd(end);
    if (out.samples == out.timestamps.length) {
      int cap = out.samples * 2;
      out.timestamps = Arrays.copyOf(out.timestamps, cap);
      out.sampleValues = Arrays.copyOf(out.sampleValues, cap);
    }
    out.timestamps[out.samples] = timestamp;
    out.sampleValues[out.samples] = Double.longBitsToDouble(valueBits);
    out.samples++;
  }

  // ---- wire format ----

  /** The end of a field of {@code len} bytes starting here (call with the length just read). */
  private int endOf(int len) {
    return pos + len;
  }

  private void checkEnd(int end) throws InvalidProtocolBufferException {
    if (pos != end) {
      throw truncated();
    }
  }

  private int readTag() throws InvalidProtocolBufferException {
    int tag = (int) readVarint64(); // as protobuf-java, which reads a tag as a 32-bit varint
    if (tag >>> 3 == 0) {
      throw new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).");
    }
    return tag;
  }

  private int readLength() throws InvalidProtocolBufferException {
    long n = readVarint64();
    int len = (int) n;
    if (len < 0 || n != len) {
      throw new InvalidProtocolBufferException(
          "CodedInputStream encountered an embedded string or message which claimed to have negative size.");
    }
    if (len > buf.length - pos) {
      throw truncated();
    }
    return len;
  }

  private long readVarint64() throws InvalidProtocolBufferException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= buf.length) {
        throw truncated();
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new InvalidProtocolBufferException("CodedInputStream encountered a malformed varint.");
  }

  private long readFixed64() throws InvalidProtocolBufferException {
    if (buf.length - pos < 8) {
      throw truncated();
    }
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  private String string(int len) throws InvalidProtocolBufferException {
    String s = strings.get(buf, pos, len);
    pos += len;
    return s;
  }

  private void skipMessage(int end, int depth) throws InvalidProtocolBufferException {
    while (pos < end) {
      skipField(readTag(), depth + 1);
    }
    checkEnd(end);
  }

  /** Skips one field whose tag was read. */
  private void skipField(int tag, int depth) throws InvalidProtocolBufferException {
    switch (tag & 7) {
      case WIRE_VARINT -> readVarint64();
      case WIRE_FIXED64 -> {
        if (buf.length - pos < 8) {
          throw truncated();
        }
        pos += 8;
      }
      case WIRE_LEN -> {
        int len = readLength();
        pos += len;
      }
      case WIRE_START_GROUP -> {
        if (depth >= MAX_DEPTH) {
          throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting.");
        }
        int endTag = (tag & ~7) | WIRE_END_GROUP;
        while (true) {
          if (pos >= buf.length) {
            throw truncated();
          }
          int t = readTag();
          if (t == endTag) {
            break;
          }
          if ((t & 7) == WIRE_END_GROUP) {
            throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
          }
          skipField(t, depth + 1);
        }
      }
      case WIRE_END_GROUP ->
          throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
      case WIRE_FIXED32 -> {
        if (buf.length - pos < 4) {
          throw truncated();
        }
        pos += 4;
      }
      default -> throw new InvalidProtocolBufferException("Protocol message tag had invalid wire type.");
    }
  }

  private static InvalidProtocolBufferException truncated() {
    return new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly "
        + "in the middle of a field.  This could mean either that the input has been truncated or that an "
        + "embedded message misreported its own length.");
  }

  /**
   * Strings by their UTF-8 bytes (open addressing; cleared when full), and label-name arrays by
   * content, so that series with the same label names share one array.
   */
  static final class StringCache {
    private static final int SLOTS = 1 << 14; // at most half full
    private byte[][] keys = new byte[SLOTS][];
    private String[] strings = new String[SLOTS];
    private int[] hashes = new int[SLOTS];
    private int size;
    private final String[][] nameSets = new String[1024][];
    private int nameSetCount;

    String get(byte[] buf, int off, int len) throws InvalidProtocolBufferException {
      if (len == 0) {
        return "";
      }
      int h = 1;
      for (int i = off, e = off + len; i < e; i++) {
        h = 31 * h + buf[i];
      }
      int mask = SLOTS - 1;
      int slot = mix(h) & mask;
      while (true) {
        byte[] k = keys[slot];
        if (k == null) {
          break;
        }
        if (hashes[slot] == h && Arrays.equals(k, 0, k.length, buf, off, off + len)) {
          return strings[slot];
        }
        slot = (slot + 1) & mask;
      }
      String s = decode(buf, off, len);
      if (size >= SLOTS / 2) {
        Arrays.fill(keys, null);
        Arrays.fill(strings, null);
        size = 0;
        slot = mix(h) & mask;
      }
      keys[slot] = Arrays.copyOfRange(buf, off, off + len);
      strings[slot] = s;
      hashes[slot] = h;
      size++;
      return s;
    }

    /** A shared array equal to {@code names[0..n)} (the same instance for the same names). */
    String[] names(String[] names, int n) {
      int h = n;
      for (int i = 0; i < n; i++) {
        h = 31 * h + names[i].hashCode(); // cached in the (shared) String instances
      }
      int mask = nameSets.length - 1;
      int slot = mix(h) & mask;
      while (true) {
        String[] c = nameSets[slot];
        if (c == null) {
          break;
        }
        if (c.length == n && sameStrings(c, names, n)) {
          return c;
        }
        slot = (slot + 1) & mask;
      }
      if (nameSetCount >= nameSets.length / 2) {
        Arrays.fill(nameSets, null); // many different label sets: start over
        nameSetCount = 0;
        slot = mix(h) & mask;
      }
      String[] copy = Arrays.copyOf(names, n);
      nameSets[slot] = copy;
      nameSetCount++;
      return copy;
    }

    private static boolean sameStrings(String[] a, String[] b, int n) {
      for (int i = 0; i < n; i++) {
        if (a[i] != b[i] && !a[i].equals(b[i])) {
          return false;
        }
      }
      return true;
    }

    private static int mix(int h) {
      h ^= h >>> 16;
      h *= 0x85ebca6b;
      return h ^ (h >>> 13);
    }

    static String decode(byte[] buf, int off, int len) throws InvalidProtocolBufferException {
      boolean ascii = true;
      for (int i = off, e = off + len; i < e && ascii; i++) {
        ascii = buf[i] >= 0;
      }
      if (ascii) {
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
      }
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(buf, off, len)).toString();
      } catch (CharacterCodingException e) {
        throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
      }
    }
  }
}
