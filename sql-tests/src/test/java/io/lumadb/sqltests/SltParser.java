package io.lumadb.sqltests;

import io.lumadb.sqltests.SltRecord.Condition;
import io.lumadb.sqltests.SltRecord.ExpectedError;
import io.lumadb.sqltests.SltRecord.SortMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the sqllogictest format (sqlite.org/sqllogictest): records separated by blank lines,
 * {@code #} comment lines between records, SQL up to {@code ----} or a blank line, expected
 * values after {@code ----} up to a blank line.
 */
public final class SltParser {
  private final String file;
  private final String[] lines;
  private int pos;

  private SltParser(String file, String text) {
    this.file = file;
    this.lines = text.replace("\r\n", "\n").split("\n", -1);
  }

  public static List<SltRecord> parse(String file, String text) {
    return new SltParser(file, text).records();
  }

  private List<SltRecord> records() {
    List<SltRecord> out = new ArrayList<>();
    List<Condition> conditions = new ArrayList<>();
    while (pos < lines.length) {
      String line = lines[pos];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        if (trimmed.isEmpty() && !conditions.isEmpty()) {
          throw error("a condition must be followed by its record");
        }
        pos++;
        continue;
      }
      String[] tok = trimmed.split("\\s+");
      int start = pos + 1;
      pos++;
      switch (tok[0]) {
        case "skipif", "onlyif" -> {
          if (tok.length < 2) {
            throw error(tok[0] + " needs a database name");
          }
          conditions.add(new Condition(tok[0].equals("onlyif"), tok[1]));
          continue;
        }
        case "statement" -> {
          if (tok.length < 2 || !(tok[1].equals("ok") || tok[1].equals("error"))) {
            throw error("expected 'statement ok' or 'statement error'");
          }
          ExpectedError err = tok[1].equals("error")
              ? ExpectedError.parse(afterTokens(trimmed, 2)) : null;
          String sql = sqlBlock(false);
          out.add(new SltRecord.Statement(start, List.copyOf(conditions), sql, err));
        }
        case "query" -> {
          if (tok.length < 2) {
            throw error("query needs a type string");
          }
          if (tok[1].equals("error")) {
            ExpectedError err = ExpectedError.parse(afterTokens(trimmed, 2));
            String sql = sqlBlock(false);
            out.add(new SltRecord.Query(start, List.copyOf(conditions), sql, "", SortMode.NOSORT,
                null, List.of(), err));
          } else {
            String types = tok[1];
            if (!types.matches("[A-Za-z]+")) {
              throw error("bad type string '" + types + "'");
            }
            SortMode sort = SortMode.NOSORT;
            String label = null;
            for (int i = 2; i < tok.length; i++) {
              switch (tok[i]) {
                case "nosort" -> sort = SortMode.NOSORT;
                case "rowsort" -> sort = SortMode.ROWSORT;
                case "valuesort" -> sort = SortMode.VALUESORT;
                default -> label = tok[i];
              }
            }
            String sql = sqlBlock(true);
            List<String> expected = new ArrayList<>();
            if (pos < lines.length && lines[pos].strip().equals("----")) {
              pos++;
              while (pos < lines.length && !lines[pos].isBlank()) {
                expected.add(lines[pos].stripTrailing());
                pos++;
              }
            }
            out.add(new SltRecord.Query(start, List.copyOf(conditions), sql, types, sort, label,
                List.copyOf(expected), null));
          }
        }
        case "hash-threshold" -> {
          if (tok.length < 2 || !tok[1].matches("\\d+")) {
            throw error("hash-threshold needs a number");
          }
          out.add(new SltRecord.HashThreshold(start, List.copyOf(conditions),
              Integer.parseInt(tok[1])));
        }
        case "halt" -> out.add(new SltRecord.Halt(start, List.copyOf(conditions)));
        default -> throw error("unknown record '" + tok[0] + "'");
      }
      conditions.clear();
    }
    if (!conditions.isEmpty()) {
      throw error("a condition at the end of the file");
    }
    return out;
  }

  /** The text after the first n whitespace-separated tokens of a line. */
  private static String afterTokens(String line, int n) {
    String rest = line;
    for (int i = 0; i < n; i++) {
      rest = rest.strip();
      int sp = rest.indexOf(' ');
      int tab = rest.indexOf('\t');
      int cut = sp < 0 ? tab : tab < 0 ? sp : Math.min(sp, tab);
      rest = cut < 0 ? "" : rest.substring(cut);
    }
    return rest.strip();
  }

  /** SQL lines up to a blank line (or, for queries, the {@code ----} separator). */
  private String sqlBlock(boolean stopAtSeparator) {
    StringBuilder sql = new StringBuilder();
    while (pos < lines.length && !lines[pos].isBlank()
        && !(stopAtSeparator && lines[pos].strip().equals("----"))) {
      if (sql.length() > 0) {
        sql.append('\n');
      }
      sql.append(lines[pos]);
      pos++;
    }
    if (sql.length() == 0) {
      throw error("a record without SQL");
    }
    return sql.toString();
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(file + ":" + Math.min(pos + 1, lines.length) + ": " + message);
  }
}
