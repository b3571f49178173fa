package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.ViewDefinition;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * One LumaDB schema (namespace) as Calcite sees it. Tables are looked up live, one by name, in
 * the storage engine (no map of all tables is built per query, which matters with thousands
 * of metric tables), so tables created or dropped by other sessions show at once.
 *
 * <p>{@code public} is also where unqualified names are resolved, so it searches the search
 * path {@code public, metrics, otel}: {@code SELECT * FROM up} finds {@code metrics.up} unless
 * {@code public.up} exists.
 *
 * <p>Views are looked up the same way (a name is a table or a view, never both); the SQL layer
 * supplies the Calcite table that expands a view's query.
 */
public final class LumaSchema extends AbstractSchema {
  private final StorageEngine storage;
  private final String name;
  private final List<String> searchPath;
  private final Function<ViewDefinition, Table> viewTables;

  /** A schema without views (they are not found by name). */
  public LumaSchema(StorageEngine storage, String name) {
    this(storage, name, null);
  }

  /** @param viewTables makes the Calcite table of a view; null: views are not visible */
  public LumaSchema(StorageEngine storage, String name, Function<ViewDefinition, Table> viewTables) {
    this.storage = storage;
    this.name = name;
    this.searchPath = name.equals("public") ? StorageEngine.BUILT_IN_SCHEMAS : List.of(name);
    this.viewTables = viewTables;
  }

  public String name() {
    return name;
  }

  @Override
  public Lookup<Table> tables() {
    return new Lookup<>() {
      @Override
      public Table get(String tableName) {
        return find(tableName);
      }

      @Override
      public Named<Table> getIgnoreCase(String tableName) {
        Table exact = get(tableName);
        if (exact != null) {
          return new Named<>(tableName, exact);
        }
        for (String s : searchPath) {
          for (LumaTable t : storage.tables(s)) {
            if (t.id().name().equalsIgnoreCase(tableName)) {
              return new Named<>(t.id().name(), new LumaCalciteTable(t));
            }
          }
          if (viewTables != null) {
            for (ViewDefinition v : storage.views(s)) {
              if (v.name().name().equalsIgnoreCase(tableName)) {
                return new Named<>(v.name().name(), viewTables.apply(v));
              }
            }
          }
        }
        return null;
      }

      @Override
      public Set<String> getNames(LikePattern pattern) {
        var matcher = pattern.matcher();
        Set<String> names = new LinkedHashSet<>();
        for (String s : searchPath) {
          for (LumaTable t : storage.tables(s)) {
            if (matcher.apply(t.id().name())) {
              names.add(t.id().name());
            }
          }
          if (viewTables != null) {
            for (ViewDefinition v : storage.views(s)) {
              if (matcher.apply(v.name().name())) {
                names.add(v.name().name());
              }
            }
          }
        }
        return names;
      }
    };
  }

  private Table find(String tableName) {
    for (String s : searchPath) {
      TableId id = new TableId(s, tableName);
      Optional<LumaTable> t = storage.table(id);
      if (t.isPresent()) {
        return new LumaCalciteTable(t.get());
      }
      if (viewTables != null) {
        Optional<ViewDefinition> v = storage.view(id);
        if (v.isPresent()) {
          return viewTables.apply(v.get());
        }
      }
    }
    return null;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    Map<String, Table> map = new LinkedHashMap<>();
    for (String s : searchPath) {
      for (LumaTable t : storage.tables(s)) {
        map.putIfAbsent(t.id().name(), new LumaCalciteTable(t));
      }
      if (viewTables != null) {
        for (ViewDefinition v : storage.views(s)) {
          map.putIfAbsent(v.name().name(), viewTables.apply(v));
        }
      }
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

  /** Looks one table up (search path included). */
  public Table table(String tableName) {
    return tables().get(tableName);
  }
}
