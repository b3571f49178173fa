package io.lumadb.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class InvertedIndexTest {
  @Test
  void theReferenceExample() {
    InvertedIndex idx = new InvertedIndex();
    idx.addDocument(1, "hello world rust");
    RoaringBitmap r = idx.searchAnd(List.of("hello", "rust"));
    assertEquals(RoaringBitmap.bitmapOf(1), r);
  }

  @Test
  void andOrAndNormalization() {
    InvertedIndex idx = new InvertedIndex();
    idx.addDocument(1, "Hello, World!");
    idx.addDocument(2, "hello java");
    idx.addDocument(3, "ERROR: disk full on /dev/sda1");
    assertEquals(RoaringBitmap.bitmapOf(1, 2), idx.search("HELLO"));
    assertEquals(RoaringBitmap.bitmapOf(1), idx.searchAnd(List.of("hello", "world")));
    assertEquals(RoaringBitmap.bitmapOf(1, 2, 3), idx.searchOr(List.of("world", "java", "error")));
    assertEquals(RoaringBitmap.bitmapOf(3), idx.searchAnd(List.of("disk full", "sda1")));
    assertTrue(idx.searchAnd(List.of("hello", "nosuch")).isEmpty());
    assertTrue(idx.searchAnd(List.of()).isEmpty());
    assertEquals(List.of("error", "disk", "full", "on", "dev", "sda1"),
        InvertedIndex.tokenize("ERROR: disk full on /dev/sda1"));
    assertThrows(IllegalArgumentException.class, () -> idx.addDocument(-1, "x"));
  }

  @Test
  void savesAndLoads(@TempDir Path dir) throws Exception {
    InvertedIndex idx = new InvertedIndex();
    for (int i = 0; i < 100_000; i++) {
      idx.addDocument(i, "request " + (i % 10 == 0 ? "failed" : "ok") + " user" + (i % 1000));
    }
    Path f = dir.resolve("x.idx");
    idx.save(f);
    InvertedIndex back = InvertedIndex.load(f);
    assertEquals(idx.termCount(), back.termCount());
    assertEquals(100_000, back.documentCount());
    assertEquals(10_000, back.search("failed").getCardinality());
    assertEquals(idx.searchAnd(List.of("failed", "user10")), back.searchAnd(List.of("failed", "user10")));
  }

  /** The ASCII fast path splits and lower-cases exactly as Character.isLetterOrDigit + toLowerCase(ROOT). */
  @Test
  void tokenizeMatchesTheCharacterClassDefinition() {
    String alphabet = "aZ09 _-./:ÄéßİΣ中\u00a0\t\nQx";
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (int t = 0; t < 5_000; t++) {
      StringBuilder b = new StringBuilder();
      int n = rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      String text = b.toString();
      List<String> expected = new java.util.ArrayList<>();
      int start = -1;
      for (int i = 0; i <= text.length(); i++) {
        boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
        if (word && start < 0) {
          start = i;
        } else if (!word && start >= 0) {
          expected.add(text.substring(start, i).toLowerCase(java.util.Locale.ROOT));
          start = -1;
        }
      }
      assertEquals(expected, InvertedIndex.tokenize(text), text);
    }
  }

  /** Every term's documents equal a plain map built from tokenize, before and after a save. */
  @Test
  void postingsMatchTokenizeOnRandomText(@TempDir Path dir) throws Exception {
    String[] words = {"Disk", "disk", "DISK", "full", "Ärger", "ärger", "id42", "x", "ÉTÉ", "été", "中文", "a1b2"};
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    InvertedIndex idx = new InvertedIndex();
    java.util.Map<String, RoaringBitmap> expected = new java.util.HashMap<>();
    for (int doc = 0; doc < 3_000; doc++) {
      StringBuilder b = new StringBuilder();
      int n = rnd.nextInt(12);
      for (int i = 0; i < n; i++) {
        b.append(words[rnd.nextInt(words.length)]).append(rnd.nextBoolean() ? " " : rnd.nextInt(1000) + ", ");
      }
      String text = doc % 97 == 0 ? null : b.toString();
      idx.addDocument(doc, text);
      for (String t : InvertedIndex.tokenize(text)) {
        expected.computeIfAbsent(t, k -> new RoaringBitmap()).add(doc);
      }
    }
    idx.save(dir.resolve("r.idx")); // written straight from the documents added
    assertEquals(expected.size(), idx.termCount());
    for (var e : expected.entrySet()) {
      assertEquals(e.getValue(), idx.search(e.getKey()), e.getKey());
    }
    InvertedIndex back = InvertedIndex.load(dir.resolve("r.idx"));
    assertEquals(3_000, back.documentCount());
    for (var e : expected.entrySet()) {
      assertEquals(e.getValue(), back.search(e.getKey()), e.getKey());
    }
  }
}
