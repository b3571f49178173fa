package io.lumadb.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.validate.SqlNameMatcher;

/**
 * The operator table a query is validated with: the connection's (Calcite's standard operators,
 * its PostgreSQL library, LumaDB's catalog functions), and the PostgreSQL library's functions by
 * their lower-case names. Calcite's library table matches a name case-sensitively against the
 * upper-case name it declares, so with LumaDB's lower-case folding {@code length(host)},
 * {@code strpos}, {@code left}, {@code greatest}, {@code md5}... were "function does not exist".
 *
 * <p>Only the functions in {@link #NAMES} are found this way: each gives PostgreSQL's answers
 * (checked against PostgreSQL 15 by {@code string_functions.slt} and {@code math_functions.slt}).
 * Calcite's other PostgreSQL-library functions answer differently from PostgreSQL and stay unknown,
 * which is better than a wrong answer: {@code to_char} (quoted text in a pattern, {@code WW}; no
 * numbers), {@code age(ts)} (from now, not today's midnight), {@code log} (its last digit),
 * {@code to_timestamp} (no one-argument form; a result without time zone), {@code sha256} (text,
 * not bytea), {@code soundex} (an extension in PostgreSQL). {@code left}, {@code right} and the
 * two-argument trims are LumaDB's ({@code pgcatalog.TextFunctions}).
 */
final class PgLibraryFunctions implements SqlOperatorTable {
  /** The library functions found by their lower-case name. */
  static final Set<String> NAMES = Set.of(
      "length", "strpos", "lpad", "rpad", "split_part", "starts_with", "substr", "repeat", "chr",
      "md5", "concat", "concat_ws", "greatest", "least", "regexp_replace", "to_date", "bool_and",
      "bool_or", "random", "cosd", "sind", "tand", "acosd", "asind", "atand");

  private static final Map<String, List<SqlOperator>> BY_NAME = byName();

  private final SqlOperatorTable delegate;

  PgLibraryFunctions(SqlOperatorTable delegate) {
    this.delegate = delegate;
  }

  private static Map<String, List<SqlOperator>> byName() {
    Map<String, List<SqlOperator>> m = new HashMap<>();
    for (SqlOperator op : SqlLibraryOperatorTableFactory.INSTANCE
        .getOperatorTable(SqlLibrary.POSTGRESQL).getOperatorList()) {
      String name = op.getName().toLowerCase(Locale.ROOT);
      if (NAMES.contains(name)) {
        m.computeIfAbsent(name, k -> new ArrayList<>()).add(op);
      }
    }
    return Map.copyOf(m);
  }

  @Override
  public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category,
      SqlSyntax syntax, List<SqlOperator> operatorList, SqlNameMatcher nameMatcher) {
    int before = operatorList.size();
    delegate.lookupOperatorOverloads(opName, category, syntax, operatorList, nameMatcher);
    if (operatorList.size() == before && opName.isSimple()
        && (syntax == SqlSyntax.FUNCTION || syntax == SqlSyntax.FUNCTION_STAR)) {
      List<SqlOperator> ops = BY_NAME.get(opName.getSimple());
      if (ops != null) {
        operatorList.addAll(ops);
      }
    }
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    return delegate.getOperatorList();
  }
}
