package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indexes live in the catalog checkpoint like views; unique indexes are enforced on every append
 * (hot and warm rows alike) and a rejected batch writes nothing.
 */
class IndexCatalogTest {
  @TempDir
  Path dir;

  static final TableId T = new TableId("public", "t");
  static final TableId I = new TableId("public", "i");
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("a", ColumnType.INTEGER), Column.of("b", ColumnType.VARCHAR),
      Column.of("c", ColumnType.DOUBLE)));
  static final List<IndexDefinition.IndexColumn> AB = List.of(
      IndexDefinition.IndexColumn.ascending("a"), new IndexDefinition.IndexColumn("b", true, true));

  private static ColumnBatch rows(Object[]... rows) {
    return StorageRecoveryTest.batch(SCHEMA, rows);
  }

  @Test
  void indexesAreDurableWithoutACleanClose() throws Exception {
    StorageConfig cfg = StorageConfig.DEFAULTS;
    Path data = dir.resolve("data");
    StorageEngine s = StorageEngine.open(data, cfg);
    s.createTable(T, SCHEMA, false);
    TableId gone = new TableId("public", "gone");
    s.createTable(gone, SCHEMA, false);
    long id = s.createIndex(I, T, AB, true, false).id();
    s.createIndex(new TableId("public", "gone_a"), gone, AB.subList(0, 1), false, false);
    s.createIndex(new TableId("public", "dropped"), T, AB.subList(0, 1), false, false);
    s.dropIndex(new TableId("public", "dropped"), false);
    s.dropTable(gone, false); // WAL only: the checkpoint still lists gone_a
    // No close: what is on disk now is what a kill -9 would leave.
    Path copy = dir.resolve("copy");
    ViewCatalogTest.copyTree(data, copy);
    s.close();
    try (StorageEngine r = StorageEngine.open(copy, cfg)) {
      IndexDefinition i = r.index(I).orElseThrow();
      assertEquals(id, i.id());
      assertEquals(AB, i.columns());
      assertTrue(i.unique());
      assertEquals(r.table(T).orElseThrow().tableId(), i.tableId());
      assertFalse(r.index(new TableId("public", "dropped")).isPresent());
      assertFalse(r.index(new TableId("public", "gone_a")).isPresent(), "dropped with its table");
      // Enforced after recovery.
      r.append(r.table(T).orElseThrow(), rows(new Object[] {1, "x", 1.0}));
      assertThrows(UniqueViolationException.class,
          () -> r.append(r.table(T).orElseThrow(), rows(new Object[] {1, "x", 2.0})));
      r.createTable(new TableId("public", "u"), SCHEMA, false);
      assertTrue(r.table(new TableId("public", "u")).orElseThrow().tableId() > id, "ids are never reused");
    }
  }

  @Test
  void uniqueIndexesRejectDuplicatesAndWriteNothing() throws Exception {
    StorageConfig cfg = StorageConfig.DEFAULTS.withSealRows(2);
    try (StorageEngine s = StorageEngine.open(dir.resolve("data"), cfg)) {
      s.createTable(T, SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      s.append(t, rows(new Object[] {1, "x", 0.0}, new Object[] {1, "y", -0.0},
          new Object[] {null, "x", 1.0}, new Object[] {null, "x", 2.0}));
      s.flushAll(); // some rows warm (Parquet), later ones hot
      s.append(t, rows(new Object[] {2, "x", 3.0}, new Object[] {1, null, 4.0}));
      // Duplicates in existing rows: nothing is created.
      UniqueViolationException e = assertThrows(UniqueViolationException.class,
          () -> s.createIndex(new TableId("public", "ic"), T,
              List.of(IndexDefinition.IndexColumn.ascending("c")), true, false));
      assertEquals("Key (c)=(0) is duplicated.", e.detail());
      assertEquals("could not create unique index \"ic\"", e.getMessage());
      assertFalse(s.index(new TableId("public", "ic")).isPresent());
      // (a, b) is unique: NULLs are distinct.
      s.createIndex(I, T, AB, true, false);
      long before = t.rowCount();
      e = assertThrows(UniqueViolationException.class,
          () -> s.append(t, rows(new Object[] {3, "z", 0.0}, new Object[] {1, "y", 9.0})));
      assertEquals("Key (a, b)=(1, y) already exists.", e.detail());
      assertEquals("duplicate key value violates unique constraint \"i\"", e.getMessage());
      e = assertThrows(UniqueViolationException.class,
          () -> s.append(t, rows(new Object[] {5, "z", 0.0}, new Object[] {5, "z", 1.0})));
      assertEquals("Key (a, b)=(5, z) already exists.", e.detail());
      assertEquals(before, t.rowCount(), "a rejected batch writes nothing");
      s.append(t, rows(new Object[] {1, null, 0.0}, new Object[] {3, "x", 0.0}));
      assertEquals(before + 2, t.rowCount());
      // A batch without a key column writes NULL there: never a conflict.
      ColumnBatch onlyA = new ColumnBatch(new TableSchema(List.of(Column.of("a", ColumnType.INTEGER))), 2);
      onlyA.appendRow(new Object[] {1});
      onlyA.appendRow(new Object[] {1});
      s.append(t, onlyA);
      // Index names share the namespace with tables and views.
      assertEquals(StorageException.Kind.ALREADY_EXISTS, assertThrows(StorageException.class,
          () -> s.createIndex(T, T, AB, false, false)).kind());
      assertEquals(StorageException.Kind.ALREADY_EXISTS, assertThrows(StorageException.class,
          () -> s.createTable(I, SCHEMA, false)).kind());
      assertNull(s.createIndex(I, T, AB, false, true));
      assertEquals(StorageException.Kind.WRONG_OBJECT_TYPE, assertThrows(StorageException.class,
          () -> s.dropIndex(T, false)).kind());
      assertEquals(StorageException.Kind.NOT_FOUND, assertThrows(StorageException.class,
          () -> s.dropIndex(new TableId("public", "nosuch"), false)).kind());
      s.dropTable(T, false);
      assertFalse(s.index(I).isPresent(), "dropping a table drops its indexes");
    }
  }

  /** Concurrent writers of the same key: exactly one wins, whatever the interleaving. */
  @Test
  void checkAndAppendAreAtomic() throws Exception {
    try (StorageEngine s = new StorageEngine(StorageConfig.DEFAULTS.withSealRows(3))) {
      s.createTable(T, SCHEMA, false);
      LumaTable t = s.table(T).orElseThrow();
      s.createIndex(I, T, AB.subList(0, 1), true, false);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (int key = 0; key < 50; key++) {
          int k = key;
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> tries = new ArrayList<>();
          for (int w = 0; w < 4; w++) {
            tries.add(pool.submit(() -> {
              go.await();
              try {
                s.append(t, rows(new Object[] {k, "w", 1.0}));
                return true;
              } catch (UniqueViolationException e) {
                return false;
              }
            }));
          }
          go.countDown();
          int won = 0;
          for (Future<Boolean> f : tries) {
            won += f.get() ? 1 : 0;
          }
          assertEquals(1, won, "key " + k);
        }
      } finally {
        pool.shutdown();
      }
      assertEquals(50, t.rowCount());
    }
  }
}
