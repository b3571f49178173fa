package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * One LumaDB schema (namespace) as Calcite sees it. Tables are looked up live in the storage
 * engine, so tables created or dropped by other sessions show at once.
 */
public final class LumaSchema extends AbstractSchema {
  private final StorageEngine storage;
  private final String name;

  public LumaSchema(StorageEngine storage, String name) {
    this.storage = storage;
    this.name = name;
  }

  public String name() {
    return name;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    Map<String, Table> map = new LinkedHashMap<>();
    for (LumaTable t : storage.tables(name)) {
      map.put(t.id().name(), new LumaCalciteTable(t));
    }
    return map;
  }

  @Override
  protected com.google.common.collect.Multimap<String, org.apache.calcite.schema.Function> getFunctionMultimap() {
    return com.google.common.collect.ImmutableMultimap.of(TextMatchFunction.NAME,
        org.apache.calcite.schema.impl.ScalarFunctionImpl.create(TextMatchFunction.class, "eval"));
  }

  @Override
  public boolean isMutable() {
    return true;
  }

  /** Looks one table up without building the whole map. */
  public Table table(String tableName) {
    return storage.table(new TableId(name, tableName)).map(LumaCalciteTable::new).orElse(null);
  }
}
