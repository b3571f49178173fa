package io.lumadb.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.lumadb.proto.prometheus.Remote;
import io.lumadb.proto.prometheus.Types;
import io.lumadb.storage.MetricsStorage;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The direct remote write 1.0 reader ({@link RemoteWriteDecoder#decodeV1}) against the generated
 * protobuf classes ({@link RemoteWriteDecoder#decodeV1Messages}): same samples, same labels, same
 * errors, on realistic bodies and on broken ones.
 */
class WriteRequestReaderTest {
  private static final String[] METRICS = {"cpu_usage_user", "cpu_usage_system", "up", "http_requests_total"};

  /** A Prometheus-like request: series of several hosts and metrics, sorted labels. */
  static Remote.WriteRequest request(Random rnd, int series, int samplesPerSeries) {
    Remote.WriteRequest.Builder b = Remote.WriteRequest.newBuilder();
    for (int s = 0; s < series; s++) {
      Types.TimeSeries.Builder ts = Types.TimeSeries.newBuilder();
      ts.addLabels(label("__name__", METRICS[rnd.nextInt(METRICS.length)]));
      ts.addLabels(label("datacenter", "eu-west-1" + (char) ('a' + rnd.nextInt(3))));
      ts.addLabels(label("hostname", "host_" + rnd.nextInt(50)));
      if (rnd.nextBoolean()) {
        ts.addLabels(label("job", "node"));
      }
      ts.addLabels(label("region", rnd.nextInt(10) == 0 ? "zürich-ß-東京" : "eu-west-1"));
      if (rnd.nextInt(5) == 0) {
        ts.addLabels(label("value", "v" + rnd.nextInt(3))); // stored as label_value
      }
      int n = rnd.nextInt(8) == 0 ? 0 : samplesPerSeries;
      for (int i = 0; i < n; i++) {
        double v = switch (rnd.nextInt(6)) {
          case 0 -> Double.longBitsToDouble(0x7ff0000000000002L); // stale marker
          case 1 -> -0.0;
          case 2 -> Double.POSITIVE_INFINITY;
          default -> rnd.nextGaussian() * 100;
        };
        long t = rnd.nextInt(20) == 0 ? -rnd.nextInt(1000) : 1_700_000_000_000L + i * 10_000L;
        ts.addSamples(Types.Sample.newBuilder().setValue(v).setTimestamp(t));
      }
      if (rnd.nextInt(10) == 0) {
        ts.addExemplars(Types.Exemplar.newBuilder().addLabels(label("trace_id", "abc" + s)).setValue(1).setTimestamp(5));
      }
      b.addTimeseries(ts);
    }
    if (rnd.nextBoolean()) {
      b.addMetadata(Types.MetricMetadata.newBuilder().setMetricFamilyName("up").setHelp("is it up").setType(
          Types.MetricMetadata.MetricType.GAUGE));
    }
    return b.build();
  }

  static Types.Label label(String name, String value) {
    return Types.Label.newBuilder().setName(name).setValue(value).build();
  }

  @Test
  void sameSamplesAsTheGeneratedClasses() throws Exception {
    Random rnd = new Random(1);
    for (int round = 0; round < 200; round++) {
      byte[] raw = request(rnd, 1 + rnd.nextInt(60), 1 + rnd.nextInt(12)).toByteArray();
      RemoteWriteDecoder.Decoded fast = RemoteWriteDecoder.decodeV1(raw);
      RemoteWriteDecoder.Decoded ref = RemoteWriteDecoder.decodeV1Messages(raw);
      assertSame(ref, fast);
    }
  }

  @Test
  void seriesShareLabelNameArraysAndStrings() throws Exception {
    Remote.WriteRequest req = Remote.WriteRequest.newBuilder()
        .addTimeseries(Types.TimeSeries.newBuilder().addLabels(label("__name__", "a")).addLabels(label("host", "h1"))
            .addSamples(Types.Sample.newBuilder().setValue(1).setTimestamp(1)))
        .addTimeseries(Types.TimeSeries.newBuilder().addLabels(label("__name__", "b")).addLabels(label("host", "h1"))
            .addSamples(Types.Sample.newBuilder().setValue(2).setTimestamp(2)))
        .build();
    MetricsStorage.SeriesBatch b = RemoteWriteDecoder.decodeV1(req.toByteArray()).series();
    assertEquals(2, b.seriesCount());
    assertTrue(b.labelNames(0) == b.labelNames(1));
    assertTrue(b.labelValues(0)[0] == b.labelValues(1)[0]);
    assertArrayEquals(new String[] {"host"}, b.labelNames(0));
    assertEquals("b", b.metric(1));
  }

  @Test
  void truncatedAndCorruptedBodiesFailAsTheGeneratedClassesDo() throws Exception {
    Random rnd = new Random(2);
    for (int round = 0; round < 20; round++) {
      byte[] raw = request(rnd, 1 + rnd.nextInt(8), 1 + rnd.nextInt(4)).toByteArray();
      for (int cut = 0; cut < raw.length; cut++) {
        compare(java.util.Arrays.copyOf(raw, cut));
      }
      for (int k = 0; k < 300; k++) {
        byte[] bad = raw.clone();
        int flips = 1 + rnd.nextInt(3);
        for (int f = 0; f < flips; f++) {
          bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
        }
        compare(bad);
      }
    }
  }

  @Test
  void invalidUtf8AndBadTagsAreMalformed() {
    byte[] badUtf8 = Remote.WriteRequest.newBuilder().addTimeseries(Types.TimeSeries.newBuilder()
        .addLabels(label("aQ", "x"))).build().toByteArray();
    for (int i = 0; i < badUtf8.length; i++) {
      if (badUtf8[i] == 'Q') {
        badUtf8[i] = (byte) 0xc3; // a lead byte without its continuation
      }
    }
    assertThrows(InvalidProtocolBufferException.class, () -> RemoteWriteDecoder.decodeV1Messages(badUtf8));
    assertThrows(InvalidProtocolBufferException.class, () -> RemoteWriteDecoder.decodeV1(badUtf8));
    assertThrows(InvalidProtocolBufferException.class, () -> RemoteWriteDecoder.decodeV1(new byte[] {0, 1}));
    assertThrows(InvalidProtocolBufferException.class, () -> RemoteWriteDecoder.decodeV1(new byte[] {0x0a, 5, 1}));
    assertThrows(InvalidProtocolBufferException.class, () -> RemoteWriteDecoder.decodeV1(new byte[] {0x0f}));
  }

  @Test
  void labelErrorsAreTheSame() throws Exception {
    List<List<Types.Label>> cases = List.of(
        List.of(label("a", "1")),
        List.of(label("__name__", "m"), label("b", "1"), label("a", "2")),
        List.of(label("__name__", "m"), label("a", "1"), label("a", "2")),
        List.of(label("__name__", "m"), label("a", "")),
        List.of(label("__name__", "m"), label("", "x")),
        List.of(label("__name__", "m"), label("9a", "x")),
        List.of(label("__name__", "9m")),
        List.of(label("__name__", "")));
    for (List<Types.Label> labels : cases) {
      // After a valid series with the same label names, so the shortcut for known names is used too.
      Types.TimeSeries.Builder good = Types.TimeSeries.newBuilder();
      for (Types.Label l : labels) {
        good.addLabels(label(l.getName(), l.getName().equals("__name__") ? "ok" : "ok"));
      }
      good.addSamples(Types.Sample.newBuilder().setValue(1).setTimestamp(1));
      Types.TimeSeries bad = Types.TimeSeries.newBuilder().addAllLabels(labels)
          .addSamples(Types.Sample.newBuilder().setValue(1).setTimestamp(1)).build();
      compare(Remote.WriteRequest.newBuilder().addTimeseries(bad).build().toByteArray());
      compare(Remote.WriteRequest.newBuilder().addTimeseries(good).addTimeseries(bad).build().toByteArray());
    }
    byte[] histogram = Remote.WriteRequest.newBuilder().addTimeseries(Types.TimeSeries.newBuilder()
        .addLabels(label("__name__", "h")).addHistograms(Types.Histogram.newBuilder().setSum(1))).build().toByteArray();
    IngestException e = assertThrows(IngestException.class, () -> RemoteWriteDecoder.decodeV1(histogram));
    assertTrue(e.getMessage().contains("native histograms"), e.getMessage());
  }

  /** Both succeed with the same result, or both fail: 400 with the same message, or both malformed. */
  private static void compare(byte[] raw) {
    Object ref = outcome(() -> RemoteWriteDecoder.decodeV1Messages(raw));
    Object fast = outcome(() -> RemoteWriteDecoder.decodeV1(raw));
    if (ref instanceof RemoteWriteDecoder.Decoded r && fast instanceof RemoteWriteDecoder.Decoded f) {
      assertSame(r, f);
    } else if (ref instanceof IngestException r && fast instanceof IngestException f) {
      assertEquals(r.status() + " " + r.getMessage(), f.status() + " " + f.getMessage());
    } else if (ref instanceof InvalidProtocolBufferException) {
      // A broken histogram or exemplar body is skipped unparsed: still a 400 for the request.
      assertTrue(fast instanceof InvalidProtocolBufferException
          || (fast instanceof IngestException f && f.status() == 400), () -> "ref " + ref + ", fast " + fast);
    } else {
      throw new AssertionError("ref " + ref + ", fast " + fast);
    }
  }

  interface Decode {
    RemoteWriteDecoder.Decoded run() throws Exception;
  }

  private static Object outcome(Decode d) {
    try {
      return d.run();
    } catch (Exception e) {
      return e;
    }
  }

  private static void assertSame(RemoteWriteDecoder.Decoded ref, RemoteWriteDecoder.Decoded fast) {
    assertEquals(ref.exemplars(), fast.exemplars());
    assertEquals(ref.sampleCount(), fast.sampleCount());
    List<MetricsStorage.Sample> a = ref.samples();
    List<MetricsStorage.Sample> b = fast.samples();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      MetricsStorage.Sample x = a.get(i);
      MetricsStorage.Sample y = b.get(i);
      assertEquals(x.metric(), y.metric());
      assertEquals(Map.copyOf(x.labels()), Map.copyOf(y.labels()));
      assertEquals(x.timestampMillis(), y.timestampMillis());
      assertEquals(Double.doubleToRawLongBits(x.value()), Double.doubleToRawLongBits(y.value()));
    }
    for (int s = 0; s < fast.series().seriesCount(); s++) {
      assertEquals(SeriesTracker.labelSetHash(Map.copyOf(ref.samples().isEmpty() ? Map.of()
          : fast.samples().get(fast.series().start(s)).labels())),
          SeriesTracker.labelSetHash(fast.series().labelNames(s), fast.series().labelValues(s)));
    }
  }
}
