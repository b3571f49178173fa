package io.lumadb.sql.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * PostgreSQL's pg_options_to_table(text[]): {@code name=value} option strings (reloptions,
 * ftoptions, attfdwoptions) as rows of option_name and option_value. psql calls it to describe
 * foreign tables and their columns.
 */
public final class OptionsTable extends AbstractTable implements ScannableTable {
  private final List<?> options;

  private OptionsTable(List<?> options) {
    this.options = options;
  }

  /** A NULL array gives no rows. */
  public static ScannableTable pgOptionsToTable(List<?> options) {
    return new OptionsTable(options == null ? List.of() : options);
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataType text = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.VARCHAR), true);
    return typeFactory.builder().add("option_name", text).add("option_value", text).build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    List<Object[]> rows = new ArrayList<>();
    for (Object o : options) {
      if (o == null) {
        continue;
      }
      String s = o.toString();
      int eq = s.indexOf('=');
      rows.add(eq < 0 ? new Object[] {s, null} : new Object[] {s.substring(0, eq), s.substring(eq + 1)});
    }
    return Linq4j.asEnumerable(rows);
  }
}
