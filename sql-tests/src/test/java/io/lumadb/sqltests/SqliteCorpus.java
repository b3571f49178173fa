package io.lumadb.sqltests;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The SQLite sqllogictest corpus as bundled in {@code net.hydromatic:sql-logic-test} (files under
 * {@code test/} in its jar). Files are named by their path in the jar, e.g.
 * {@code test/select1.test}, and selected with glob patterns ({@code test/index/between/**}).
 */
public final class SqliteCorpus {
  private SqliteCorpus() {}

  /** The corpus files matching any of the globs, in a stable order. */
  public static List<String> files(List<String> globs) throws IOException {
    List<PathMatcher> matchers = globs.stream()
        .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    List<String> out = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar())) {
      zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".test"))
          .filter(n -> matchers.stream().anyMatch(m -> m.matches(Path.of(n))))
          .forEach(out::add);
    }
    out.sort(Comparator.comparing(SqliteCorpus::sortKey));
    return out;
  }

  /** Orders slt_good_2 before slt_good_10. */
  static String sortKey(String name) {
    StringBuilder b = new StringBuilder();
    for (String part : name.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)")) {
      b.append(part.matches("\\d+") ? String.format("%08d", Long.parseLong(part)) : part);
    }
    return b.toString();
  }

  public static String read(String file) throws IOException {
    try (InputStream in = SqliteCorpus.class.getClassLoader().getResourceAsStream(file)) {
      if (in == null) {
        throw new IOException("no corpus file " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String jar() throws IOException {
    URL url = SqliteCorpus.class.getClassLoader().getResource("test/select1.test");
    if (url == null || !url.getProtocol().equals("jar")) {
      throw new IOException("net.hydromatic:sql-logic-test is not on the class path: " + url);
    }
    String spec = url.getPath();
    try {
      return Path.of(new URL(spec.substring(0, spec.indexOf("!/"))).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
