package io.lumadb.storage;

import io.lumadb.storage.catalog.CatalogCheckpoint;
import io.lumadb.storage.catalog.CatalogStore;
import io.lumadb.storage.wal.WalCorruptException;
import io.lumadb.storage.wal.WalRecord;
import io.lumadb.storage.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of one LumaDB instance and the memory they live in. Owns the root Arrow
 * allocator (each table gets a child allocator) and, when opened on a data directory, the
 * write-ahead log and the catalog checkpoint: every change is logged, and forced to disk as
 * the fsync policy says, before it is applied and acknowledged.
 */
public final class StorageEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageEngine.class);

  /** Schemas that always exist: user tables, telemetry metrics, OpenTelemetry logs/spans. */
  public static final List<String> BUILT_IN_SCHEMAS = List.of("public", "metrics", "otel");

  private final StorageConfig config;
  private final Path dataDir;
  private final BufferAllocator root;
  private final ConcurrentMap<TableId, LumaTable> tables = new ConcurrentHashMap<>();
  private final Map<Long, LumaTable> byId = new ConcurrentHashMap<>();
  private final Map<Long, String> options = new ConcurrentHashMap<>();
  private final List<BufferAllocator> dropped = new ArrayList<>();
  private final CatalogStore catalogStore;
  private WriteAheadLog wal;
  private long nextTableId = 1;
  private long checkpointLsn;
  private long replayedRecords;

  /** A storage engine held in memory only: nothing survives close. */
  public StorageEngine(StorageConfig config) {
    this.config = config;
    this.dataDir = null;
    this.catalogStore = null;
    this.root = new RootAllocator();
  }

  private StorageEngine(StorageConfig config, Path dataDir) {
    this.config = config;
    this.dataDir = dataDir;
    this.catalogStore = new CatalogStore(dataDir.resolve("catalog"));
    this.root = new RootAllocator();
  }

  /**
   * Opens the storage in {@code dataDir}: loads the catalog checkpoint and replays the
   * write-ahead log on top of it.
   *
   * @throws WalCorruptException if a WAL record other than a torn last one is damaged
   */
  public static StorageEngine open(Path dataDir, StorageConfig config) throws IOException {
    StorageEngine e = new StorageEngine(config, dataDir);
    try {
      e.recover();
    } catch (IOException | RuntimeException ex) {
      e.closeMemory();
      throw ex;
    }
    return e;
  }

  private void recover() throws IOException {
    long started = System.nanoTime();
    CatalogCheckpoint cp = catalogStore.load();
    checkpointLsn = cp.checkpointLsn();
    nextTableId = cp.nextTableId();
    for (CatalogCheckpoint.TableEntry t : cp.tables()) {
      List<Column> cols = t.columns().stream()
          .map(c -> new Column(c.name(), ColumnType.valueOf(c.type()), c.nullable())).toList();
      LumaTable table = register(t.id(), new TableId(t.schema(), t.name()), new TableSchema(cols), t.options());
      table.setFlushedLsn(t.flushedLsn());
    }
    wal = WriteAheadLog.open(dataDir.resolve("wal"), config.walFsync(), config.walSegmentBytes(),
        entry -> replay(entry.lsn(), entry.record()));
    long rows = tables.values().stream().mapToLong(LumaTable::rowCount).sum();
    LOG.info("storage recovered: {} tables, {} WAL records replayed ({} rows in memory) in {} ms",
        tables.size(), replayedRecords, rows, (System.nanoTime() - started) / 1_000_000);
  }

  private void replay(long lsn, WalRecord r) {
    replayedRecords++;
    if (r instanceof WalRecord.Append a) {
      LumaTable t = byId.get(a.tableId());
      if (t != null && lsn > t.flushedLsn()) {
        t.append(a.batch(), rec -> lsn);
      }
      return;
    }
    if (lsn <= checkpointLsn) {
      return;
    }
    if (r instanceof WalRecord.CreateTable c) {
      if (!byId.containsKey(c.tableId())) {
        register(c.tableId(), c.name(), c.schema(), c.options());
      }
      nextTableId = Math.max(nextTableId, c.tableId() + 1);
    } else if (r instanceof WalRecord.DropTable d) {
      LumaTable t = byId.get(d.tableId());
      if (t != null) {
        unregister(t);
      }
    } else if (r instanceof WalRecord.AddColumn a) {
      LumaTable t = byId.get(a.tableId());
      if (t != null && t.schema().indexOf(a.column().name()) < 0) {
        t.addColumn(a.column(), rec -> lsn);
      }
    }
  }

  private LumaTable register(long tableId, TableId id, TableSchema schema, String opts) {
    BufferAllocator child = root.newChildAllocator("table:" + id, 0, Long.MAX_VALUE);
    LumaTable t = new LumaTable(tableId, id, schema, child, config.sealRows());
    tables.put(id, t);
    byId.put(tableId, t);
    options.put(tableId, opts == null ? "" : opts);
    nextTableId = Math.max(nextTableId, tableId + 1);
    return t;
  }

  private void unregister(LumaTable t) {
    tables.remove(t.id(), t);
    byId.remove(t.tableId());
    options.remove(t.tableId());
    t.close();
    dropped.add(t.allocator());
    closeUnusedAllocators();
  }

  public StorageConfig config() {
    return config;
  }

  /** True when changes are logged to a data directory. */
  public boolean isDurable() {
    return wal != null;
  }

  public Set<String> schemaNames() {
    return Set.copyOf(BUILT_IN_SCHEMAS);
  }

  public boolean schemaExists(String schema) {
    return BUILT_IN_SCHEMAS.contains(schema);
  }

  private long log(WalRecord r) {
    if (wal == null) {
      return 0;
    }
    try {
      return wal.append(r);
    } catch (UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.INTERNAL, e.getMessage(), e);
    }
  }

  private void awaitDurable(long lsn) {
    if (wal != null && lsn > 0) {
      try {
        wal.awaitDurable(lsn);
      } catch (UncheckedIOException e) {
        throw new StorageException(StorageException.Kind.INTERNAL, e.getMessage(), e);
      }
    }
  }

  /**
   * Creates a table. Returns false (and changes nothing) if it exists and {@code ifNotExists}
   * is set.
   */
  public boolean createTable(TableId id, TableSchema schema, boolean ifNotExists) {
    return createTable(id, schema, ifNotExists, "");
  }

  public boolean createTable(TableId id, TableSchema schema, boolean ifNotExists, String opts) {
    if (!schemaExists(id.schema())) {
      throw new StorageException(
          StorageException.Kind.NOT_FOUND, "schema \"" + id.schema() + "\" does not exist");
    }
    if (schema.size() == 0) {
      throw new StorageException("a table needs at least one column");
    }
    long lsn;
    synchronized (tables) {
      if (tables.containsKey(id)) {
        if (ifNotExists) {
          return false;
        }
        throw new StorageException(
            StorageException.Kind.ALREADY_EXISTS, "relation \"" + id.name() + "\" already exists");
      }
      long tableId = nextTableId;
      lsn = log(new WalRecord.CreateTable(tableId, id, schema, opts));
      register(tableId, id, schema, opts);
    }
    awaitDurable(lsn);
    return true;
  }

  /** Drops a table. Returns false if it does not exist and {@code ifExists} is set. */
  public boolean dropTable(TableId id, boolean ifExists) {
    long lsn;
    synchronized (tables) {
      LumaTable t = tables.get(id);
      if (t == null) {
        if (ifExists) {
          return false;
        }
        throw new StorageException(
            StorageException.Kind.NOT_FOUND, "table \"" + id.name() + "\" does not exist");
      }
      lsn = log(new WalRecord.DropTable(t.tableId()));
      unregister(t);
    }
    awaitDurable(lsn);
    return true;
  }

  /** Adds a nullable column to a table; existing rows read NULL. */
  public void addColumn(TableId id, Column column) {
    LumaTable t = table(id).orElseThrow(() -> new StorageException(
        StorageException.Kind.NOT_FOUND, "relation \"" + id.name() + "\" does not exist"));
    long[] lsn = new long[1];
    t.addColumn(column, r -> lsn[0] = log(r));
    awaitDurable(lsn[0]);
  }

  /**
   * Appends a batch to a table: checked, logged, applied, and durable (as the fsync policy
   * says) when this returns. A batch that fails its checks changes nothing.
   */
  public void append(LumaTable table, ColumnBatch batch) {
    long lsn = table.append(batch, this::log);
    awaitDurable(lsn);
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

  /** Writes the catalog checkpoint (table definitions and warm files) as of now. */
  public void checkpoint() throws IOException {
    if (catalogStore == null) {
      return;
    }
    synchronized (tables) {
      long lsn = wal.lastLsn();
      List<CatalogCheckpoint.TableEntry> entries = new ArrayList<>();
      for (LumaTable t : byId.values()) {
        List<CatalogCheckpoint.ColumnEntry> cols = t.schema().columns().stream()
            .map(c -> new CatalogCheckpoint.ColumnEntry(c.name(), c.type().name(), c.nullable()))
            .toList();
        entries.add(new CatalogCheckpoint.TableEntry(t.tableId(), t.id().schema(), t.id().name(),
            options.get(t.tableId()), cols, t.flushedLsn(), List.of()));
      }
      entries.sort(Comparator.comparingLong(CatalogCheckpoint.TableEntry::id));
      catalogStore.save(new CatalogCheckpoint(CatalogCheckpoint.VERSION, lsn, nextTableId, entries));
      checkpointLsn = lsn;
    }
  }

  /** Statistics for /metrics. */
  public Map<String, Long> stats() {
    Map<String, Long> m = new HashMap<>();
    m.put("tables", (long) tables.size());
    m.put("hot_bytes", root.getAllocatedMemory());
    if (wal != null) {
      m.put("wal_bytes_written", wal.bytesWritten());
      m.put("wal_syncs", wal.syncCount());
      m.put("wal_segments", (long) wal.segmentCount());
      m.put("wal_last_lsn", wal.lastLsn());
    }
    return m;
  }

  @Override
  public void close() {
    synchronized (tables) {
      if (wal != null) {
        try {
          checkpoint();
          wal.close();
        } catch (IOException e) {
          LOG.warn("error while closing the write-ahead log", e);
        }
        wal = null;
      }
      closeMemory();
    }
  }

  private void closeMemory() {
    for (LumaTable t : tables.values()) {
      t.close();
      dropped.add(t.allocator());
    }
    tables.clear();
    byId.clear();
    dropped.forEach(BufferAllocator::close);
    dropped.clear();
    root.close();
  }
}
