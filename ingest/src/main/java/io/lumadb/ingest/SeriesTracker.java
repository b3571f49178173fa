package io.lumadb.ingest;

import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.MetricsStorage.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counts the distinct series (label sets) of each metric table and refuses new series past a
 * limit ({@link IngestLimits#maxSeriesPerMetric()}), so a label with unbounded values (a user
 * id, a request id) fails loudly instead of filling memory. Series are kept as 64-bit hashes
 * of their label sets, about 16 bytes each.
 *
 * <p>What is counted: series written through this tracker since the process started and within
 * the last one to two hours (two generations of an hour: a series not written for two hours
 * stops counting, so churning labels such as pod names do not fill the limit forever). After a
 * restart the count starts from zero and series already stored count again as they are
 * written; stored data is not read back, which would mean reading the warm Parquet files.
 * Share one tracker between receivers that write the same tables (remote write and OTLP), so
 * a metric fed by both is counted once.
 */
public final class SeriesTracker {
  static final long GENERATION_NANOS = TimeUnit.HOURS.toNanos(1);

  private final LongSupplier nanoClock;
  private final Map<String, MetricSeries> byMetric = new HashMap<>();

  public SeriesTracker() {
    this(System::nanoTime);
  }

  /** With a clock in nanoseconds, for tests. */
  public SeriesTracker(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The series of one metric: this generation's and the previous one's. */
  private static final class MetricSeries {
    LongHashSet current = new LongHashSet();
    LongHashSet previous = new LongHashSet();
    int inBoth;
    long generationStart;

    MetricSeries(long now) {
      generationStart = now;
    }

    int count() {
      return current.size() + previous.size() - inBoth;
    }

    void rotateIfDue(long now) {
      if (now - generationStart >= GENERATION_NANOS) {
        // Two generations or more with no write: nothing survives.
        previous = now - generationStart >= 2 * GENERATION_NANOS ? new LongHashSet() : current;
        current = new LongHashSet();
        inBoth = 0;
        generationStart = now;
      }
    }
  }

  /**
   * Which groups of samples may be written. A group (one remote write request, one OTLP data
   * point with its buckets) is admitted whole or not at all. The new series of admitted groups
   * are counted at once; {@link #release()} uncounts them if the write then fails.
   */
  public final class Admission {
    private final boolean[] refused;
    private final int refusedGroups;
    private final Set<String> reasons;
    private final List<Object[]> added;

    private Admission(boolean[] refused, int refusedGroups, Set<String> reasons, List<Object[]> added) {
      this.refused = refused;
      this.refusedGroups = refusedGroups;
      this.reasons = reasons;
      this.added = added;
    }

    public boolean refused(int group) {
      return refused[group];
    }

    public int refusedGroups() {
      return refusedGroups;
    }

    /** Why, one sentence per metric that hit its limit; empty when everything was admitted. */
    public String message() {
      return String.join("; ", reasons);
    }

    /** Uncounts the series this admission added (its write failed). */
    public void release() {
      synchronized (SeriesTracker.this) {
        for (Object[] a : added) {
          MetricSeries m = (MetricSeries) a[0];
          long h = (Long) a[1];
          if (!m.current.remove(h)) {
            m.previous.remove(h);
          }
        }
        added.clear();
      }
    }
  }

  /**
   * Admits groups of samples: {@code groupEnds[g]} is the exclusive end index of group g in
   * {@code samples} (groups are contiguous, the first starts at 0). {@code maxSeries} 0 admits
   * everything without counting.
   */
  public Admission admit(List<Sample> samples, int[] groupEnds, int maxSeries) {
    boolean[] refused = new boolean[groupEnds.length];
    if (maxSeries <= 0 || samples.isEmpty()) {
      return new Admission(refused, 0, Set.of(), new ArrayList<>());
    }
    return admit(i -> samples.get(i).metric(), hashes(samples), groupEnds, maxSeries);
  }

  /**
   * Admits all series of {@code batch} as one group (a remote write request): the same as
   * {@code admit(batch.toSamples(), new int[] {batch.sampleCount()}, maxSeries)}, with one hash
   * per series instead of per sample.
   */
  public Admission admitSeries(MetricsStorage.SeriesBatch batch, int maxSeries) {
    int n = batch.seriesCount();
    if (maxSeries <= 0 || n == 0) {
      return new Admission(new boolean[1], 0, Set.of(), new ArrayList<>());
    }
    long[] hashes = new long[n];
    for (int s = 0; s < n; s++) {
      hashes[s] = labelSetHash(batch.labelNames(s), batch.labelValues(s));
    }
    return admit(batch::metric, hashes, new int[] {n}, maxSeries);
  }

  private Admission admit(java.util.function.IntFunction<String> metricOf, long[] hashes, int[] groupEnds,
      int maxSeries) {
    boolean[] refused = new boolean[groupEnds.length];
    Set<String> reasons = new LinkedHashSet<>();
    List<Object[]> added = new ArrayList<>();
    int refusedGroups = 0;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      String lastName = null;
      MetricSeries last = null;
      int start = 0;
      for (int g = 0; g < groupEnds.length; g++) {
        int mark = added.size();
        for (int i = start; i < groupEnds[g]; i++) {
          String metric = metricOf.apply(i);
          if (!metric.equals(lastName)) {
            last = byMetric.computeIfAbsent(metric, k -> new MetricSeries(now));
            last.rotateIfDue(now);
            lastName = metric;
          } else if (i > start && hashes[i] == hashes[i - 1]) {
            continue; // the next sample of the same series
          }
          long h = hashes[i];
          if (last.current.contains(h)) {
            continue;
          }
          if (last.previous.contains(h)) {
            last.current.add(h);
            last.inBoth++;
            continue;
          }
          if (last.count() >= maxSeries) {
            refused[g] = true;
            reasons.add("metric \"" + metric + "\" has reached its limit of " + maxSeries
                + " series (max series per metric): new series are rejected, existing series are still accepted");
            break;
          }
          last.current.add(h);
          added.add(new Object[] {last, h});
        }
        if (refused[g]) {
          refusedGroups++;
          for (int a = added.size() - 1; a >= mark; a--) {
            Object[] e = added.remove(a);
            ((MetricSeries) e[0]).current.remove((Long) e[1]);
          }
        }
        start = groupEnds[g];
      }
    }
    return new Admission(refused, refusedGroups, reasons, added);
  }

  /** Series of a metric counted now. */
  public synchronized int seriesCount(String metric) {
    MetricSeries m = byMetric.get(metric);
    if (m == null) {
      return 0;
    }
    m.rotateIfDue(nanoClock.getAsLong());
    return m.count();
  }

  /** One hash per sample; samples sharing a label map (one series of a request) are hashed once. */
  private static long[] hashes(List<Sample> samples) {
    long[] out = new long[samples.size()];
    Map<String, String> previous = null;
    long h = 0;
    for (int i = 0; i < out.length; i++) {
      Map<String, String> labels = samples.get(i).labels();
      if (labels != previous) {
        h = labelSetHash(labels);
        previous = labels;
      }
      out[i] = h;
    }
    return out;
  }

  /** A 64-bit hash of a label set that does not depend on the map's iteration order. */
  static long labelSetHash(Map<String, String> labels) {
    long sum = 0;
    int n = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getKey().equals("__name__")) {
        continue;
      }
      n++;
      long h = 0xcbf29ce484222325L; // FNV-1a over name, a separator that is no character, value
      h = fnv(h, e.getKey());
      h = (h ^ 0xffff) * 0x100000001b3L;
      h = fnv(h, e.getValue());
      sum += mix(h);
    }
    return mix(sum + n);
  }

  /** {@link #labelSetHash(Map)} of the labels {@code names[i] = values[i]}. */
  static long labelSetHash(String[] names, String[] values) {
    long sum = 0;
    int n = 0;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals("__name__")) {
        continue;
      }
      n++;
      long h = 0xcbf29ce484222325L;
      h = fnv(h, names[i]);
      h = (h ^ 0xffff) * 0x100000001b3L;
      h = fnv(h, values[i]);
      sum += mix(h);
    }
    return mix(sum + n);
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
