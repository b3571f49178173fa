package io.lumadb.sqltests;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of this module's test resources (target/test-classes). */
final class TestResources {
  private TestResources() {}

  /** Names (relative to {@code folder}) of the files ending in {@code suffix}, sorted. */
  static List<String> list(String folder, String suffix) throws IOException {
    URL url = TestResources.class.getClassLoader().getResource(folder);
    if (url == null || !url.getProtocol().equals("file")) {
      throw new IOException("test resource folder " + folder + " not found: " + url);
    }
    Path dir;
    try {
      dir = Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix))
          .map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  static String read(String path) throws IOException {
    try (InputStream in = TestResources.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static boolean exists(String path) {
    return TestResources.class.getClassLoader().getResource(path) != null;
  }

  /** The module's source folder for test resources, for tests that rewrite goldens. */
  static Path sourceFolder() {
    return Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources");
  }
}
