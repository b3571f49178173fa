package io.lumadb.storage.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and atomically replaces {@code catalog/catalog.json}: the new content goes to a
 * temporary file, is forced to disk, renamed over the old one, and the directory is forced.
 * A crash leaves either the old or the new checkpoint, never a mix.
 */
public final class CatalogStore {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Path dir;
  private final Path file;

  public CatalogStore(Path catalogDir) {
    this.dir = catalogDir;
    this.file = catalogDir.resolve("catalog.json");
  }

  public CatalogCheckpoint load() throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("catalog.json.tmp"));
    if (!Files.exists(file)) {
      return CatalogCheckpoint.empty();
    }
    try {
      CatalogCheckpoint c = JSON.readValue(file.toFile(), CatalogCheckpoint.class);
      if (c.version() != CatalogCheckpoint.VERSION) {
        throw new IOException("unsupported catalog version " + c.version());
      }
      return c;
    } catch (IOException e) {
      throw new IOException("cannot read catalog " + file + ": " + e.getMessage(), e);
    }
  }

  public void save(CatalogCheckpoint c) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("catalog.json.tmp");
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(dir);
  }

  /** Forces a directory's entries (a rename or new file in it) to disk. */
  public static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be opened; nothing more can be done there.
    }
  }
}
