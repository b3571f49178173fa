package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lumadb.storage.wal.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the data directory is a 2 MiB tmpfs (needs root, as CI has). A write the
 * disk cannot take fails with an error and leaves nothing behind; acknowledged writes stay;
 * once space is free again, writing goes on, and a restart finds exactly what was acknowledged.
 */
class DiskFullTest {
  @TempDir
  Path tmp;
  Path mount;
  boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    mount = tmp.resolve("disk");
    Files.createDirectories(mount);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    assumeTrue(mounted, "mounting a tmpfs needs root: " + new String(p.getInputStream().readAllBytes()));
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void fullDiskRefusesWritesCleanlyAndRecovers() throws Exception {
    TableSchema schema = new TableSchema(List.of(Column.of("id", ColumnType.BIGINT),
        Column.of("payload", ColumnType.VARCHAR)));
    TableId t = new TableId("public", "t");
    StorageConfig cfg = new StorageConfig(1_000_000, FsyncPolicy.ALWAYS, 256 * 1024, 1L << 30,
        Duration.ofHours(1), Duration.ofHours(1), 8, null);
    Path data = mount.resolve("data");
    long acknowledged = 0;
    StorageException failure = null;
    Path filler = mount.resolve("filler");
    // Something else takes most of the disk.
    Files.write(filler, new byte[1200 * 1024]);
    try (StorageEngine s = StorageEngine.open(data, cfg)) {
      s.createTable(t, schema, false);
      LumaTable table = s.table(t).orElseThrow();
      for (int i = 0; i < 10_000 && failure == null; i++) {
        ColumnBatch b = new ColumnBatch(schema, 10);
        for (int r = 0; r < 10; r++) {
          b.appendRow(new Object[] {acknowledged + r, "x".repeat(200)});
        }
        try {
          s.append(table, b);
          acknowledged += 10;
        } catch (StorageException e) {
          failure = e;
        }
      }
      assertTrue(failure != null, "the 2 MiB disk filled up");
      assertEquals(StorageException.Kind.INTERNAL, failure.kind());
      assertTrue(failure.getMessage().toLowerCase().contains("space"), failure.getMessage());
      assertEquals(acknowledged, table.rowCount(), "the failed write is not visible");

      // Free space (a file of ours standing in for whatever filled the disk) and go on.
      Files.deleteIfExists(filler);
      s.flushAll();
      ColumnBatch more = new ColumnBatch(schema, 1);
      more.appendRow(new Object[] {-1L, "after"});
      s.append(table, more);
      acknowledged += 1;
    }
    try (StorageEngine s = StorageEngine.open(data, cfg)) {
      assertEquals(acknowledged, s.table(t).orElseThrow().rowCount());
    }
  }
}
