package io.lumadb.bench;

import io.lumadb.proto.prometheus.Remote;
import io.lumadb.proto.prometheus.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * TSBS cpu-only rows as Prometheus remote write 1.0 request bodies (snappy-compressed
 * {@code prometheus.WriteRequest}), one metric per field as TSBS's Prometheus format has it:
 * {@code cpu_usage_user{arch=..., datacenter=..., hostname=..., ...}}. Each TSBS row gives ten
 * samples, one per metric; a request holds the rows of consecutive timestamps, one series per
 * metric and host with that host's samples in time order (with 100 hosts, 2,000 samples per
 * request are 2 timestamps and 1,000 series of 2 samples each).
 *
 * <p>The rows come from one generator that keeps going, so successive bodies (also of
 * different sizes) carry successive timestamps and never repeat a sample.
 */
final class RemoteWriteBodies {
  /** One request body: the compressed bytes, the samples and TSBS rows it holds, its size before snappy. */
  record Body(byte[] bytes, int samples, int rows, int rawBytes) {}

  private final TsbsCpuGenerator gen;
  private final Map<Integer, TsbsCpuGenerator.Batch> batches = new HashMap<>();
  /** Per hostname: the host's labels sorted by name, without __name__. */
  private final Map<String, List<Types.Label>> hostLabels = new HashMap<>();
  private final Types.Label[] names;
  private long rows;

  RemoteWriteBodies(TsbsCpuGenerator.Config config) {
    this.gen = new TsbsCpuGenerator(config);
    List<String> fields = TsbsCpuGenerator.FIELDS;
    names = new Types.Label[fields.size()];
    for (int f = 0; f < names.length; f++) {
      names[f] = label("__name__", metric(fields.get(f)));
    }
  }

  /** The metric (and LumaDB table metrics.<name>) of a TSBS field. */
  static String metric(String field) {
    return "cpu_" + field;
  }

  /** TSBS rows handed out so far. */
  long rows() {
    return rows;
  }

  /**
   * The next body of about {@code samplesPerRequest} samples ({@code samplesPerRequest / 10}
   * rows), or null when the generator has no rows left.
   */
  Body next(int samplesPerRequest) {
    int wantRows = Math.max(1, samplesPerRequest / TsbsCpuGenerator.FIELDS.size());
    TsbsCpuGenerator.Batch b = batches.computeIfAbsent(wantRows, TsbsCpuGenerator.Batch::new);
    int n = gen.fill(b);
    if (n == 0) {
      return null;
    }
    rows += n;
    // Rows per host, in time order (the generator is time-major).
    Map<String, List<Integer>> byHost = new LinkedHashMap<>();
    String[] hostnames = b.tags[0];
    for (int i = 0; i < n; i++) {
      String h = hostnames[i];
      List<Integer> idx = byHost.get(h);
      if (idx == null) {
        idx = new ArrayList<>(4);
        byHost.put(h, idx);
        if (!hostLabels.containsKey(h)) {
          hostLabels.put(h, sortedLabels(b, i));
        }
      }
      idx.add(i);
    }
    Remote.WriteRequest.Builder req = Remote.WriteRequest.newBuilder();
    int samples = 0;
    for (int f = 0; f < names.length; f++) {
      double[] values = b.fields[f];
      for (Map.Entry<String, List<Integer>> e : byHost.entrySet()) {
        Types.TimeSeries.Builder ts = Types.TimeSeries.newBuilder().addLabels(names[f])
            .addAllLabels(hostLabels.get(e.getKey()));
        for (int i : e.getValue()) {
          ts.addSamples(Types.Sample.newBuilder().setTimestamp(b.timestamps[i]).setValue(values[i]));
          samples++;
        }
        req.addTimeseries(ts);
      }
    }
    byte[] raw = req.build().toByteArray();
    try {
      return new Body(Snappy.compress(raw), samples, n, raw.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Row i's tags as labels sorted by name (remote write requires sorted labels). */
  private static List<Types.Label> sortedLabels(TsbsCpuGenerator.Batch b, int i) {
    List<String> tags = new ArrayList<>(TsbsCpuGenerator.TAGS);
    Map<String, String> values = new HashMap<>();
    for (int t = 0; t < tags.size(); t++) {
      values.put(tags.get(t), b.tags[t][i]);
    }
    tags.sort(null);
    List<Types.Label> out = new ArrayList<>(tags.size());
    for (String t : tags) {
      out.add(label(t, values.get(t)));
    }
    return List.copyOf(out);
  }

  private static Types.Label label(String name, String value) {
    return Types.Label.newBuilder().setName(name).setValue(value).build();
  }
}
