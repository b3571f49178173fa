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
  private final ConcurrentMap<TableId, ViewDefinition> views = new ConcurrentHashMap<>();
  private final ConcurrentMap<TableId, IndexDefinition> indexes = new ConcurrentHashMap<>();
  private final List<BufferAllocator> dropped = new ArrayList<>();
  private final CatalogStore catalogStore;
  private final WarmTier warmTier;
  private final WarmColumnCache warmCache;
  private final TieringStats tiering = new TieringStats();
  private final java.util.concurrent.atomic.AtomicLong activeBytes = new java.util.concurrent.atomic.AtomicLong();
  private final Object flushLock = new Object();
  private java.util.concurrent.ScheduledExecutorService background;
  private WriteAheadLog wal;
  private long nextTableId = 1;
  private long checkpointLsn;
  private long replayedRecords;

  /** A storage engine held in memory only: nothing survives close. */
  public StorageEngine(StorageConfig config) {
    this.config = config;
    this.dataDir = null;
    this.catalogStore = null;
    this.warmTier = null;
    this.warmCache = new WarmColumnCache(0);
    this.root = newRootAllocator();
  }

  /** Decoded columns of warm files kept for the next query (sizes and hit counts for metrics). */
  public WarmColumnCache warmCache() {
    return warmCache;
  }

  private StorageEngine(StorageConfig config, Path dataDir) {
    this.config = config;
    this.dataDir = dataDir;
    this.warmCache = new WarmColumnCache(config.warmCacheBytes());
    this.catalogStore = new CatalogStore(dataDir.resolve("catalog"));
    this.warmTier = new WarmTier(dataDir, warmCache);
    this.root = newRootAllocator();
  }

  /**
   * Arrow's default rounds every allocation (a vector's validity and value buffers together) up
   * to a power of two, which nearly doubles a sealed segment; 1 KiB segments waste little.
   */
  private static RootAllocator newRootAllocator() {
    return new RootAllocator(org.apache.arrow.memory.AllocationListener.NOOP, Long.MAX_VALUE,
        new org.apache.arrow.memory.rounding.SegmentRoundingPolicy(
            org.apache.arrow.memory.rounding.SegmentRoundingPolicy.MIN_SEGMENT_SIZE));
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
    java.util.Set<Path> known = new java.util.HashSet<>();
    for (CatalogCheckpoint.TableEntry t : cp.tables()) {
      List<Column> cols = t.columns().stream().map(CatalogCheckpoint.ColumnEntry::column).toList();
      LumaTable table = register(t.id(), new TableId(t.schema(), t.name()), new TableSchema(cols), t.options());
      table.setFlushedLsn(t.flushedLsn());
      List<WarmFileRef> files = t.files().stream().map(f -> new WarmFileRef(f, dataDir, warmCache)).toList();
      for (WarmFileRef f : files) {
        known.add(f.path().toAbsolutePath().normalize());
        for (String c : table.options().indexed()) {
          known.add(f.indexPath(c).toAbsolutePath().normalize());
        }
      }
      table.setWarmFiles(files);
    }
    for (CatalogCheckpoint.ViewEntry v : cp.views()) {
      TableId id = new TableId(v.schema(), v.name());
      views.put(id, new ViewDefinition(v.id(), id, v.query(), v.columns(), v.dependsOn()));
      nextTableId = Math.max(nextTableId, v.id() + 1);
    }
    int orphans = warmTier.removeOrphans(known);
    if (orphans > 0) {
      LOG.info("removed {} warm files that no table lists (left by an interrupted flush)", orphans);
    }
    wal = WriteAheadLog.open(dataDir.resolve("wal"), config.walFsync(), config.walSegmentBytes(),
        entry -> replay(entry.lsn(), entry.record()));
    for (CatalogCheckpoint.IndexEntry i : cp.indexes()) {
      nextTableId = Math.max(nextTableId, i.id() + 1);
      if (byId.containsKey(i.tableId())) { // the WAL may have dropped the table since the checkpoint
        TableId id = new TableId(i.schema(), i.name());
        indexes.put(id, new IndexDefinition(i.id(), id, i.tableId(), i.columns(), i.unique()));
      }
    }
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

  private final java.util.concurrent.atomic.AtomicLong catalogVersion = new java.util.concurrent.atomic.AtomicLong();

  /**
   * A number that changes whenever a table is created or dropped or gains a column: plans
   * cached by the SQL layer are valid only for the version they were made at.
   */
  public long catalogVersion() {
    return catalogVersion.get();
  }

  private LumaTable register(long tableId, TableId id, TableSchema schema, String opts) {
    catalogVersion.incrementAndGet();
    BufferAllocator child = root.newChildAllocator("table:" + id, 0, Long.MAX_VALUE);
    LumaTable t = new LumaTable(tableId, id, schema, TableOptions.parse(opts), child, config.sealRows(),
        Math.max(1L << 20, config.hotMaxBytes() / 16), activeBytes);
    tables.put(id, t);
    byId.put(tableId, t);
    options.put(tableId, opts == null ? "" : opts);
    nextTableId = Math.max(nextTableId, tableId + 1);
    return t;
  }

  private void unregister(LumaTable t) {
    catalogVersion.incrementAndGet();
    // A dropped table's indexes go with it; the checkpoint may still list them until the next
    // one is written, and recovery ignores entries whose table is gone (table ids are not reused).
    indexes.values().removeIf(i -> i.tableId() == t.tableId());
    tables.remove(t.id(), t);
    byId.remove(t.tableId());
    options.remove(t.tableId());
    t.close(true);
    dropped.add(t.allocator());
    closeUnusedAllocators();
  }

  private final Object schemaChangeLock = new Object();

  /**
   * A lock for callers that read a table's schema and then change it (e.g. add missing label
   * columns), so that two of them never race to make the same change.
   */
  public Object schemaChangeLock() {
    return schemaChangeLock;
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
    TableOptions.parse(opts).timeColumnIn(schema);
    TableOptions.parse(opts).checkIndexed(schema);
    TableOptions.parse(opts).checkSortBy(schema);
    long lsn;
    synchronized (tables) {
      if (tables.containsKey(id) || views.containsKey(id) || indexes.containsKey(id)) {
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
      if (t == null && views.containsKey(id)) {
        throw new StorageException(StorageException.Kind.WRONG_OBJECT_TYPE,
            "\"" + id.name() + "\" is not a table (use DROP VIEW to remove a view)");
      }
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

  // ---- views: kept in the catalog checkpoint, which is rewritten (atomically) on each change ----

  /**
   * Creates a view, or replaces one ({@code orReplace}, keeping its id). The SQL layer has
   * validated {@code query} and typed its columns. Durable when this returns: the catalog
   * checkpoint is rewritten with the view in it.
   */
  public ViewDefinition createView(TableId id, String query, List<ViewDefinition.ViewColumn> columns,
      List<TableId> dependsOn, boolean orReplace) {
    if (!schemaExists(id.schema())) {
      throw new StorageException(
          StorageException.Kind.NOT_FOUND, "schema \"" + id.schema() + "\" does not exist");
    }
    synchronized (flushLock) { // flushLock before tables, as the tiering task takes them
      ViewDefinition old;
      ViewDefinition v;
      synchronized (tables) {
        if (tables.containsKey(id) || indexes.containsKey(id)) {
          if (orReplace) {
            throw new StorageException(StorageException.Kind.WRONG_OBJECT_TYPE,
                "\"" + id.name() + "\" is not a view");
          }
          throw new StorageException(
              StorageException.Kind.ALREADY_EXISTS, "relation \"" + id.name() + "\" already exists");
        }
        old = views.get(id);
        if (old != null && !orReplace) {
          throw new StorageException(
              StorageException.Kind.ALREADY_EXISTS, "relation \"" + id.name() + "\" already exists");
        }
        v = new ViewDefinition(old != null ? old.id() : nextTableId++, id, query, columns, dependsOn);
        views.put(id, v);
        catalogVersion.incrementAndGet();
      }
      persistOrUndo(() -> {
        if (old != null) {
          views.put(id, old);
        } else {
          views.remove(id, v); // its id stays used: ids are never reused
        }
      });
      return v;
    }
  }

  /** Drops a view. Returns false if it does not exist and {@code ifExists} is set. */
  public boolean dropView(TableId id, boolean ifExists) {
    synchronized (flushLock) {
      ViewDefinition v;
      synchronized (tables) {
        v = views.get(id);
        if (v == null && tables.containsKey(id)) {
          throw new StorageException(StorageException.Kind.WRONG_OBJECT_TYPE,
              "\"" + id.name() + "\" is not a view (use DROP TABLE to remove a table)");
        }
        if (v == null) {
          if (ifExists) {
            return false;
          }
          throw new StorageException(
              StorageException.Kind.NOT_FOUND, "view \"" + id.name() + "\" does not exist");
        }
        views.remove(id, v);
        catalogVersion.incrementAndGet();
      }
      persistOrUndo(() -> views.putIfAbsent(id, v));
      return true;
    }
  }

  public Optional<ViewDefinition> view(TableId id) {
    return Optional.ofNullable(views.get(id));
  }

  /** Views of one schema, sorted by name. */
  public List<ViewDefinition> views(String schema) {
    return views.values().stream()
        .filter(v -> v.name().schema().equals(schema))
        .sorted(Comparator.comparing(v -> v.name().name()))
        .toList();
  }

  public Collection<ViewDefinition> allViews() {
    return List.copyOf(views.values());
  }

  // ---- indexes: kept in the catalog checkpoint like views ----

  /**
   * Creates an index on a table. A unique index is checked against the table's rows first (under
   * the table's write lock, which every append takes, so the check and the index's arrival are
   * atomic with respect to writes): duplicates fail with {@link UniqueViolationException} and
   * nothing is created. Durable when this returns. Returns null (and changes nothing) if the name
   * is taken and {@code ifNotExists} is set.
   *
   * @param name the index's name; its schema must be the table's
   */
  public IndexDefinition createIndex(TableId name, TableId table, List<IndexDefinition.IndexColumn> columns,
      boolean unique, boolean ifNotExists) {
    LumaTable t = table(table).orElseThrow(() -> new StorageException(
        StorageException.Kind.NOT_FOUND, "relation \"" + table.name() + "\" does not exist"));
    if (!name.schema().equals(table.schema())) {
      throw new StorageException("an index must be in its table's schema");
    }
    for (IndexDefinition.IndexColumn c : columns) {
      if (t.schema().indexOf(c.name()) < 0) {
        throw new StorageException(StorageException.Kind.NOT_FOUND,
            "column \"" + c.name() + "\" does not exist");
      }
    }
    synchronized (t.writeLock) {
      if (nameTaken(name)) { // checked before the scan too, so a taken name costs no scan
        if (ifNotExists) {
          return null;
        }
        throw new StorageException(
            StorageException.Kind.ALREADY_EXISTS, "relation \"" + name.name() + "\" already exists");
      }
      if (unique) {
        UniqueKeyCheck.checkExisting(t, new IndexDefinition(0, name, t.tableId(), columns, true));
      }
      synchronized (flushLock) {
        IndexDefinition index;
        synchronized (tables) {
          if (tables.get(table) != t) {
            throw new StorageException(StorageException.Kind.NOT_FOUND,
                "relation \"" + table.name() + "\" does not exist");
          }
          if (nameTaken(name)) {
            if (ifNotExists) {
              return null;
            }
            throw new StorageException(StorageException.Kind.ALREADY_EXISTS,
                "relation \"" + name.name() + "\" already exists");
          }
          index = new IndexDefinition(nextTableId++, name, t.tableId(), columns, unique);
          indexes.put(name, index);
          catalogVersion.incrementAndGet();
        }
        persistOrUndo(() -> indexes.remove(name, index)); // its id stays used
        return index;
      }
    }
  }

  private boolean nameTaken(TableId name) {
    return tables.containsKey(name) || views.containsKey(name) || indexes.containsKey(name);
  }

  /** Drops an index. Returns false if it does not exist and {@code ifExists} is set. */
  public boolean dropIndex(TableId name, boolean ifExists) {
    synchronized (flushLock) {
      IndexDefinition index;
      synchronized (tables) {
        index = indexes.get(name);
        if (index == null) {
          if (tables.containsKey(name) || views.containsKey(name)) {
            throw new StorageException(StorageException.Kind.WRONG_OBJECT_TYPE,
                "\"" + name.name() + "\" is not an index");
          }
          if (ifExists) {
            return false;
          }
          throw new StorageException(
              StorageException.Kind.NOT_FOUND, "index \"" + name.name() + "\" does not exist");
        }
        indexes.remove(name, index);
        catalogVersion.incrementAndGet();
      }
      persistOrUndo(() -> indexes.putIfAbsent(name, index));
      return true;
    }
  }

  public Optional<IndexDefinition> index(TableId name) {
    return Optional.ofNullable(indexes.get(name));
  }

  /** The indexes of one table, by name. */
  public List<IndexDefinition> indexesOf(LumaTable table) {
    return indexes.values().stream()
        .filter(i -> i.tableId() == table.tableId())
        .sorted(Comparator.comparing(i -> i.name().name()))
        .toList();
  }

  public Collection<IndexDefinition> allIndexes() {
    return List.copyOf(indexes.values());
  }

  /**
   * Makes a view or index change (already applied in memory) durable; if the checkpoint cannot
   * be written, {@code undo} reverts the change and the failure is rethrown.
   */
  private void persistOrUndo(Runnable undo) {
    try {
      persistCatalog();
    } catch (RuntimeException e) {
      synchronized (tables) {
        undo.run();
        catalogVersion.incrementAndGet();
      }
      throw e;
    }
  }

  /**
   * Makes a view change durable: waits until the WAL is on disk up to its last record (the
   * checkpoint claims everything up to there), then rewrites the catalog checkpoint.
   */
  private void persistCatalog() {
    if (catalogStore == null || wal == null) {
      return;
    }
    awaitDurable(wal.lastLsn());
    try {
      checkpoint();
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.INTERNAL,
          "cannot write the catalog: " + e.getMessage(), e);
    }
  }

  /** Adds a nullable column to a table; existing rows read NULL. */
  public void addColumn(TableId id, Column column) {
    LumaTable t = table(id).orElseThrow(() -> new StorageException(
        StorageException.Kind.NOT_FOUND, "relation \"" + id.name() + "\" does not exist"));
    long[] lsn = new long[1];
    t.addColumn(column, r -> lsn[0] = log(r));
    catalogVersion.incrementAndGet();
    awaitDurable(lsn[0]);
  }

  /**
   * Refuses writes while the hot tier is over its memory budget (a retryable "overloaded"
   * error); callers writing several tables check once before the first write.
   */
  public void checkWritable() {
    long hot = root.getAllocatedMemory() + activeBytes.get();
    if (hot >= config.hotMaxBytes()) {
      wakeTiering();
      tiering.overloaded.incrementAndGet();
      throw new StorageException(StorageException.Kind.OVERLOADED, "hot tier is full ("
          + hot + " of " + config.hotMaxBytes() + " bytes) while it flushes to disk; retry shortly");
    }
  }

  /**
   * Appends a batch to a table: checked, logged, applied, and durable (as the fsync policy
   * says) when this returns. A batch that fails its checks changes nothing.
   */
  public void append(LumaTable table, ColumnBatch batch) {
    appendAll(List.of(Map.entry(table, batch)));
  }

  /**
   * Appends batches to several tables and waits for durability once, for the last of them (one
   * group commit instead of one per table: a remote write request touches many metrics). Every
   * batch is checked against its table before the first is logged, so a batch that does not fit
   * rejects the whole call with nothing written; a unique violation can only reject the table it
   * concerns (checked with its append, under the table's write lock), and a failed WAL write
   * leaves the batches before it written.
   */
  public void appendAll(List<Map.Entry<LumaTable, ColumnBatch>> batches) {
    checkWritable();
    for (Map.Entry<LumaTable, ColumnBatch> e : batches) {
      e.getKey().sourceColumns(e.getValue());
    }
    long hot = root.getAllocatedMemory() + activeBytes.get();
    long lsn = 0;
    try {
      for (Map.Entry<LumaTable, ColumnBatch> e : batches) {
        LumaTable t = e.getKey();
        synchronized (t.writeLock) {
          if (!indexes.isEmpty()) {
            List<IndexDefinition> unique = indexesOf(t).stream().filter(IndexDefinition::unique).toList();
            if (!unique.isEmpty()) {
              UniqueKeyCheck.checkAppend(t, e.getValue(), unique);
            }
          }
          lsn = Math.max(lsn, t.append(e.getValue(), this::log));
        }
      }
    } finally {
      if (hot >= config.hotMaxBytes() / 4 * 3) {
        wakeTiering();
      }
      awaitDurable(lsn); // what was written before a failure is acknowledged durable too
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

  /** Warm files taken out of tables, deleted once a checkpoint without them is saved. */
  private final List<WarmFileRef> obsoleteFiles = new ArrayList<>();

  private void releaseAfterCheckpoint(List<WarmFileRef> files) {
    synchronized (obsoleteFiles) {
      obsoleteFiles.addAll(files);
    }
  }

  /** Writes the catalog checkpoint (table definitions and warm files) as of now. */
  public void checkpoint() throws IOException {
    if (catalogStore == null) {
      return;
    }
    List<WarmFileRef> obsolete;
    synchronized (obsoleteFiles) {
      obsolete = List.copyOf(obsoleteFiles);
      obsoleteFiles.clear();
    }
    try {
      saveCheckpoint();
    } catch (IOException | RuntimeException e) {
      releaseAfterCheckpoint(obsolete); // still listed on disk: keep them for the next try
      throw e;
    }
    obsolete.forEach(WarmFileRef::release);
  }

  private void saveCheckpoint() throws IOException {
    synchronized (tables) {
      long lsn = wal.lastLsn();
      List<CatalogCheckpoint.TableEntry> entries = new ArrayList<>();
      for (LumaTable t : byId.values()) {
        entries.add(new CatalogCheckpoint.TableEntry(t.tableId(), t.id().schema(), t.id().name(),
            options.get(t.tableId()), WarmFileRef.columnEntries(t.schema()), t.flushedLsn(),
            t.warmFiles().stream().map(WarmFileRef::meta).toList()));
      }
      entries.sort(Comparator.comparingLong(CatalogCheckpoint.TableEntry::id));
      List<CatalogCheckpoint.ViewEntry> viewEntries = new ArrayList<>();
      for (ViewDefinition v : views.values()) {
        viewEntries.add(new CatalogCheckpoint.ViewEntry(v.id(), v.name().schema(), v.name().name(),
            v.query(), v.columns(), v.dependsOn()));
      }
      viewEntries.sort(Comparator.comparingLong(CatalogCheckpoint.ViewEntry::id));
      List<CatalogCheckpoint.IndexEntry> indexEntries = new ArrayList<>();
      for (IndexDefinition i : indexes.values()) {
        indexEntries.add(new CatalogCheckpoint.IndexEntry(i.id(), i.name().schema(), i.name().name(),
            i.tableId(), i.columns(), i.unique()));
      }
      indexEntries.sort(Comparator.comparingLong(CatalogCheckpoint.IndexEntry::id));
      catalogStore.save(new CatalogCheckpoint(CatalogCheckpoint.VERSION, lsn, nextTableId, entries,
          viewEntries, indexEntries));
      checkpointLsn = lsn;
    }
  }

  /** Statistics for /metrics. */
  public Map<String, Long> stats() {
    Map<String, Long> m = new HashMap<>();
    m.put("tables", (long) tables.size());
    m.put("hot_bytes", root.getAllocatedMemory() + activeBytes.get());
    if (wal != null) {
      m.put("wal_bytes_written", wal.bytesWritten());
      m.put("wal_syncs", wal.syncCount());
      m.put("wal_segments", (long) wal.segmentCount());
      m.put("wal_last_lsn", wal.lastLsn());
    }
    return m;
  }

  // ---- tiering: flush, compaction, retention ----

  /** Starts the background task that flushes, compacts and applies retention. */
  public synchronized void startBackgroundTasks() {
    if (wal == null || background != null) {
      return;
    }
    background = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lumadb-tiering");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(10, config.tieringInterval().toMillis());
    background.scheduleWithFixedDelay(this::runTieringQuietly, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void wakeTiering() {
    var bg = background;
    if (bg != null && tiering.wakeups.get() == tiering.runs.get()) {
      tiering.wakeups.incrementAndGet();
      bg.execute(this::runTieringQuietly);
    }
  }

  private void runTieringQuietly() {
    try {
      runTiering();
    } catch (Exception | Error e) {
      tiering.failures.incrementAndGet();
      LOG.warn("tiering task failed; will retry", e);
    } finally {
      tiering.runs.set(tiering.wakeups.get());
    }
  }

  /**
   * One round of background work: seal active segments older than the flush age (or all of
   * them when memory is short), flush sealed segments to Parquet, compact partitions with
   * many files, drop partitions past their table's retention, then checkpoint and trim the WAL.
   */
  public void runTiering() throws IOException {
    if (wal == null) {
      return;
    }
    synchronized (flushLock) {
      boolean pressure = root.getAllocatedMemory() + activeBytes.get() >= config.hotMaxBytes() / 4 * 3;
      long ageNanos = config.flushAge().toNanos();
      for (LumaTable t : allTables()) {
        long age = t.activeAgeNanos();
        if (age >= 0 && (pressure || age >= ageNanos)) {
          t.seal();
        }
      }
      boolean changed = false;
      for (LumaTable t : allTables()) {
        changed |= flushSealed(t);
        changed |= compact(t);
        changed |= applyRetention(t);
      }
      if (changed) {
        checkpoint();
        trimWal();
      }
    }
  }

  /** Seals and flushes everything in memory to Parquet now (tests, shutdown, embedding API). */
  public void flushAll() throws IOException {
    if (wal == null) {
      return;
    }
    synchronized (flushLock) {
      for (LumaTable t : allTables()) {
        t.seal();
        flushSealed(t);
      }
      checkpoint();
      trimWal();
    }
  }

  /** Seals and flushes the given tables to Parquet now. */
  public void flushTables(java.util.Collection<TableId> ids) throws IOException {
    if (wal == null) {
      return;
    }
    synchronized (flushLock) {
      for (TableId id : ids) {
        LumaTable t = tables.get(id);
        if (t != null) {
          t.seal();
          flushSealed(t);
        }
      }
      checkpoint();
      trimWal();
    }
  }

  private boolean flushSealed(LumaTable t) throws IOException {
    boolean any = false;
    for (HotSegment seg : t.sealedSegments()) {
      if (!seg.retain()) {
        continue;
      }
      try {
        List<WarmFileRef> files = warmTier.write(t.id(), seg.schema(),
            t.options().timeColumnIn(seg.schema()), seg.readers(), seg.rowCount(), t.options());
        t.commitFlush(seg, files);
        tiering.flushes.incrementAndGet();
        tiering.filesWritten.addAndGet(files.size());
        tiering.rowsFlushed.addAndGet(seg.rowCount());
        files.forEach(f -> tiering.bytesWritten.addAndGet(f.meta().bytes()));
        any = true;
      } finally {
        seg.release();
      }
    }
    return any;
  }

  /**
   * Merges the small files of each partition that has at least compactMinFiles of them. A file
   * is small below two sealed segments' worth of rows, and one merge reads at most
   * {@link #compactionRows()} rows, smallest files first: the merge happens in heap, so both
   * bounds keep its memory bounded, and a merged file is not merged again and again as new
   * small files arrive.
   */
  private boolean compact(LumaTable t) throws IOException {
    Map<String, List<WarmFileRef>> byPartition = new java.util.TreeMap<>();
    long small = 2L * config.sealRows();
    for (WarmFileRef f : t.warmFiles()) {
      if (f.rowCount() < small) {
        byPartition.computeIfAbsent(f.meta().partition(), k -> new ArrayList<>()).add(f);
      }
    }
    boolean any = false;
    for (List<WarmFileRef> all : byPartition.values()) {
      all.sort(Comparator.comparingLong(WarmFileRef::rowCount));
      List<WarmFileRef> files = new ArrayList<>();
      long rows = 0;
      for (WarmFileRef f : all) {
        if (!files.isEmpty() && rows + f.rowCount() > compactionRows()) {
          break;
        }
        files.add(f);
        rows += f.rowCount();
      }
      if (files.size() < config.compactMinFiles()) {
        continue;
      }
      TableSchema schema = t.schema();
      HeapColumn[] merged = new HeapColumn[schema.size()];
      for (int c = 0; c < merged.length; c++) {
        merged[c] = new HeapColumn(schema.column(c).type(), (int) rows);
      }
      int n = 0;
      List<WarmFileRef> retained = new ArrayList<>();
      try {
        for (WarmFileRef f : files) {
          if (!f.retain()) {
            continue;
          }
          retained.add(f);
          TableSnapshot one = new TableSnapshot(schema, -1, List.of(f), List.of(), List.of());
          for (TableSnapshot.Part p : one.parts()) {
            for (int c = 0; c < merged.length; c++) {
              merged[c].appendFrom(p.columns().get(c), 0, p.rowCount());
            }
            n += p.rowCount();
          }
        }
        List<ColumnReader> cols = new ArrayList<>();
        for (HeapColumn h : merged) {
          cols.add(h.view());
        }
        List<WarmFileRef> written = warmTier.write(t.id(), schema, t.timeColumn(), cols, n, t.options());
        t.replaceWarm(retained, written);
        releaseAfterCheckpoint(retained);
        tiering.compactions.incrementAndGet();
        any = true;
      } finally {
        retained.forEach(WarmFileRef::release);
      }
    }
    return any;
  }

  /**
   * Deletes the rows whose time column lies in [{@code from}, {@code to}] (epoch milliseconds,
   * inclusive; null: unbounded on that side), or every row when {@code all} is set (rows
   * without a time, too). Returns how many rows it deleted.
   *
   * <p>Everything appended before the call is first flushed to warm files (so no WAL record
   * of a deleted row is replayed after a crash); then files entirely inside the range are
   * dropped and files that overlap it are rewritten without those rows, and the new file list
   * is checkpointed before this returns, which is when the delete is durable. A crash before
   * that leaves the table as it was (new files are orphans, removed at start). Rows appended
   * while it runs are not deleted (they come after the statement, as in PostgreSQL). Queries
   * running meanwhile keep reading the files of their snapshot.
   */
  public long deleteRows(TableId id, Long from, Long to, boolean all) throws IOException {
    if (wal == null) {
      throw new StorageException("DELETE needs a data directory (this engine keeps its data in memory only)");
    }
    synchronized (flushLock) {
      LumaTable t = tables.get(id);
      if (t == null) {
        throw new StorageException(StorageException.Kind.NOT_FOUND, "relation \"" + id.name() + "\" does not exist");
      }
      int timeColumn = t.timeColumn();
      if (!all && timeColumn < 0) {
        throw new StorageException("table \"" + id.name() + "\" has no time column to delete a range of");
      }
      t.seal();
      flushSealed(t);
      long lo = from == null ? Long.MIN_VALUE : from;
      long hi = to == null ? Long.MAX_VALUE : to;
      List<WarmFileRef> removed = new ArrayList<>();
      List<WarmFileRef> written = new ArrayList<>();
      long deleted = 0;
      try {
        for (WarmFileRef f : t.warmFiles()) {
          Long min = f.meta().minTime();
          Long max = f.meta().maxTime();
          boolean dated = f.meta().partition().startsWith("date=") && !f.meta().partition().equals("date=unknown");
          if (all || (dated && min != null && max != null && min >= lo && max <= hi)) {
            removed.add(f); // wholly inside (a dated partition has no row without a time)
            deleted += f.rowCount();
          } else if (min != null && max != null && max >= lo && min <= hi) {
            long gone = rewriteWithout(t, f, timeColumn, lo, hi, written);
            if (gone > 0) {
              removed.add(f);
              deleted += gone;
            }
          }
        }
        if (removed.isEmpty()) {
          return 0;
        }
        t.replaceWarm(removed, written);
      } catch (IOException | RuntimeException e) {
        written.forEach(WarmFileRef::release); // not in the table: their files go
        throw e;
      }
      releaseAfterCheckpoint(removed);
      checkpoint();
      trimWal();
      return deleted;
    }
  }

  /**
   * Writes the rows of {@code f} whose time is outside [lo, hi] (or null) to new files, added to
   * {@code written}, and returns how many rows it left out; when none, it writes nothing.
   */
  private long rewriteWithout(LumaTable t, WarmFileRef f, int timeColumn, long lo, long hi,
      List<WarmFileRef> written) throws IOException {
    if (!f.retain()) {
      return 0;
    }
    try {
      TableSchema schema = t.schema();
      HeapColumn[] kept = new HeapColumn[schema.size()];
      for (int c = 0; c < kept.length; c++) {
        kept[c] = new HeapColumn(schema.column(c).type(), (int) Math.min(f.rowCount(), Integer.MAX_VALUE));
      }
      long n = 0;
      long left = 0;
      TableSnapshot one = new TableSnapshot(schema, -1, List.of(f), List.of(), List.of());
      for (TableSnapshot.Part p : one.parts()) {
        ColumnReader time = p.columns().get(timeColumn);
        int run = 0; // start of the current run of kept rows
        for (int i = 0; i <= p.rowCount(); i++) {
          boolean keep = i < p.rowCount() && (time.isNull(i) || time.getLong(i) < lo || time.getLong(i) > hi);
          if (keep) {
            continue;
          }
          if (i > run) {
            for (int c = 0; c < kept.length; c++) {
              kept[c].appendFrom(p.columns().get(c), run, i);
            }
            n += i - run;
          }
          if (i < p.rowCount()) {
            left++;
          }
          run = i + 1;
        }
      }
      if (left > 0 && n > 0) {
        List<ColumnReader> cols = new ArrayList<>();
        for (HeapColumn h : kept) {
          cols.add(h.view());
        }
        written.addAll(warmTier.write(t.id(), schema, timeColumn, cols, (int) n, t.options()));
      }
      return left;
    } finally {
      f.release();
    }
  }

  /** Most rows one compaction merges (it holds them in heap while it writes the new file). */
  long compactionRows() {
    return 8L * config.sealRows();
  }

  /** Drops whole partitions (days) older than the table's ttl (or the default ttl). */
  private boolean applyRetention(LumaTable t) {
    java.time.Duration ttl = t.options().ttl() != null ? t.options().ttl() : config.defaultTtl();
    if (ttl == null || t.timeColumn() < 0) {
      return false;
    }
    long cutoff = System.currentTimeMillis() - ttl.toMillis();
    List<WarmFileRef> expired = new ArrayList<>();
    for (WarmFileRef f : t.warmFiles()) {
      Long max = f.meta().maxTime();
      String p = f.meta().partition();
      if (max != null && max < cutoff && p.startsWith("date=") && !p.equals("date=unknown")) {
        long dayEnd = (java.time.LocalDate.parse(p.substring(5)).toEpochDay() + 1) * 86_400_000L;
        if (dayEnd <= cutoff) {
          expired.add(f);
        }
      }
    }
    if (expired.isEmpty()) {
      return false;
    }
    t.replaceWarm(expired, List.of());
    releaseAfterCheckpoint(expired);
    tiering.partitionsExpired.addAndGet(expired.stream().map(f -> f.meta().partition()).distinct().count());
    tiering.filesExpired.addAndGet(expired.size());
    return true;
  }

  private void trimWal() throws IOException {
    long keepFrom = Long.MAX_VALUE;
    for (LumaTable t : allTables()) {
      keepFrom = Math.min(keepFrom, t.minUnflushedLsn());
    }
    long upTo = Math.min(checkpointLsn, keepFrom == Long.MAX_VALUE ? Long.MAX_VALUE : keepFrom - 1);
    tiering.walSegmentsTrimmed.addAndGet(wal.trim(upTo));
  }

  public TieringStats tieringStats() {
    return tiering;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (background != null) {
        background.shutdown(); // let a running flush finish; interrupts would abort its I/O
        try {
          background.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        background = null;
      }
    }
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
      t.close(false);
      dropped.add(t.allocator());
    }
    tables.clear();
    byId.clear();
    views.clear();
    indexes.clear();
    dropped.forEach(BufferAllocator::close);
    dropped.clear();
    root.close();
  }
}
