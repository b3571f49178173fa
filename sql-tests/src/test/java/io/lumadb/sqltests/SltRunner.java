package io.lumadb.sqltests;

import io.lumadb.sqltests.SltRecord.ExpectedError;
import io.lumadb.sqltests.SltReport.SltFailure;
import io.lumadb.sqltests.SqlFrontEnd.Failed;
import io.lumadb.sqltests.SqlFrontEnd.Outcome;
import io.lumadb.sqltests.SqlFrontEnd.Rows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs sqllogictest scripts through a {@link SqlFrontEnd}. {@code skipif}/{@code onlyif} are
 * decided by the database names given (LumaDB answers to {@code lumadb} and {@code postgresql}).
 * Every record is run even after a failure, so one report lists every failure of the file. After
 * the script, tables and views it created are dropped so the next script starts empty.
 */
public final class SltRunner {
  private static final Pattern HASH_LINE = Pattern.compile("(\\d+) values hashing to ([0-9a-f]{32})");
  private static final Pattern CREATE = Pattern.compile(
      "^\\s*CREATE\\s+(TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([^\\s(]+)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern DROP = Pattern.compile(
      "^\\s*DROP\\s+(TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?([^\\s;]+)", Pattern.CASE_INSENSITIVE);
  private static final int MAX_REPORTED_LINES = 40;

  private final SqlFrontEnd db;
  private final Set<String> databaseNames;
  private final ResultListener listener;
  private int queryEvery = 1;

  /** Sees each query's actual result (rows formatted and sorted as compared); for completion. */
  public interface ResultListener {
    void onResult(SltRecord.Query query, List<List<String>> rows, Outcome outcome);
  }

  public SltRunner(SqlFrontEnd db, Set<String> databaseNames) {
    this(db, databaseNames, null);
  }

  public SltRunner(SqlFrontEnd db, Set<String> databaseNames, ResultListener listener) {
    this.db = db;
    this.databaseNames = Set.copyOf(databaseNames);
    this.listener = listener;
  }

  /**
   * Runs only every n-th query of a script (the 1st, the n+1-th, ...; counted in file order
   * before skipif/onlyif, so every database runs the same sample); statements always run. The
   * queries left out are not counted at all.
   */
  public SltRunner sampleQueries(int every) {
    if (every < 1) {
      throw new IllegalArgumentException("every must be >= 1");
    }
    this.queryEvery = every;
    return this;
  }

  /** Parses and runs one script. */
  public SltReport run(String file, String text) {
    return run(file, SltParser.parse(file, text));
  }

  public SltReport run(String file, List<SltRecord> records) {
    long start = System.nanoTime();
    SltReport report = new SltReport(file, db.name());
    FileState state = new FileState();
    int queryOrdinal = 0;
    try {
      for (int i = 0; i < records.size(); i++) {
        SltRecord r = records.get(i);
        if (r instanceof SltRecord.Query && queryOrdinal++ % queryEvery != 0) {
          continue;
        }
        if (!r.conditions().stream().allMatch(c -> c.allows(databaseNames))) {
          if (r instanceof SltRecord.Statement || r instanceof SltRecord.Query) {
            report.skip();
          }
          continue;
        }
        if (r instanceof SltRecord.HashThreshold h) {
          state.hashThreshold = h.threshold();
        } else if (r instanceof SltRecord.Halt) {
          for (int j = i + 1; j < records.size(); j++) {
            if (records.get(j) instanceof SltRecord.Statement
                || (records.get(j) instanceof SltRecord.Query && queryOrdinal++ % queryEvery == 0)) {
              report.skip();
            }
          }
          break;
        } else if (r instanceof SltRecord.Statement s) {
          statement(file, s, state, report);
        } else if (r instanceof SltRecord.Query q) {
          query(file, q, state, report);
        }
      }
    } finally {
      state.dropCreated(db);
      report.millis((System.nanoTime() - start) / 1_000_000);
    }
    return report;
  }

  private void statement(String file, SltRecord.Statement s, FileState state, SltReport report) {
    Outcome out = db.execute(s.sql());
    if (!(out instanceof Failed)) {
      state.track(s.sql());
    }
    String problem = errorMismatch(s.error(), out);
    if (problem == null) {
      report.pass(false);
    } else {
      report.fail(new SltFailure(file, s.line(), s.sql(),
          s.error() == null ? "statement ok" : s.error().toString(), problem), false);
    }
  }

  /** Null if the outcome is what was expected of a statement or error query, else the actual. */
  private static String errorMismatch(ExpectedError expected, Outcome out) {
    if (out instanceof Failed f) {
      if (expected != null && expected.matches(f)) {
        return null;
      }
      return describe(f);
    }
    if (expected == null) {
      return null;
    }
    return out instanceof Rows rows ? "no error, " + rows.rows().size() + " rows" : "statement ok";
  }

  private static String describe(Failed f) {
    return "error " + (f.sqlState() == null ? "(no SQLSTATE)" : f.sqlState()) + ": " + f.message();
  }

