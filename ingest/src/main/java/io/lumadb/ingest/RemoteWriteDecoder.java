package io.lumadb.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.lumadb.proto.prometheus.Remote;
import io.lumadb.proto.prometheus.Types;
import io.lumadb.storage.MetricsStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Turns a remote write request body (snappy-compressed protobuf, version 1.0
 * {@code prometheus.WriteRequest} or 2.0 {@code io.prometheus.write.v2.Request}) into samples,
 * checking every series first: a request with any invalid series is rejected whole.
 */
public final class RemoteWriteDecoder {
  public static final String V2_PROTO = "io.prometheus.write.v2.Request";
  public static final String V1_PROTO = "prometheus.WriteRequest";

  /**
   * The decoded request. Remote write 2.0 also brings the metadata of its series' metrics and
   * their exemplars (empty for 1.0, whose exemplars are only counted); created timestamps are
   * on the series ({@link MetricsStorage.SeriesBatch#created}).
   */
  public record Decoded(int version, MetricsStorage.SeriesBatch series, int histograms, int exemplars,
      List<MetricMetadata.Entry> metadata, List<Exemplars.Exemplar> exemplarList) {
    public Decoded(int version, MetricsStorage.SeriesBatch series, int histograms, int exemplars) {
      this(version, series, histograms, exemplars, List.of(), List.of());
    }

    /** The samples one by one (tests). */
    public List<MetricsStorage.Sample> samples() {
      return series.toSamples();
    }

    public int sampleCount() {
      return series.sampleCount();
    }
  }

  private final int maxDecodedBytes;

  public RemoteWriteDecoder(int maxDecodedBytes) {
    this.maxDecodedBytes = maxDecodedBytes;
  }

