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
}
