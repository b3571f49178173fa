package io.lumadb.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.MetricsStorage.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Series counting: groups admitted whole, the limit per metric, release, idle series ageing out. */
class SeriesTrackerTest {
  final AtomicLong now = new AtomicLong();

  static Sample s(String metric, String... labels) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    return new Sample(metric, Map.copyOf(m), 1, 1);
  }

  @Test
  void labelSetHashIgnoresOrderAndTellsSetsApart() {
    Map<String, String> a = new TreeMap<>(Map.of("a", "1", "b", "2"));
    Map<String, String> b = new java.util.LinkedHashMap<>();
    b.put("b", "2");
    b.put("a", "1");
    assertEquals(SeriesTracker.labelSetHash(a), SeriesTracker.labelSetHash(b));
    assertNotEquals(SeriesTracker.labelSetHash(Map.of("a", "12")), SeriesTracker.labelSetHash(Map.of("a1", "2")));
    assertNotEquals(SeriesTracker.labelSetHash(Map.of("a", "1", "b", "2")),
        SeriesTracker.labelSetHash(Map.of("a", "2", "b", "1")));
    assertNotEquals(SeriesTracker.labelSetHash(Map.of()), SeriesTracker.labelSetHash(Map.of("a", "")));
  }

  @Test
  void newSeriesPastTheLimitAreRefusedWholeGroupsAndOldOnesStillPass() {
    SeriesTracker t = new SeriesTracker(now::get);
    List<Sample> first = List.of(s("m", "k", "1"), s("m", "k", "1"), s("m", "k", "2"), s("other", "k", "9"));
    SeriesTracker.Admission a = t.admit(first, new int[] {4}, 3);
    assertEquals(0, a.refusedGroups());
    assertEquals(2, t.seriesCount("m"));
    // Group 0 adds k=3 (fits), group 1 adds k=4 and k=5 (does not): group 1 counts nothing.
    List<Sample> second = List.of(s("m", "k", "3"), s("m", "k", "1"), s("m", "k", "4"), s("m", "k", "5"),
        s("m", "k", "2"));
    a = t.admit(second, new int[] {2, 4, 5}, 3);
    assertFalse(a.refused(0));
    assertTrue(a.refused(1));
    assertFalse(a.refused(2), "existing series are still accepted");
    assertEquals(3, t.seriesCount("m"));
    assertEquals("metric \"m\" has reached its limit of 3 series (max series per metric): new series are "
        + "rejected, existing series are still accepted", a.message());
    assertEquals(0, t.admit(List.of(s("other", "k", "8")), new int[] {1}, 3).refusedGroups(),
        "the limit is per metric");
    assertEquals(0, t.admit(List.of(s("m", "k", "9")), new int[] {1}, 0).refusedGroups(), "0 = no limit");
  }

  @Test
  void releaseUncountsTheSeriesOfAFailedWrite() {
    SeriesTracker t = new SeriesTracker(now::get);
    t.admit(List.of(s("m", "k", "1")), new int[] {1}, 2).release();
    assertEquals(0, t.seriesCount("m"));
    List<Sample> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(s("big", "k", String.valueOf(i)));
    }
    SeriesTracker.Admission a = t.admit(many, new int[] {1000}, 5000);
    assertEquals(1000, t.seriesCount("big"));
    a.release();
    assertEquals(0, t.seriesCount("big"));
    assertEquals(0, t.admit(many, new int[] {1000}, 1000).refusedGroups());
    assertEquals(1, t.admit(List.of(s("big", "k", "new")), new int[] {1}, 1000).refusedGroups());
  }

  @Test
  void seriesNotWrittenForTwoHoursStopCounting() {
    SeriesTracker t = new SeriesTracker(now::get);
    long hour = SeriesTracker.GENERATION_NANOS;
    t.admit(List.of(s("m", "k", "old"), s("m", "k", "kept")), new int[] {2}, 2);
    now.addAndGet(hour);
    assertEquals(1, t.admit(List.of(s("m", "k", "new")), new int[] {1}, 2).refusedGroups(),
        "within two hours both still count");
    assertEquals(0, t.admit(List.of(s("m", "k", "kept")), new int[] {1}, 2).refusedGroups());
    now.addAndGet(hour);
    assertEquals(1, t.seriesCount("m"), "only the series written in the last hour");
    assertEquals(0, t.admit(List.of(s("m", "k", "new")), new int[] {1}, 2).refusedGroups());
    now.addAndGet(3 * hour);
    assertEquals(0, t.seriesCount("m"));
  }

  @Test
  void longHashSetAddsFindsAndRemovesThroughCollisions() {
    LongHashSet set = new LongHashSet();
    java.util.Set<Long> model = new java.util.HashSet<>();
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      long k = r.nextInt(3000) * 1024L; // many keys share low bits: long probe runs
      if (r.nextBoolean()) {
        assertEquals(model.add(k), set.add(k));
      } else {
        assertEquals(model.remove(k), set.remove(k));
      }
      assertEquals(model.size(), set.size());
    }
    for (long k = 0; k < 3000 * 1024L; k += 1024) {
      assertEquals(model.contains(k), set.contains(k), "key " + k);
    }
  }
}