  /** Which protobuf message the Content-Type names: 1 or 2; throws 415 for anything else. */
  public static int version(String contentType) {
    if (contentType == null) {
      throw new IngestException(415, "Content-Type must be application/x-protobuf");
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/x-protobuf")) {
      throw new IngestException(415, "unsupported Content-Type \"" + contentType
          + "\": use application/x-protobuf");
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("proto=")) {
        String proto = p.substring(6).trim();
        if (proto.equals(V2_PROTO)) {
          return 2;
        }
        if (proto.equals(V1_PROTO)) {
          return 1;
        }
        throw new IngestException(415, "unsupported remote write message \"" + proto
            + "\": use " + V1_PROTO + " or " + V2_PROTO);
      }
    }
    return 1;
  }

  public Decoded decode(byte[] body, String contentType, String contentEncoding) {
    int version = version(contentType);
    if (contentEncoding == null || !contentEncoding.trim().equalsIgnoreCase("snappy")) {
      throw new IngestException(415, "unsupported Content-Encoding \"" + contentEncoding
          + "\": remote write bodies are snappy-compressed (Content-Encoding: snappy)");
    }
    byte[] raw = uncompress(body);
    try {
      return version == 2 ? decodeV2(raw) : decodeV1(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IngestException(400, "malformed protobuf: " + e.getMessage());
    }
  }

  private byte[] uncompress(byte[] body) {
    try {
      if (!Snappy.isValidCompressedBuffer(body)) {
        throw new IngestException(400, "body is not valid snappy (block format) data");
      }
      int length = Snappy.uncompressedLength(body);
      if (length < 0 || length > maxDecodedBytes) {
        throw new IngestException(413, "request decompresses to " + length
            + " bytes, more than the limit of " + maxDecodedBytes);
      }
      return Snappy.uncompress(body);
    } catch (IOException e) {
      throw new IngestException(400, "body is not valid snappy data: " + e.getMessage());
    }
  }

  /** Remote write 1.0, read with {@link WriteRequestReader} (no message objects). */
  static Decoded decodeV1(byte[] raw) throws InvalidProtocolBufferException {
    WriteRequestReader.Result r = WriteRequestReader.read(raw);
    MetricsStorage.SeriesBatch out = new MetricsStorage.SeriesBatch(r.series, r.samples);
    String[] checkedNames = null; // the last label-name array that passed the name checks
    int nameAt = -1;
    String[] restNames = null;
    for (int s = 0; s < r.series; s++) {
      String[] names = r.names[s];
      String[] values = r.values[s];
      if (names != checkedNames) {
        // A new set of label names: the full check, in the order of checkLabels.
        checkLabels(Arrays.asList(r.labels(s)), s);
        checkedNames = names;
        nameAt = Arrays.asList(names).indexOf("__name__");
        restNames = new String[names.length - 1];
        for (int i = 0, k = 0; i < names.length; i++) {
          if (i != nameAt) {
            restNames[k++] = names[i];
          }
        }
      } else {
        // Same names as a checked series: only the values can fail (in checkLabels' order).
        for (int i = 0; i < names.length; i++) {
          if (values[i].isEmpty()) {
            throw new IngestException(400, "series " + s + ": label " + names[i] + " has an empty value");
          }
        }
        if (!validMetricName(values[nameAt])) {
          throw new IngestException(400, "series " + s + ": invalid metric name \"" + values[nameAt] + "\"");
        }
      }
      int from = r.start(s);
      int n = r.sampleEnds[s] - from;
      if (n == 0) {
        continue;
      }
      String[] restValues = new String[restNames.length];
      for (int i = 0, k = 0; i < values.length; i++) {
        if (i != nameAt) {
          restValues[k++] = values[i];
        }
      }
      out.addSeries(values[nameAt], restNames, restValues);
      out.addSamples(r.timestamps, r.sampleValues, from, n);
    }
    if (r.histograms > 0) {
      throw new IngestException(400, "native histograms are not supported yet (" + r.histograms
          + " in this request); configure Prometheus to send classic histograms");
    }
    return new Decoded(1, out, 0, r.exemplars);
  }

  /** Remote write 1.0 through the generated protobuf classes (the reference for {@link #decodeV1}). */
  static Decoded decodeV1Messages(byte[] raw) throws InvalidProtocolBufferException {
    Remote.WriteRequest req = Remote.WriteRequest.parseFrom(raw);
    MetricsStorage.SeriesBatch out = new MetricsStorage.SeriesBatch(req.getTimeseriesCount(), 16);
    int histograms = 0;
    int exemplars = 0;
    for (int s = 0; s < req.getTimeseriesCount(); s++) {
      Types.TimeSeries ts = req.getTimeseries(s);
      List<String> pairs = new ArrayList<>(ts.getLabelsCount() * 2);
      for (Types.Label l : ts.getLabelsList()) {
        pairs.add(l.getName());
        pairs.add(l.getValue());
      }
      Map<String, String> labels = checkLabels(pairs, s);
      histograms += ts.getHistogramsCount();
      exemplars += ts.getExemplarsCount();
      addSeries(out, labels);
      for (Types.Sample x : ts.getSamplesList()) {
        out.addSample(x.getTimestamp(), x.getValue());
      }
    }
    if (histograms > 0) {
      throw new IngestException(400, "native histograms are not supported yet (" + histograms
          + " in this request); configure Prometheus to send classic histograms");
    }
    return new Decoded(1, out, 0, exemplars);
  }

  private static Decoded decodeV2(byte[] raw) throws InvalidProtocolBufferException {
    io.lumadb.proto.prometheus.v2.Types.Request req = io.lumadb.proto.prometheus.v2.Types.Request.parseFrom(raw);
    List<String> symbols = req.getSymbolsList();
    MetricsStorage.SeriesBatch out = new MetricsStorage.SeriesBatch(req.getTimeseriesCount(), 16);
    List<MetricMetadata.Entry> metadata = new ArrayList<>();
    List<Exemplars.Exemplar> exemplars = new ArrayList<>();
    int histograms = 0;
    for (int s = 0; s < req.getTimeseriesCount(); s++) {
      var ts = req.getTimeseries(s);
      Map<String, String> labels = checkLabels(symbols(symbols, ts.getLabelsRefsList(), s, "labels_refs"), s);
      histograms += ts.getHistogramsCount();
      String metric = labels.get("__name__");
      addSeries(out, labels);
      for (var x : ts.getSamplesList()) {
        out.addSample(x.getTimestamp(), x.getValue());
      }
      out.setCreated(ts.getCreatedTimestamp());
      if (ts.hasMetadata()) {
        var m = ts.getMetadata();
        String help = symbol(symbols, m.getHelpRef(), s, "help_ref");
        String unit = symbol(symbols, m.getUnitRef(), s, "unit_ref");
        if (m.getTypeValue() != 0 || !help.isEmpty() || !unit.isEmpty()) {
          metadata.add(new MetricMetadata.Entry(metric, MetricMetadata.typeName(m.getTypeValue()), help, unit));
        }
      }
      for (int e = 0; e < ts.getExemplarsCount(); e++) {
        var x = ts.getExemplars(e);
        List<String> pairs = symbols(symbols, x.getLabelsRefsList(), s, "exemplar labels_refs");
        exemplars.add(new Exemplars.Exemplar(labels, pairs, x.getValue(), x.getTimestamp()));
      }
    }
    if (histograms > 0) {
      throw new IngestException(400, "native histograms are not supported yet (" + histograms
          + " in this request); configure the sender to send classic histograms");
    }
    return new Decoded(2, out, 0, exemplars.size(), metadata, exemplars);
  }

  /** The symbols {@code refs} name, as name/value pairs. */
  private static List<String> symbols(List<String> symbols, List<Integer> refs, int series, String field) {
    if (refs.size() % 2 != 0) {
      throw new IngestException(400, "series " + series + ": " + field + " has an odd number of entries");
    }
    List<String> pairs = new ArrayList<>(refs.size());
    for (int ref : refs) {
      pairs.add(symbol(symbols, ref, series, field));
    }
    return pairs;
  }

  private static String symbol(List<String> symbols, int ref, int series, String field) {
    if (ref < 0 || ref >= symbols.size()) {
      throw new IngestException(400, "series " + series + ": " + field + " reference " + Integer.toUnsignedString(ref)
          + " is outside the symbols table of " + symbols.size());
    }
    return symbols.get(ref);
  }

  private static void addSeries(MetricsStorage.SeriesBatch out, Map<String, String> labels) {
    String[] names = new String[labels.size() - 1];
    String[] values = new String[names.length];
    int k = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!e.getKey().equals("__name__")) {
        names[k] = e.getKey();
        values[k++] = e.getValue();
      }
    }
    out.addSeries(labels.get("__name__"), names, values);
  }

  /** {@code [a-zA-Z_][a-zA-Z0-9_]*} */
  static boolean validLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*} */
  static boolean validMetricName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Labels as name/value pairs: sorted by name, unique, valid, non-empty, with __name__. */
  static Map<String, String> checkLabels(List<String> pairs, int series) {
    Map<String, String> labels = new LinkedHashMap<>();
    String previous = null;
    for (int i = 0; i < pairs.size(); i += 2) {
      String name = pairs.get(i);
      String value = pairs.get(i + 1);
      if (name.isEmpty()) {
        throw new IngestException(400, "series " + series + ": a label has an empty name");
      }
      if (value.isEmpty()) {
        throw new IngestException(400, "series " + series + ": label " + name + " has an empty value");
      }
      if (previous != null) {
        int c = name.compareTo(previous);
        if (c == 0) {
          throw new IngestException(400, "series " + series + ": duplicate label " + name);
        }
        if (c < 0) {
          throw new IngestException(400, "series " + series + ": labels are not sorted by name ("
              + previous + " before " + name + ")");
        }
      }
      if (!name.equals("__name__") && !validLabelName(name)) {
        throw new IngestException(400, "series " + series + ": invalid label name \"" + name + "\"");
      }
      labels.put(name, value);
      previous = name;
    }
    String metric = labels.get("__name__");
    if (metric == null) {
      throw new IngestException(400, "series " + series + " has no __name__ label");
    }
    if (!validMetricName(metric)) {
      throw new IngestException(400, "series " + series + ": invalid metric name \"" + metric + "\"");
    }
    return labels;
  }
}
