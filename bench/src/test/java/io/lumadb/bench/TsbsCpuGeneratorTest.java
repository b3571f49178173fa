package io.lumadb.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TsbsCpuGeneratorTest {
  private static final TsbsCpuGenerator.Config SMALL = TsbsCpuGenerator.Config.of(7, Duration.ofMinutes(10), 42);

  /** All rows as strings, generated with the given batch capacity. */
  private static List<String> rows(TsbsCpuGenerator.Config c, int capacity) {
    List<String> out = new ArrayList<>();
    TsbsCpuGenerator g = new TsbsCpuGenerator(c);
    TsbsCpuGenerator.Batch b = new TsbsCpuGenerator.Batch(capacity);
    while (g.fill(b) > 0) {
      for (int i = 0; i < b.size(); i++) {
        StringBuilder s = new StringBuilder().append(b.timestamps[i]);
        for (String[] t : b.tags) {
          s.append(',').append(t[i]);
        }
        for (double[] f : b.fields) {
          s.append(',').append(f[i]);
        }
        out.add(s.toString());
      }
    }
    assertFalse(g.hasNext());
    assertEquals(c.rows(), g.position());
    return out;
  }

  @Test
  void sameSeedSameDataWhateverTheBatchSize() {
    List<String> a = rows(SMALL, 1);
    assertEquals(SMALL.rows(), a.size());
    assertEquals(a, rows(SMALL, 5));
    assertEquals(a, rows(SMALL, 7));
    assertEquals(a, rows(SMALL, 10_000));
    assertNotEquals(a, rows(TsbsCpuGenerator.Config.of(7, Duration.ofMinutes(10), 43), 100));
  }

  @Test
  void tsbsShape() {
    TsbsCpuGenerator.Config c = TsbsCpuGenerator.Config.of(50, Duration.ofHours(1), 1);
    assertEquals(360, c.timestamps());
    assertEquals(18_000, c.rows());
    assertEquals(180_000, c.samples());
    TsbsCpuGenerator g = new TsbsCpuGenerator(c);
    TsbsCpuGenerator.Batch b = new TsbsCpuGenerator.Batch(1000);
    Map<String, List<String>> tagsOfHost = new HashMap<>();
    Map<String, double[]> last = new HashMap<>();
    long row = 0;
    while (g.fill(b) > 0) {
      for (int i = 0; i < b.size(); i++, row++) {
        // Time-major: every host for a timestamp, then the next timestamp, 10 s apart.
        assertEquals(TsbsCpuGenerator.DEFAULT_START.toEpochMilli() + (row / 50) * 10_000, b.timestamps[i]);
        String host = b.tags[0][i];
        assertEquals("host_" + (row % 50), host);
        List<String> tags = new ArrayList<>();
        for (String[] t : b.tags) {
          tags.add(t[i]);
        }
        List<String> before = tagsOfHost.putIfAbsent(host, tags);
        if (before != null) {
          assertEquals(before, tags, "tags are fixed per host");
        }
        assertTrue(tags.get(2).startsWith(tags.get(1)), "datacenter belongs to its region: " + tags);
        assertTrue(Integer.parseInt(tags.get(3)) < 100);
        assertTrue(Set.of("Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10").contains(tags.get(4)));
        assertTrue(Set.of("x64", "x86").contains(tags.get(5)));
        assertTrue(Set.of("SF", "NYC", "LON", "CHI").contains(tags.get(6)));
        assertTrue(Integer.parseInt(tags.get(7)) < 20);
        assertTrue(Set.of("0", "1").contains(tags.get(8)));
        assertTrue(Set.of("production", "staging", "test").contains(tags.get(9)));
        double[] v = new double[10];
        for (int f = 0; f < 10; f++) {
          v[f] = b.fields[f][i];
          assertTrue(v[f] >= 0 && v[f] <= 100 && v[f] == Math.rint(v[f]), "whole numbers in [0, 100]: " + v[f]);
        }
        double[] prev = last.put(host, v);
        if (prev != null) {
          for (int f = 0; f < 10; f++) {
            // N(0,1) steps: a truncated value moves by more than 6 only with negligible probability.
            assertTrue(Math.abs(v[f] - prev[f]) <= 6, "random walk, not noise");
          }
        }
      }
    }
    assertEquals(50, tagsOfHost.size());
    assertEquals(18_000, row);
  }

  @Test
  void fullPrecisionKeepsTheWalk() {
    TsbsCpuGenerator.Config c = new TsbsCpuGenerator.Config(3, TsbsCpuGenerator.DEFAULT_START,
        Duration.ofMinutes(5), TsbsCpuGenerator.DEFAULT_INTERVAL, 1, TsbsCpuGenerator.Values.FULL);
    TsbsCpuGenerator.Config whole = TsbsCpuGenerator.Config.of(3, Duration.ofMinutes(5), 1);
    TsbsCpuGenerator.Batch full = new TsbsCpuGenerator.Batch(1000);
    TsbsCpuGenerator.Batch trunc = new TsbsCpuGenerator.Batch(1000);
    new TsbsCpuGenerator(c).fill(full);
    new TsbsCpuGenerator(whole).fill(trunc);
    assertArrayEquals(trunc.timestamps, full.timestamps);
    int fractional = 0;
    for (int f = 0; f < 10; f++) {
      for (int i = 0; i < full.size(); i++) {
        assertEquals(Math.floor(full.fields[f][i]), trunc.fields[f][i]);
        if (full.fields[f][i] != Math.rint(full.fields[f][i])) {
          fractional++;
        }
      }
    }
    assertTrue(fractional > full.size() * 9, "full precision has fractions");
  }

  @Test
  void iteratorAndCopyText() {
    var it = new TsbsCpuGenerator(SMALL).batches(4);
    long n = 0;
    while (it.hasNext()) {
      n += it.next().size();
    }
    assertEquals(SMALL.rows(), n);
    Dataset d = Dataset.generate(SMALL, 10);
    assertEquals(SMALL.rows(), d.rows());
    String text = new String(CopyText.encode(d.batches().get(0)), java.nio.charset.StandardCharsets.UTF_8);
    String first = text.substring(0, text.indexOf('\n'));
    assertTrue(first.startsWith("2016-01-01 00:00:00,host_0,"), first);
    assertEquals(21, first.split(",").length);
    assertEquals("2016-01-01 00:00:10.250", CopyText.timestamp(1451606410250L));
  }
}
