package io.lumadb.sqltests;

import io.lumadb.sqltests.SqlFrontEnd.Failed;
import io.lumadb.sqltests.SqlFrontEnd.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * sqllogictest's completion mode: rewrites the expected results of every query in a script with
 * what the database returned. Meant to be run against PostgreSQL 15 (the reference), never to
 * paper over a LumaDB failure. Multi-column rows are written one row per line.
 */
final class SltCompleter {
  private SltCompleter() {}

  /** Runs the file and rewrites it; returns the messages about queries it could not complete. */
  static List<String> complete(Path file, SqlFrontEnd db, Set<String> names) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Map<Integer, List<String>> results = new HashMap<>();
    List<String> problems = new ArrayList<>();
    SltRunner runner = new SltRunner(db, names, (q, rows, out) -> {
      if (rows == null) {
        problems.add(file + ":" + q.line() + ": " + describe(out));
        return;
      }
      List<String> lines = new ArrayList<>();
      if (q.sort() == SltRecord.SortMode.VALUESORT) {
        rows.forEach(lines::addAll);
        lines.sort(null);
      } else {
        for (List<String> r : rows) {
          lines.add(String.join(" ", r));
        }
      }
      results.put(q.line(), lines);
    });
    SltReport report = runner.run(file.toString(), text);
    for (SltReport.SltFailure f : report.failures()) {
      if (!results.containsKey(f.line())) {
        problems.add(f.toString());
      }
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    List<Integer> starts = new ArrayList<>(results.keySet());
    starts.sort(null);
    for (int k = starts.size() - 1; k >= 0; k--) {
      int header = starts.get(k) - 1;
      int i = header + 1;
      while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).strip().equals("----")) {
        i++;
      }
      int end = i;
      if (i < lines.size() && lines.get(i).strip().equals("----")) {
        end = i + 1;
        while (end < lines.size() && !lines.get(end).isBlank()) {
          end++;
        }
      }
      List<String> replacement = new ArrayList<>();
      replacement.add("----");
      replacement.addAll(results.get(starts.get(k)));
      lines.subList(i, end).clear();
      lines.addAll(i, replacement);
    }
    Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
    return problems;
  }

  private static String describe(Outcome out) {
    return out instanceof Failed f ? "error " + f.sqlState() + ": " + f.message() : "no result set";
  }
}