  private void query(String file, SltRecord.Query q, FileState state, SltReport report) {
    Outcome out = db.execute(q.sql());
    if (q.error() != null) {
      String problem = errorMismatch(q.error(), out);
      if (problem == null) {
        report.pass(true);
      } else {
        report.fail(new SltFailure(file, q.line(), q.sql(), q.error().toString(), problem), true);
      }
      return;
    }
    String expected = q.expected().isEmpty() ? "(no rows)" : String.join("\n", q.expected());
    if (listener != null && !(out instanceof Rows)) {
      listener.onResult(q, null, out);
    }
    if (!(out instanceof Rows rows)) {
      report.fail(new SltFailure(file, q.line(), q.sql(), expected,
          out instanceof Failed f ? describe(f) : "no result set"), true);
      return;
    }
    String types = q.types();
    if (rows.columnCount() != types.length()) {
      report.fail(new SltFailure(file, q.line(), q.sql(), expected, "wrong number of columns: "
          + rows.columnCount() + " " + rows.columnNames() + " for type string " + types), true);
      return;
    }
    List<List<String>> formatted = new ArrayList<>(rows.rows().size());
    for (List<String> row : rows.rows()) {
      List<String> f = new ArrayList<>(row.size());
      for (int c = 0; c < row.size(); c++) {
        f.add(SltValues.format(Character.toUpperCase(types.charAt(c)), row.get(c)));
      }
      formatted.add(f);
    }
    List<String> values = new ArrayList<>();
    if (q.sort() == SltRecord.SortMode.ROWSORT) {
      formatted.sort(SltRunner::compareRows);
    }
    formatted.forEach(values::addAll);
    if (listener != null) {
      listener.onResult(q, formatted, out);
    }
    if (q.sort() == SltRecord.SortMode.VALUESORT) {
      values.sort(Comparator.naturalOrder());
    }

    String hash = values.size() + " values hashing to " + SltValues.md5(values);
    boolean ok = matches(q.expected(), values, formatted, hash);
    if (ok && q.label() != null) {
      String[] seen = state.labels.putIfAbsent(q.label(), new String[] {hash, String.valueOf(q.line())});
      if (seen != null && !seen[0].equals(hash)) {
        report.fail(new SltFailure(file, q.line(), q.sql(), "the result of line " + seen[1]
            + " (same label " + q.label() + "): " + seen[0], hash), true);
        return;
      }
    }
    if (ok) {
      report.pass(true);
    } else {
      report.fail(new SltFailure(file, q.line(), q.sql(), expected,
          render(q.expected(), values, formatted, hash, state.hashThreshold)), true);
    }
  }

  private static int compareRows(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /**
   * The expected lines match as a hash line, as one value per line (the standard layout), or as
   * one row per line with values separated by single spaces (easier to read in our own files).
   */
  private static boolean matches(List<String> expected, List<String> values,
      List<List<String>> rows, String hash) {
    if (expected.size() == 1) {
      Matcher m = HASH_LINE.matcher(expected.get(0));
      if (m.matches()) {
        return expected.get(0).equals(hash);
      }
    }
    if (expected.equals(values)) {
      return true;
    }
    if (expected.size() != rows.size()) {
      return false;
    }
    for (int i = 0; i < rows.size(); i++) {
      if (!expected.get(i).equals(String.join(" ", rows.get(i)))) {
        return false;
      }
    }
    return true;
  }

  /** The actual result, laid out like the expected one, for a failure report. */
  private static String render(List<String> expected, List<String> values, List<List<String>> rows,
      String hash, int hashThreshold) {
    boolean expectedHash = expected.size() == 1 && HASH_LINE.matcher(expected.get(0)).matches();
    if (values.isEmpty()) {
      return "(no rows)";
    }
    List<String> lines;
    boolean rowLayout = !rows.isEmpty() && rows.get(0).size() > 1 && expected.size() != values.size()
        && !expectedHash;
    if (rowLayout) {
      lines = rows.stream().map(r -> String.join(" ", r)).toList();
    } else {
      lines = values;
    }
    if (expectedHash || (hashThreshold > 0 && values.size() > hashThreshold)) {
      if (values.size() > MAX_REPORTED_LINES) {
        return hash;
      }
      return hash + "\n" + String.join("\n", lines);
    }
    if (lines.size() > MAX_REPORTED_LINES) {
      return String.join("\n", lines.subList(0, MAX_REPORTED_LINES)) + "\n... ("
          + lines.size() + " lines)";
    }
    return String.join("\n", lines);
  }

  /** What one script run remembers: hash threshold, labels, tables and views it created. */
  private static final class FileState {
    int hashThreshold;
    final Map<String, String[]> labels = new HashMap<>();
    final Set<String> tables = new LinkedHashSet<>();
    final Set<String> views = new LinkedHashSet<>();

    void track(String sql) {
      Matcher c = CREATE.matcher(sql);
      if (c.find()) {
        (c.group(1).equalsIgnoreCase("view") ? views : tables).add(c.group(2));
        return;
      }
      Matcher d = DROP.matcher(sql);
      if (d.find()) {
        String name = d.group(2);
        (d.group(1).equalsIgnoreCase("view") ? views : tables)
            .removeIf(n -> n.equalsIgnoreCase(name));
      }
    }

    void dropCreated(SqlFrontEnd db) {
      List<String> v = new ArrayList<>(views);
      for (int i = v.size() - 1; i >= 0; i--) {
        db.execute("DROP VIEW IF EXISTS " + v.get(i));
      }
      List<String> t = new ArrayList<>(tables);
      for (int i = t.size() - 1; i >= 0; i--) {
        db.execute("DROP TABLE IF EXISTS " + t.get(i));
      }
    }
  }

  /** Lower-cased names for conditions. */
  public static Set<String> names(String... names) {
    Set<String> s = new LinkedHashSet<>();
    for (String n : names) {
      s.add(n.toLowerCase(Locale.ROOT));
    }
    return s;
  }
}
