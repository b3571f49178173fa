package io.lumadb.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A named group of metric samples covering a time range, the unit the embedding API ingests
 * and flushes: {@code new Segment("seg_001", 1000, 2000)} holds samples with timestamps from
 * 1000 (inclusive) to 2000 (exclusive), in Unix epoch seconds.
 *
 * <pre>{@code
 * Segment seg = new Segment("seg_001", 1000, 2000)
 *     .addSample("http_requests", Map.of("env", "prod"), 1500, 42.0);
 * storage.ingest(seg);
 * storage.flushToWarm("seg_001");
 * }</pre>
 */
public final class Segment {
  private final String id;
  private final long startTime;
  private final long endTime;
  private final List<MetricsStorage.Sample> samples = new ArrayList<>();

  /**
   * @param id a name unique within the storage
   * @param startTime first second covered (inclusive)
   * @param endTime end of the range (exclusive); must be after {@code startTime}
   */
  public Segment(String id, long startTime, long endTime) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a segment needs an id");
    }
    if (endTime <= startTime) {
      throw new IllegalArgumentException("segment " + id + ": end time " + endTime
          + " must be after start time " + startTime);
    }
    this.id = id;
    this.startTime = startTime;
    this.endTime = endTime;
  }

  /** Adds a sample; its timestamp (epoch seconds) must lie in the segment's range. */
  public Segment addSample(String metric, Map<String, String> labels, long timestampSeconds, double value) {
    if (timestampSeconds < startTime || timestampSeconds >= endTime) {
      throw new IllegalArgumentException("segment " + id + " covers [" + startTime + ", " + endTime
          + "), sample at " + timestampSeconds + " is outside it");
    }
    samples.add(new MetricsStorage.Sample(metric, Map.copyOf(labels), timestampSeconds * 1000, value));
    return this;
  }

  public String id() {
    return id;
  }

  public long startTime() {
    return startTime;
  }

  public long endTime() {
    return endTime;
  }

  public int size() {
    return samples.size();
  }

  List<MetricsStorage.Sample> samples() {
    return List.copyOf(samples);
  }
}
