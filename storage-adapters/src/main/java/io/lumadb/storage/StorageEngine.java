package io.lumadb.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The tables of one LumaDB instance and the memory they live in. Owns the root Arrow
 * allocator; each table gets a child allocator of its own.
 */
public final class StorageEngine implements AutoCloseable {
  /** Schemas that always exist: user tables, telemetry metrics, OpenTelemetry logs/spans. */
  public static final List<String> BUILT_IN_SCHEMAS = List.of("public", "metrics", "otel");

  private final StorageConfig config;
  private final BufferAllocator root;
  private final ConcurrentMap<TableId, LumaTable> tables = new ConcurrentHashMap<>();
  private final List<BufferAllocator> dropped = new ArrayList<>();

  public StorageEngine(StorageConfig config) {
    this.config = config;
    this.root = new RootAllocator();
  }

  public StorageConfig config() {
    return config;
  }

  public Set<String> schemaNames() {
    return Set.copyOf(BUILT_IN_SCHEMAS);
  }

  public boolean schemaExists(String schema) {
    return BUILT_IN_SCHEMAS.contains(schema);
  }

  /**
   * Creates a table. Returns false (and changes nothing) if it exists and {@code ifNotExists}
   * is set.
   */
  public boolean createTable(TableId id, TableSchema schema, boolean ifNotExists) {
    if (!schemaExists(id.schema())) {
      throw new StorageException(
          StorageException.Kind.NOT_FOUND, "schema \"" + id.schema() + "\" does not exist");
    }
    if (schema.size() == 0) {
      throw new StorageException("a table needs at least one column");
    }
    synchronized (tables) {
      if (tables.containsKey(id)) {
        if (ifNotExists) {
          return false;
        }
        throw new StorageException(
            StorageException.Kind.ALREADY_EXISTS, "relation \"" + id.name() + "\" already exists");
      }
      BufferAllocator child = root.newChildAllocator("table:" + id, 0, Long.MAX_VALUE);
      tables.put(id, new LumaTable(id, schema, child, config.sealRows()));
      return true;
    }
  }

  /** Drops a table. Returns false if it does not exist and {@code ifExists} is set. */
  public boolean dropTable(TableId id, boolean ifExists) {
    synchronized (tables) {
      LumaTable t = tables.remove(id);
      if (t == null) {
        if (ifExists) {
          return false;
        }
        throw new StorageException(
            StorageException.Kind.NOT_FOUND, "table \"" + id.name() + "\" does not exist");
      }
      t.close();
      dropped.add(t.allocator());
      closeUnusedAllocators();
      return true;
    }
  }

  private void closeUnusedAllocators() {
    dropped.removeIf(a -> {
      if (a.getAllocatedMemory() == 0) {
        a.close();
        return true;
      }
      return false;
    });
  }

  public Optional<LumaTable> table(TableId id) {
    return Optional.ofNullable(tables.get(id));
  }

  /** Tables of one schema, sorted by name. */
  public List<LumaTable> tables(String schema) {
    return tables.values().stream()
        .filter(t -> t.id().schema().equals(schema))
        .sorted(Comparator.comparing(t -> t.id().name()))
        .toList();
  }

  public Collection<LumaTable> allTables() {
    return List.copyOf(tables.values());
  }

  /** Arrow memory held by all tables. */
  public long allocatedBytes() {
    return root.getAllocatedMemory();
  }

  @Override
  public void close() {
    synchronized (tables) {
      for (LumaTable t : tables.values()) {
        t.close();
        dropped.add(t.allocator());
      }
      tables.clear();
      dropped.forEach(BufferAllocator::close);
      dropped.clear();
      root.close();
    }
  }
}
