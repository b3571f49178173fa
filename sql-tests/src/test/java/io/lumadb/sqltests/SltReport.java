package io.lumadb.sqltests;

import java.util.ArrayList;
import java.util.List;

/** The outcome of one script: counts of records passed, failed and skipped, and each failure. */
public final class SltReport {
  private final String file;
  private final String frontEnd;
  private int passed;
  private int failed;
  private int skipped;
  private int queries;
  private final List<SltFailure> failures = new ArrayList<>();
  private long millis;

  SltReport(String file, String frontEnd) {
    this.file = file;
    this.frontEnd = frontEnd;
  }

  /** One failed record: where, what was sent, what was expected, what came back. */
  public record SltFailure(String file, int line, String sql, String expected, String actual) {
    @Override
    public String toString() {
      return file + ":" + line + ":\n" + indent(sql) + "\n  expected:\n" + indent(expected)
          + "\n  actual:\n" + indent(actual);
    }

    private static String indent(String s) {
      return "    " + s.replace("\n", "\n    ");
    }
  }

  void pass(boolean query) {
    passed++;
    queries += query ? 1 : 0;
  }

  void fail(SltFailure f, boolean query) {
    failed++;
    queries += query ? 1 : 0;
    failures.add(f);
  }

  void skip() {
    skipped++;
  }

  void millis(long ms) {
    millis = ms;
  }

  public String file() {
    return file;
  }

  public String frontEnd() {
    return frontEnd;
  }

  /** Statements and queries that did what the script says. */
  public int passed() {
    return passed;
  }

  public int failed() {
    return failed;
  }

  /** Records not run because of skipif/onlyif (or after a halt). */
  public int skipped() {
    return skipped;
  }

  /** Queries run (passed or failed), statements not counted. */
  public int queries() {
    return queries;
  }

  public List<SltFailure> failures() {
    return failures;
  }

  public long millis() {
    return millis;
  }

  /** A one-line summary. */
  public String summary() {
    return String.format("%s via %s: %d passed, %d failed, %d skipped (%d queries run) in %.1f s",
        file, frontEnd, passed, failed, skipped, queries, millis / 1000.0);
  }

  /** The summary and the first {@code max} failures in full. */
  public String details(int max) {
    StringBuilder b = new StringBuilder(summary());
    for (int i = 0; i < Math.min(max, failures.size()); i++) {
      b.append("\n\n").append(failures.get(i));
    }
    if (failures.size() > max) {
      b.append("\n\n... and ").append(failures.size() - max).append(" more failures");
    }
    return b.toString();
  }
}
