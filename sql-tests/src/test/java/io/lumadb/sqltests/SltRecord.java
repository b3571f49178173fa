package io.lumadb.sqltests;

import java.util.List;

/** One record of a sqllogictest script, with the line it starts on. */
public sealed interface SltRecord {

  int line();

  /** The {@code skipif}/{@code onlyif} lines that precede the record. */
  List<Condition> conditions();

  /** {@code skipif db} or {@code onlyif db}; text after the name is a comment. */
  record Condition(boolean onlyIf, String database) {
    boolean allows(java.util.Set<String> names) {
      return onlyIf == names.contains(database);
    }
  }

  enum SortMode {
    NOSORT, ROWSORT, VALUESORT
  }

  /**
   * What an error record expects: any error, an exact SQLSTATE (five characters of digits and
   * capitals), or a regular expression found in the message.
   */
  record ExpectedError(String sqlState, java.util.regex.Pattern messagePattern) {
    static final ExpectedError ANY = new ExpectedError(null, null);

    static ExpectedError parse(String text) {
      String t = text.trim();
      if (t.isEmpty()) {
        return ANY;
      }
      if (t.matches("[0-9A-Z]{5}")) {
        return new ExpectedError(t, null);
      }
      return new ExpectedError(null, java.util.regex.Pattern.compile(t));
    }

    boolean matches(SqlFrontEnd.Failed f) {
      if (sqlState != null) {
        return sqlState.equals(f.sqlState());
      }
      return messagePattern == null || messagePattern.matcher(f.message()).find();
    }

    @Override
    public String toString() {
      if (sqlState != null) {
        return "error with SQLSTATE " + sqlState;
      }
      return messagePattern == null ? "an error" : "an error matching /" + messagePattern + "/";
    }
  }

  /** {@code statement ok} or {@code statement error [SQLSTATE|regex]}. */
  record Statement(int line, List<Condition> conditions, String sql, ExpectedError error)
      implements SltRecord {}

  /**
   * {@code query <types> [sort] [label]} with its expected lines, or {@code query error
   * [SQLSTATE|regex]} (then {@code error} is set and there are no types).
   */
  record Query(int line, List<Condition> conditions, String sql, String types, SortMode sort,
      String label, List<String> expected, ExpectedError error) implements SltRecord {}

  /** {@code hash-threshold N}. */
  record HashThreshold(int line, List<Condition> conditions, int threshold) implements SltRecord {}

  /** {@code halt}: the rest of the script is not run. */
  record Halt(int line, List<Condition> conditions) implements SltRecord {}
}
