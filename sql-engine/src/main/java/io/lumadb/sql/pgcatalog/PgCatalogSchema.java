package io.lumadb.sql.pgcatalog;

import com.google.common.collect.Multimap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** The pg_catalog or information_schema schema of one session: its tables and functions. */
final class PgCatalogSchema extends AbstractSchema {
  private final PgCatalogContext context;
  private final Map<String, Table> tables = new LinkedHashMap<>();
  private final Multimap<String, Function> functions;

  PgCatalogSchema(PgCatalogContext context, String name, Iterable<CatalogTable> definitions,
      Multimap<String, Function> functions) {
    this.context = context;
    for (CatalogTable t : definitions) {
      if (t.schema().equals(name)) {
        tables.put(t.name(), t.bind(context));
      }
    }
    this.functions = functions;
  }

  PgCatalogContext context() {
    return context;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tables;
  }

  @Override
  protected Multimap<String, Function> getFunctionMultimap() {
    return functions;
  }
}
