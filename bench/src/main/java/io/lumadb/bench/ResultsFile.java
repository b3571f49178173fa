package io.lumadb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Updates bench/RESULTS.md: each benchmark configuration owns one section between marker
 * comments; a new run replaces its section and leaves the others alone.
 */
final class ResultsFile {
  private static final String HEADER = """
      # Benchmark results

      Written by the scripts in `bench/` (see bench/README.md); each section says how to
      reproduce it. The machine is shared and noisy: compare ratios measured in the same run,
      not absolute times across sections.

      """;

  private ResultsFile() {}

  static void update(Path file, String key, String section) throws IOException {
    String begin = "<!-- begin " + key + " -->";
    String end = "<!-- end " + key + " -->";
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : HEADER;
    String block = begin + "\n" + section.strip() + "\n" + end;
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b >= 0 && e > b) {
      text = text.substring(0, b) + block + text.substring(e + end.length());
    } else {
      text = text.stripTrailing() + "\n\n" + block + "\n";
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
