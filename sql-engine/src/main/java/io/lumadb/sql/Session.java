package io.lumadb.sql;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import io.lumadb.storage.ViewDefinition;
import io.lumadb.storage.calcite.LumaSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * One client's conversation with the engine: its settings and its Calcite connection.
 * Not thread-safe; a protocol runs one statement of a session at a time.
 */
public final class Session implements AutoCloseable {
  private final SqlEngine engine;
  private final String user;
  private final String frontend;
  private final SessionSettings settings;
  private final CalciteConnection calcite;
  private boolean inTransaction;
  private boolean transactionFailed;

  Session(SqlEngine engine, String user, String frontend, Map<String, String> startup) {
    this.engine = engine;
    this.user = user;
    this.frontend = frontend;
    this.settings = new SessionSettings(user);
    startup.forEach((k, v) -> {
      if (!k.equals("user") && !k.equals("database") && !k.equals("options")
          && !k.equals("replication")) {
        try {
          settings.set(k, v);
        } catch (LumaException ignored) {
          // A startup parameter that cannot be set keeps its default, as PostgreSQL warns.
        }
      }
    });
    this.calcite = connect(engine, settings);
  }

  private static CalciteConnection connect(SqlEngine engine, SessionSettings settings) {
    StorageEngine storage = engine.storage();
    Properties p = new Properties();
    p.setProperty("parserFactory", "org.apache.calcite.sql.parser.babel.SqlBabelParserImpl#FACTORY");
    // LENIENT, not BABEL: BABEL's lateral select aliases (isSelectAlias ANY) break validation of
    // CASE/COALESCE/NULLIF over GROUP BY columns and ROLLUP/GROUPING SETS, and its non-strict
    // GROUP BY accepts ungrouped columns; PostgreSQL has none of these.
    p.setProperty("conformance", "LENIENT");
    p.setProperty("caseSensitive", "true");
    p.setProperty("unquotedCasing", "TO_LOWER");
    p.setProperty("quotedCasing", "UNCHANGED");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("fun", "standard,postgresql");
    p.setProperty("timeZone", "UTC");
    p.setProperty("typeSystem", LumaTypeSystem.class.getName() + "#INSTANCE");
    p.setProperty("defaultNullCollation", "HIGH");
    try {
      Connection c = new org.apache.calcite.jdbc.Driver().withPrepareFactory(LumaPrepare::new)
          .connect("jdbc:calcite:", p);
      CalciteConnection cc = c.unwrap(CalciteConnection.class);
      SchemaPlus root = cc.getRootSchema();
      for (String s : StorageEngine.BUILT_IN_SCHEMAS) {
        SchemaPlus added = root.add(s, new LumaSchema(storage, s, LumaViewTable::new));
        added.setCacheEnabled(false);
      }
      engine.federation().register(root);
      io.lumadb.sql.pgcatalog.PgCatalog.register(root, storage, settings,
          engine.federation().schemaNames());
      cc.setSchema("public");
      return cc;
    } catch (SQLException e) {
      throw new LumaException(ErrorCode.E005, "cannot start a SQL session: " + e.getMessage(), e);
    }
  }

  public String user() {
    return user;
  }

  public SessionSettings settings() {
    return settings;
  }

  public boolean inTransaction() {
    return inTransaction;
  }

  /**
   * PostgreSQL's transaction status for ReadyForQuery: 'I' idle, 'T' in a transaction block,
   * 'E' in a failed transaction block (statements are refused until ROLLBACK).
   */
  public char transactionStatus() {
    return !inTransaction ? 'I' : transactionFailed ? 'E' : 'T';
  }

  private static final java.util.concurrent.ScheduledExecutorService TIMEOUTS =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lumadb-statement-timeout");
        t.setDaemon(true);
        return t;
      });
  private volatile io.lumadb.storage.calcite.QueryCancellation.Token token =
      new io.lumadb.storage.calcite.QueryCancellation.Token();

  /**
   * Asks the latest statement to stop if it is still running (Calcite computes rows while
   * they are fetched, so "running" lasts until its result is read); it fails with 57014.
   */
  public void cancel() {
    token.cancel("canceling statement due to user request");
  }

  /** A fresh cancellation token for the statement about to run, with statement_timeout armed. */
  void beginStatement() {
    token.releaseHeld(); // the statement before is over, whether or not its result was closed
    io.lumadb.storage.calcite.QueryCancellation.Token t =
        new io.lumadb.storage.calcite.QueryCancellation.Token(engine.newQueryMemory("statement of " + user));
    token = t;
    io.lumadb.storage.calcite.QueryCancellation.bind(t);
    long ms = statementTimeoutMillis();
    if (ms > 0) {
      TIMEOUTS.schedule(() -> t.cancel("canceling statement due to statement timeout"), ms,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /** statement_timeout in milliseconds: a number is milliseconds, or with a unit (5s, 1min). */
  private long statementTimeoutMillis() {
    String v = settings.get("statement_timeout");
    if (v == null || v.isBlank()) {
      return 0;
    }
    String t = v.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.matches("\\d+")) {
        return Long.parseLong(t);
      }
      if (t.endsWith("min")) {
        return Long.parseLong(t.substring(0, t.length() - 3).trim()) * 60_000;
      }
      return io.lumadb.storage.TableOptions.parseDuration(t).toMillis();
    } catch (RuntimeException e) {
      throw new LumaException("22023", "invalid value for parameter \"statement_timeout\": \"" + v + "\"");
    }
  }

  /** Executes one statement without parameters. */
  public StatementResult execute(String sql) {
    return execute(sql, List.of());
  }

  /**
   * The front end's named prepared statements, which DEALLOCATE drops (pgwire's Parse
   * messages make them; a front end without any keeps the default, which has none).
   */
  public interface Deallocator {
    /** Drops one; false when there is none by that name. */
    boolean deallocate(String name);

    void deallocateAll();
  }

  private Deallocator deallocator = new Deallocator() {
    @Override
    public boolean deallocate(String name) {
      return false;
    }

    @Override
    public void deallocateAll() {}
  };

  public void setDeallocator(Deallocator d) {
    this.deallocator = d;
  }

  /** Executes one statement, binding {@code $n} to {@code params.get(n - 1)}. */
  public StatementResult execute(String sql, List<Object> params) {
    engine.metrics().query(frontend);
    beginStatement();
    try {
      Statement st = StatementParser.parse(sql);
      checkTransaction(st);
      return run(st, params);
    } catch (Throwable t) {
      throw failed(t, sql);
    }
  }

  /** Prepares one statement for repeated execution with {@code $n} parameters. */
  public PreparedQuery prepare(String sql, List<SqlTypeName> declaredTypes) {
    try {
      return new PreparedQuery(this, sql, declaredTypes);
    } catch (Throwable t) {
      throw failed(t, sql);
    }
  }

  void countQuery() {
    engine.metrics().query(frontend);
  }

  /** Refuses statements in a failed transaction block, except its end. */
  void checkTransaction(Statement st) {
    if (transactionFailed && !(st instanceof Statement.Transaction t && !t.tag().equals("BEGIN"))) {
      throw new LumaException("25P02",
          "current transaction is aborted, commands ignored until end of transaction block");
    }
  }

  /** Counts a failure, marks an open transaction block failed, and returns the client error. */
  LumaException failed(Throwable t, String sql) {
    token.releaseHeld(); // what Calcite's operators kept for the statement
    token.closeScans(); // scans below an operator that failed before the result set existed
    LumaException e = Errors.translate(t, sql);
    engine.metrics().error(e);
    if (inTransaction) {
      transactionFailed = true;
    }
    return e;
  }

  CalciteConnection calcite() {
    return calcite;
  }

  StatementResult run(Statement st, List<Object> params) throws SQLException {
    checkWritable(st);
    if (st instanceof Statement.CreateTable c) {
      engine.storage().createTable(c.table(), c.schema(), c.ifNotExists(), c.options());
      return new StatementResult.Command("CREATE TABLE");
    } else if (st instanceof Statement.DropTable d) {
      List<TableId> found = new ArrayList<>();
      for (TableId id : d.tables()) {
        if (engine.storage().table(id).isPresent()) {
          found.add(id);
        } else if (engine.storage().view(id).isPresent()) {
          throw wrongType(id, "table", "Use DROP VIEW to remove a view.");
        } else if (engine.storage().index(id).isPresent()) {
          throw wrongType(id, "table", "Use DROP INDEX to remove an index.");
        } else if (!d.ifExists()) {
          throw new LumaException(ErrorCode.E004, "table \"" + id.name() + "\" does not exist");
        }
      }
      dropDependentViews(found, "table", d.cascade());
      for (TableId id : d.tables()) {
        engine.storage().dropTable(id, d.ifExists());
      }
      return new StatementResult.Command("DROP TABLE");
    } else if (st instanceof Statement.AlterTableAddColumns a) {
      alterTable(a);
      return new StatementResult.Command("ALTER TABLE");
    } else if (st instanceof Statement.CreateView v) {
      createView(v);
      return new StatementResult.Command("CREATE VIEW");
    } else if (st instanceof Statement.DropView d) {
      dropViews(d);
      return new StatementResult.Command("DROP VIEW");
    } else if (st instanceof Statement.CreateIndex c) {
      createIndex(c);
      return new StatementResult.Command("CREATE INDEX");
    } else if (st instanceof Statement.DropIndex d) {
      dropIndexes(d);
      return new StatementResult.Command("DROP INDEX");
    } else if (st instanceof Statement.Insert i) {
      return new StatementResult.Command("INSERT 0 " + insert(i, params));
    } else if (st instanceof Statement.Delete d) {
      return new StatementResult.Command("DELETE " + TimeRangeDelete.run(this, engine.storage(), d, params));
    } else if (st instanceof Statement.Truncate t) {
      for (TableId id : t.tables()) {
        TimeRangeDelete.table(engine.storage(), id); // all exist before any is emptied
      }
      for (TableId id : t.tables()) {
        TimeRangeDelete.delete(engine.storage(), id, null, null, true);
      }
      return new StatementResult.Command("TRUNCATE TABLE");
    } else if (st instanceof Statement.Set s) {
      settings.set(s.name(), s.value());
      return new StatementResult.Command("SET");
    } else if (st instanceof Statement.Reset r) {
      settings.reset(r.name());
      return new StatementResult.Command("RESET");
    } else if (st instanceof Statement.Show s) {
      return show(s.name());
    } else if (st instanceof Statement.Transaction t) {
      boolean wasFailed = transactionFailed;
      inTransaction = t.tag().equals("BEGIN");
      transactionFailed = false;
      return new StatementResult.Command(wasFailed && t.tag().equals("COMMIT") ? "ROLLBACK" : t.tag());
    } else if (st instanceof Statement.Deallocate d) {
      if (d.name() == null) {
        deallocator.deallocateAll();
        return new StatementResult.Command("DEALLOCATE ALL");
      }
      if (!deallocator.deallocate(d.name())) {
        throw new LumaException("26000", "prepared statement \"" + d.name() + "\" does not exist");
      }
      return new StatementResult.Command("DEALLOCATE");
    } else if (st instanceof Statement.Copy c) {
      return copy(c);
    } else if (st instanceof Statement.Query q) {
      return query(q.sql(), params);
    }
    throw new IllegalStateException("unhandled statement " + st);
  }

  /** Attached (federated) schemas are read-only: LumaDB never writes to a source. */
  private void checkWritable(Statement st) {
    List<TableId> targets = List.of();
    if (st instanceof Statement.CreateTable c) {
      targets = List.of(c.table());
    } else if (st instanceof Statement.DropTable d) {
      targets = d.tables();
    } else if (st instanceof Statement.AlterTableAddColumns a) {
      targets = List.of(a.table());
    } else if (st instanceof Statement.CreateView v) {
      targets = List.of(v.view());
    } else if (st instanceof Statement.DropView d) {
      targets = d.views();
    } else if (st instanceof Statement.Insert i) {
      targets = List.of(i.table());
    } else if (st instanceof Statement.Delete d) {
      targets = List.of(d.table());
    } else if (st instanceof Statement.Truncate t) {
      targets = t.tables();
    } else if (st instanceof Statement.Copy c && c.in() && c.table() != null) {
      targets = List.of(c.table());
    } else if (st instanceof Statement.Query q) {
      targets = dmlTarget(q.sql());
    }
    for (TableId id : targets) {
      if (engine.federation().isFederated(id.schema())) {
        throw new LumaException("0A000", "cannot change \"" + id.schema() + "." + id.name()
            + "\": schema \"" + id.schema() + "\" is a federated source, which is read-only")
            .withHint("Change the data in the source database itself.");
      }
    }
    if (st instanceof Statement.Query q) {
      List<SqlLexer.Token> t = SqlLexer.significant(q.sql());
      if (!t.isEmpty() && (t.get(0).isWord("update") || t.get(0).isWord("merge"))) {
        // Calcite would plan it and fail with E005 ("not enough rules"): say what there is instead
        throw new LumaException("0A000", (t.get(0).isWord("update") ? "UPDATE" : "MERGE")
            + " is not supported: LumaDB's tables are append-only")
            .withHint("Rows go by time range (DELETE FROM t WHERE ts < ...) or all at once (TRUNCATE t).");
      }
    }
  }

  /**
   * The table an UPDATE or MERGE that Calcite runs would change (Calcite's JDBC adapter would
   * send it to a federated source), or none. (DELETE is LumaDB's own statement.)
   */
  private static List<TableId> dmlTarget(String sql) {
    List<SqlLexer.Token> t = SqlLexer.significant(sql);
    int at;
    if (t.size() > 2 && t.get(0).isWord("merge") && t.get(1).isWord("into")) {
      at = 2;
    } else if (t.size() > 1 && t.get(0).isWord("update")) {
      at = 1;
    } else {
      return List.of();
    }
    if (t.size() > at + 2 && t.get(at + 1).text().equals(".")
        && t.get(at).kind() != SqlLexer.Kind.STRING && t.get(at + 2).kind() != SqlLexer.Kind.STRING) {
      return List.of(new TableId(SqlLexer.identifier(t.get(at)), SqlLexer.identifier(t.get(at + 2))));
    }
    return List.of(); // unqualified names never resolve to a federated schema
  }

  private static LumaException wrongType(TableId id, String kind, String hint) {
    return new LumaException("42809", "\"" + id.name() + "\" is not a " + kind).withHint(hint);
  }

  /**
   * ALTER TABLE ... ADD COLUMN: checked whole under the storage's schema-change lock (metrics
   * ingest adds label columns under it too), then each column is added (WAL-logged, durable).
   */
  private void alterTable(Statement.AlterTableAddColumns a) {
    StorageEngine storage = engine.storage();
    synchronized (storage.schemaChangeLock()) {
      LumaTable table = storage.table(a.table()).orElse(null);
      if (table == null) {
        if (storage.view(a.table()).isPresent()) {
          throw new LumaException("42809", "\"" + a.table().name()
              + "\" is not a table, composite type, or foreign table");
        }
        if (a.ifExists()) {
          return;
        }
        throw new LumaException(ErrorCode.E004, "relation \"" + a.table().name() + "\" does not exist");
      }
      TableSchema schema = table.schema();
      List<Column> added = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (Statement.AddColumn c : a.columns()) {
        String name = c.column().name();
        if (schema.indexOf(name) >= 0 || !names.add(name)) {
          if (c.ifNotExists()) {
            continue;
          }
          throw new LumaException("42701", "column \"" + name + "\" of relation \""
              + a.table().name() + "\" already exists");
        }
        added.add(c.column());
      }
      for (Column c : added) {
        storage.addColumn(a.table(), c);
      }
    }
  }

  /**
   * CREATE [OR REPLACE] VIEW: the query is validated (and typed) by preparing it through Calcite,
   * so a view over a missing table fails and nothing is stored; the catalog keeps the text as
   * written plus the column names and types.
   */
  private void createView(Statement.CreateView v) throws SQLException {
    StorageEngine storage = engine.storage();
    if (!storage.schemaExists(v.view().schema())) {
      throw new LumaException("3F000", "schema \"" + v.view().schema() + "\" does not exist");
    }
    List<ViewDefinition.ViewColumn> cols = new ArrayList<>();
    // What the view depends on directly: the views its query names and the tables it scans other
    // than through those views (dependencies of dependencies are followed when something drops).
    java.util.Set<TableId> dependsOn = new java.util.LinkedHashSet<>();
    java.util.List<org.apache.calcite.rel.RelNode> plans = new ArrayList<>();
    java.sql.PreparedStatement[] prepared = new java.sql.PreparedStatement[1];
    SQLException[] failure = new SQLException[1];
    LumaViewTable.Recording reads;
    try (org.apache.calcite.runtime.Hook.Closeable converted = org.apache.calcite.runtime.Hook.CONVERTED
        .addThread((java.util.function.Consumer<org.apache.calcite.rel.RelNode>) plans::add)) {
      reads = LumaViewTable.record(() -> {
        try {
          prepared[0] = calcite.prepareStatement(PgDialect.rewrite(v.query()));
        } catch (SQLException e) {
          failure[0] = e;
        }
      });
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    dependsOn.addAll(reads.views());
    for (org.apache.calcite.rel.RelNode plan : plans) {
      for (org.apache.calcite.rel.core.TableScan scan : LumaViewTable.scans(plan)) {
        io.lumadb.storage.calcite.LumaCalciteTable lt =
            scan.getTable().unwrap(io.lumadb.storage.calcite.LumaCalciteTable.class);
        if (lt != null && !reads.scansInViews().contains(scan)) {
          dependsOn.add(lt.table().id());
        }
      }
    }
    dependsOn.remove(v.view()); // OR REPLACE reading the old definition of itself
    try (java.sql.PreparedStatement ps = prepared[0]) {
      ResultSetMetaData md = ps.getMetaData();
      int n = md.getColumnCount();
      if (v.columns().size() > n) {
        throw new LumaException("42601", "CREATE VIEW specifies more column names than columns");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 1; i <= n; i++) {
        String queryName = md.getColumnLabel(i);
        String name = i <= v.columns().size() ? v.columns().get(i - 1) : queryName;
        if (!seen.add(name)) {
          throw new LumaException("42701", "column \"" + name + "\" specified more than once");
        }
        cols.add(viewColumn(name, queryName, md, i));
      }
    }
    storage.view(v.view()).ifPresent(old -> {
      if (v.orReplace()) {
        checkReplaceable(old, cols);
      }
    });
    storage.createView(v.view(), v.query(), cols, List.copyOf(dependsOn), v.orReplace());
  }

  private static ViewDefinition.ViewColumn viewColumn(String name, String queryName,
      ResultSetMetaData md, int i) throws SQLException {
    SqlTypeName t = SqlTypeName.getNameForJdbcType(md.getColumnType(i));
    if (t == null || t == SqlTypeName.CHAR) {
      t = SqlTypeName.VARCHAR;
    }
    int precision = -1;
    int scale = 0;
    switch (t) {
      case DECIMAL -> {
        precision = md.getPrecision(i);
        scale = md.getScale(i);
      }
      case TIMESTAMP, TIME, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> precision = 3; // LumaDB keeps millis
      case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, FLOAT, DOUBLE, DATE, VARCHAR,
          VARBINARY, BINARY -> { }
      default -> throw new LumaException("0A000", "a view column of type " + t
          + " is not supported (column \"" + name + "\")");
    }
    if (t == SqlTypeName.BINARY) {
      t = SqlTypeName.VARBINARY;
    }
    return new ViewDefinition.ViewColumn(name, queryName, t.name(), precision, scale,
        md.isNullable(i) != ResultSetMetaData.columnNoNulls);
  }

  /** PostgreSQL's rules for CREATE OR REPLACE VIEW: the old columns stay, by name and type. */
  private static void checkReplaceable(ViewDefinition old, List<ViewDefinition.ViewColumn> cols) {
    if (cols.size() < old.columns().size()) {
      throw new LumaException("42P16", "cannot drop columns from view");
    }
    for (int i = 0; i < old.columns().size(); i++) {
      ViewDefinition.ViewColumn o = old.columns().get(i);
      ViewDefinition.ViewColumn c = cols.get(i);
      if (!o.name().equals(c.name())) {
        throw new LumaException("42P16", "cannot change name of view column \"" + o.name()
            + "\" to \"" + c.name() + "\"");
      }
      if (!o.type().equals(c.type()) || o.precision() != c.precision() || o.scale() != c.scale()) {
        throw new LumaException("42P16", "cannot change data type of view column \"" + o.name()
            + "\" from " + o.type().toLowerCase(java.util.Locale.ROOT) + " to "
            + c.type().toLowerCase(java.util.Locale.ROOT));
      }
    }
  }

  /** DROP VIEW: every name is checked before any view is dropped. */
  private void dropViews(Statement.DropView d) {
    StorageEngine storage = engine.storage();
    List<TableId> found = new ArrayList<>();
    for (TableId id : d.views()) {
      if (storage.view(id).isPresent()) {
        found.add(id);
      } else if (storage.table(id).isPresent()) {
        throw wrongType(id, "view", "Use DROP TABLE to remove a table.");
      } else if (storage.index(id).isPresent()) {
        throw wrongType(id, "view", "Use DROP INDEX to remove an index.");
      } else if (!d.ifExists()) {
        throw new LumaException(ErrorCode.E004, "view \"" + id.name() + "\" does not exist");
      }
    }
    dropDependentViews(found, "view", d.cascade());
    for (TableId id : found) {
      storage.dropView(id, true);
    }
  }

  /**
   * The views that read any of {@code dropping} (through other views too) and are not being
   * dropped themselves: with CASCADE they are dropped now, otherwise the DROP fails with 2BP01
   * as in PostgreSQL.
   */
  private void dropDependentViews(List<TableId> dropping, String kind, boolean cascade) {
    StorageEngine storage = engine.storage();
    java.util.Set<TableId> gone = new java.util.LinkedHashSet<>(dropping);
    List<ViewDefinition> dependents = new ArrayList<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ViewDefinition v : storage.allViews().stream()
          .sorted(java.util.Comparator.comparingLong(ViewDefinition::id)).toList()) {
        if (!gone.contains(v.name()) && v.dependsOn().stream().anyMatch(gone::contains)) {
          gone.add(v.name());
          dependents.add(v);
          grew = true;
        }
      }
    }
    if (dependents.isEmpty()) {
      return;
    }
    if (!cascade) {
      // PostgreSQL names the first object dropped that others depend on, and each dependent
      // with what it depends on directly.
      TableId on = dropping.stream()
          .filter(d -> dependents.stream().anyMatch(v -> v.dependsOn().contains(d)))
          .findFirst().orElse(dropping.get(0));
      List<String> lines = new ArrayList<>();
      for (ViewDefinition v : dependents) {
        for (TableId d : v.dependsOn()) {
          if (gone.contains(d)) {
            String dkind = storage.view(d).isPresent() ? "view" : "table";
            lines.add("view " + v.name().name() + " depends on " + dkind + " " + d.name());
            break;
          }
        }
      }
      throw new LumaException("2BP01", "cannot drop " + kind + " " + on.name()
          + " because other objects depend on it")
          .withDetail(String.join("\n", lines))
          .withHint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    for (ViewDefinition v : dependents) {
      storage.dropView(v.name(), true);
    }
  }

  /**
   * CREATE [UNIQUE] INDEX: only on tables of schema public (metrics and otel tables belong to
   * ingest: 0A000; the catalog's own tables: 42501; views and indexes: 42809, as PostgreSQL).
   * The index lives in its table's schema; without a name it gets PostgreSQL's
   * {@code table_col_..._idx}. A unique index is checked against the rows first (23505).
   */
  private void createIndex(Statement.CreateIndex c) {
    StorageEngine storage = engine.storage();
    TableId id = c.table();
    String schema = id.schema();
    if (schema.equals("pg_catalog") || schema.equals("information_schema")) {
      throw new LumaException("42501", "permission denied: \"" + id.name() + "\" is a system catalog");
    }
    LumaTable table = storage.table(id).orElse(null);
    if (table == null && schema.equals("public")) {
      // An unqualified name may find a telemetry table further down the search path.
      for (String s : StorageEngine.BUILT_IN_SCHEMAS) {
        if (storage.table(new TableId(s, id.name())).isPresent()) {
          id = new TableId(s, id.name());
          table = storage.table(id).orElse(null);
          break;
        }
      }
    }
    if (table == null) {
      String kind = storage.view(id).isPresent() ? "views"
          : storage.index(id).isPresent() ? "indexes" : null;
      if (kind != null) {
        throw new LumaException("42809", "cannot create index on relation \"" + id.name() + "\"")
            .withDetail("This operation is not supported for " + kind + ".");
      }
      throw new LumaException(ErrorCode.E004, "relation \"" + id.name() + "\" does not exist");
    }
    if (!id.schema().equals("public")) {
      throw new LumaException("0A000", "cannot create index on table \"" + id + "\": LumaDB"
          + " indexes only tables of schema public (metrics and otel tables are written by ingest)");
    }
    for (io.lumadb.storage.IndexDefinition.IndexColumn col : c.columns()) {
      if (table.schema().indexOf(col.name()) < 0) {
        throw new LumaException("42703", "column \"" + col.name() + "\" does not exist");
      }
    }
    String name = c.name();
    if (name == null) {
      String base = id.name() + "_" + String.join("_", c.columns().stream()
          .map(io.lumadb.storage.IndexDefinition.IndexColumn::name).toList()) + "_idx";
      name = base;
      for (int n = 1; taken(new TableId(id.schema(), name)); n++) {
        name = base + n;
      }
    }
    storage.createIndex(new TableId(id.schema(), name), id, c.columns(), c.unique(), c.ifNotExists());
  }

  private boolean taken(TableId name) {
    StorageEngine storage = engine.storage();
    return storage.table(name).isPresent() || storage.view(name).isPresent()
        || storage.index(name).isPresent();
  }

  /** DROP INDEX: every name is checked before any index is dropped; nothing depends on an index. */
  private void dropIndexes(Statement.DropIndex d) {
    StorageEngine storage = engine.storage();
    List<TableId> found = new ArrayList<>();
    for (TableId id : d.indexes()) {
      if (storage.index(id).isPresent()) {
        found.add(id);
      } else if (storage.table(id).isPresent()) {
        throw new LumaException("42809", "\"" + id.name() + "\" is not an index")
            .withHint("Use DROP TABLE to remove a table.");
      } else if (storage.view(id).isPresent()) {
        throw new LumaException("42809", "\"" + id.name() + "\" is not an index")
            .withHint("Use DROP VIEW to remove a view.");
      } else if (!d.ifExists()) {
        throw new LumaException("42704", "index \"" + id.name() + "\" does not exist");
      }
    }
    for (TableId id : found) {
      storage.dropIndex(id, true);
    }
  }

  private StatementResult copy(Statement.Copy c) throws SQLException {
    if (c.in()) {
      LumaTable table = engine.storage().table(c.table())
          .orElseThrow(() -> new LumaException(ErrorCode.E004, "relation \"" + c.table().name() + "\" does not exist"));
      List<Column> targets = targetColumns(table.schema(), c.columns(), c.table());
      for (Column col : table.schema().columns()) {
        if (!col.nullable() && !targets.contains(col)) {
          throw notNullViolation(col, c.table());
        }
      }
      return new StatementResult.CopyInStarted(new CopyIn(engine.storage(), table, targets, c.format(), settings.zone()));
    }
    String q = c.query();
    if (q == null) {
      StringBuilder cols = new StringBuilder();
      for (String col : c.columns()) {
        cols.append(cols.length() == 0 ? "" : ", ").append(SqlLexer.quoteIdentifier(col));
      }
      q = "SELECT " + (cols.length() == 0 ? "*" : cols) + " FROM "
          + SqlLexer.quoteIdentifier(c.table().schema()) + "." + SqlLexer.quoteIdentifier(c.table().name());
    }
    StatementResult r = query(q, List.of());
    if (!(r instanceof StatementResult.Rows rows)) {
      r.close();
      throw new LumaException("42601", "COPY (query) TO needs a query that returns rows");
    }
    return new StatementResult.CopyOut(rows, c.format());
  }

  private List<Column> targetColumns(TableSchema schema, List<String> names, TableId table) {
    if (names.isEmpty()) {
      return new ArrayList<>(schema.columns());
    }
    List<Column> targets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      int i = schema.indexOf(name);
      if (i < 0) {
        throw new LumaException("42703", "column \"" + name + "\" of relation \""
            + table.name() + "\" does not exist");
      }
      if (!seen.add(name)) {
        throw new LumaException("42701", "column \"" + name + "\" specified more than once");
      }
      targets.add(schema.column(i));
    }
    return targets;
  }

  private StatementResult show(String name) {
    if (name.equals("all")) {
      List<Object[]> rows = new ArrayList<>();
      settings.all().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> rows.add(new Object[] {e.getKey(), e.getValue(), ""}));
      return new StatementResult.Rows(
          List.of(text("name"), text("setting"), text("description")), new ListCursor(rows), "SHOW");
    }
    String value = settings.get(name);
    if (value == null) {
      throw new LumaException("42704", "unrecognized configuration parameter \"" + name + "\"");
    }
    return new StatementResult.Rows(
        List.of(text(SessionSettings.displayName(name).toLowerCase(java.util.Locale.ROOT))),
        new ListCursor(List.<Object[]>of(new Object[] {value})), "SHOW");
  }

  private static ResultColumn text(String name) {
    return new ResultColumn(name, SqlTypeName.VARCHAR, -1, 0);
  }

  private StatementResult query(String sql, List<Object> params) throws SQLException {
    String text = Parameters.substitute(PgDialect.rewrite(sql, settings.zone()), params);
    String word = "SELECT";
    List<SqlLexer.Token> toks = SqlLexer.significant(text);
    if (!toks.isEmpty() && toks.get(0).isWord("explain")) {
      word = "EXPLAIN";
      if (toks.size() > 1 && toks.get(1).isWord("analyze")) {
        return explainAnalyze(text.substring(toks.size() > 2 ? toks.get(2).start() : text.length()));
      }
      if (toks.size() > 1 && !toks.get(1).isWord("plan")) {
        text = "EXPLAIN PLAN FOR " + text.substring(toks.get(1).start());
      }
    }
    java.sql.Statement stmt = calcite.createStatement();
    try {
      io.lumadb.storage.calcite.QueryCancellation.takeResult(); // only this query's may be read
      if (!stmt.execute(text)) {
        int n = stmt.getUpdateCount();
        stmt.close();
        return new StatementResult.Command("UPDATE " + Math.max(n, 0));
      }
      ResultSet rs = stmt.getResultSet();
      return new StatementResult.Rows(columns(rs.getMetaData()), VectorRowCursor.over(rs, stmt), word);
    } catch (SQLException | RuntimeException e) {
      stmt.close();
      throw e;
    }
  }

  /**
   * EXPLAIN ANALYZE: runs the query (rows are counted, not sent) and answers with Calcite's
   * plan followed by what each LumaDB scan had pushed into it and what it read and pruned.
   */
  private StatementResult explainAnalyze(String query) throws SQLException {
    List<Object[]> lines = new ArrayList<>();
    try (java.sql.Statement plan = calcite.createStatement();
        ResultSet rs = plan.executeQuery("EXPLAIN PLAN FOR " + query)) {
      while (rs.next()) {
        for (String line : rs.getString(1).split("\n")) {
          lines.add(new Object[] {line});
        }
      }
    }
    long started = System.nanoTime();
    long rows = 0;
    io.lumadb.storage.calcite.ScanRecorder.start();
    List<io.lumadb.storage.calcite.ScanRecorder.Scan> scans;
    try (java.sql.Statement run = calcite.createStatement();
        ResultSet rs = run.executeQuery(query)) {
      while (rs.next()) {
        rows++;
      }
    } finally {
      scans = io.lumadb.storage.calcite.ScanRecorder.stop();
    }
    for (var scan : scans) {
      io.lumadb.storage.ScanSpec spec = scan.spec();
      StringBuilder pushed = new StringBuilder("LumaDB scan " + scan.table() + ": columns "
          + java.util.Arrays.toString(spec.columns()));
      if (spec.minTime() != null || spec.maxTime() != null) {
        pushed.append(", time range [").append(instant(spec.minTime())).append(", ")
            .append(instant(spec.maxTime())).append(']');
      }
      if (!spec.tagIn().isEmpty()) {
        pushed.append(", tags ").append(spec.tagIn());
      }
      if (!spec.textAll().isEmpty()) {
        pushed.append(", text ").append(spec.textAll());
      }
      lines.add(new Object[] {pushed.toString()});
      lines.add(new Object[] {"  " + scan.stats()});
    }
    lines.add(new Object[] {"Rows: " + rows + ", execution time: "
        + String.format(java.util.Locale.ROOT, "%.3f ms", (System.nanoTime() - started) / 1e6)});
    return new StatementResult.Rows(List.of(text("QUERY PLAN")), new ListCursor(lines), "EXPLAIN");
  }

  private static String instant(Long millis) {
    return millis == null ? "unbounded" : java.time.Instant.ofEpochMilli(millis).toString();
  }

  static List<ResultColumn> columns(ResultSetMetaData md) throws SQLException {
    List<ResultColumn> cols = new ArrayList<>(md.getColumnCount());
    for (int i = 1; i <= md.getColumnCount(); i++) {
      SqlTypeName t = JdbcRowCursor.isTimestamptz(md, i) ? SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE : SqlTypeName.getNameForJdbcType(md.getColumnType(i));
      String label = md.getColumnLabel(i);
      // Calcite names an expression it cannot name EXPR$n; PostgreSQL prints ?column?
      cols.add(new ResultColumn(label.matches("EXPR\\$\\d+") ? "?column?" : label,
          t == null ? SqlTypeName.VARCHAR : t, md.getPrecision(i), md.getScale(i)));
    }
    return cols;
  }

  /** Runs the INSERT's source as a query cast to the target columns, then appends it whole. */
  private long insert(Statement.Insert ins, List<Object> params) throws SQLException {
    LumaTable table = engine.storage().table(ins.table())
        .orElseThrow(() -> new LumaException(
            ErrorCode.E004, "relation \"" + ins.table().name() + "\" does not exist"));
    TableSchema schema = table.schema();
    List<Column> targets = targetColumns(schema, ins.columns(), ins.table());
    for (Column c : schema.columns()) {
      if (!c.nullable() && !targets.contains(c)) {
        throw notNullViolation(c, ins.table());
      }
    }
    TableSchema batchSchema = new TableSchema(targets);
    ColumnBatch batch = new ColumnBatch(batchSchema, 16);
    if (ins.sourceSql() == null) {
      batch.appendRow(new Object[targets.size()]);
    } else {
      String source = Parameters.substitute(PgDialect.rewrite(ins.sourceSql(), settings.zone()), params);
      // Long VALUES lists run in chunks: Calcite compiles each query into one Java method,
      // which a few thousand rows would overflow. The batch is still appended whole.
      for (String chunk : valuesChunks(wideNumbersAsText(source), 200)) {
        try (java.sql.Statement stmt = calcite.createStatement();
            ResultSet rs = stmt.executeQuery(chunk)) {
          int width = rs.getMetaData().getColumnCount();
          if (width != targets.size()) {
            throw new LumaException(ErrorCode.E003, "INSERT has " + (width > targets.size() ? "more" : "fewer")
                + " expressions than target columns");
          }
          Object[] row = new Object[targets.size()];
          boolean[] timestamptz = JdbcRowCursor.timestamptzColumns(rs.getMetaData());
          while (rs.next()) {
            for (int i = 0; i < row.length; i++) {
              Column c = targets.get(i);
              Object v = rs.getObject(i + 1);
              if (timestamptz[i] && v instanceof java.sql.Timestamp ts) {
                v = ts.toInstant(); // an instant, not a wall-clock time to read in the session's zone
              }
              row[i] = ValueCoercion.toColumn(v, c, settings.zone());
              if (row[i] == null && !c.nullable()) {
                throw notNullViolation(c, ins.table());
              }
            }
            batch.appendRow(row);
          }
        }
      }
    }
    engine.storage().append(table, batch);
    return batch.rowCount();
  }

  /**
   * Splits {@code VALUES (..), (..), ...} into several VALUES statements of at most
   * {@code rows} rows; any other source comes back whole.
   */
  static List<String> valuesChunks(String source, int rows) {
    List<SqlLexer.Token> toks = SqlLexer.significant(source);
    if (toks.isEmpty() || !toks.get(0).isWord("values")) {
      return List.of(source);
    }
    List<String> tuples = new ArrayList<>();
    int depth = 0;
    int start = -1;
    for (int i = 1; i < toks.size(); i++) {
      SqlLexer.Token t = toks.get(i);
      if (t.text().equals("(")) {
        if (depth++ == 0) {
          start = t.start();
        }
      } else if (t.text().equals(")")) {
        if (--depth == 0) {
          tuples.add(source.substring(start, t.end()));
        } else if (depth < 0) {
          return List.of(source);
        }
      } else if (depth == 0 && !t.text().equals(",")) {
        return List.of(source); // VALUES ... ORDER BY/LIMIT and the like: leave it to Calcite
      }
    }
    if (tuples.size() <= rows) {
      return List.of(source);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tuples.size(); i += rows) {
      out.add("VALUES " + String.join(", ", tuples.subList(i, Math.min(tuples.size(), i + rows))));
    }
    return out;
  }

  /**
   * In {@code VALUES} lists, numeric literals wider than Calcite's DECIMAL (more than 38 digits,
   * or more fractional digits than its largest scale) become text, which the assignment to a
   * numeric column reads exactly ({@link ValueCoercion}); Calcite would reject them as "out of
   * range", PostgreSQL's numeric takes them.
   */
  static String wideNumbersAsText(String source) {
    List<SqlLexer.Token> toks = SqlLexer.significant(source);
    if (toks.isEmpty() || !toks.get(0).isWord("values")) {
      return source;
    }
    StringBuilder b = null;
    int copied = 0;
    int maxScale = LumaTypeSystem.INSTANCE.getMaxScale(SqlTypeName.DECIMAL);
    for (int i = 0; i < toks.size(); i++) {
      SqlLexer.Token t = toks.get(i);
      if (t.kind() != SqlLexer.Kind.NUMBER) {
        continue;
      }
      // a unary minus goes into the text: (-'1.5') would not be a number
      boolean negative = i >= 2 && toks.get(i - 1).text().equals("-")
          && (toks.get(i - 2).text().equals("(") || toks.get(i - 2).text().equals(","));
      int start = negative ? toks.get(i - 1).start() : t.start();
      java.math.BigDecimal d;
      try {
        d = new java.math.BigDecimal(t.text());
      } catch (NumberFormatException e) {
        continue;
      }
      if (d.precision() > LumaTypeSystem.UNCONSTRAINED_DECIMAL_PRECISION || d.scale() > maxScale) {
        b = b == null ? new StringBuilder(source.length() + 16) : b;
        b.append(source, copied, start).append(negative ? "'-" : "'").append(t.text()).append('\'');
        copied = t.end();
      }
    }
    return b == null ? source : b.append(source, copied, source.length()).toString();
  }

  private static LumaException notNullViolation(Column c, TableId table) {
    return new LumaException("23502", "null value in column \"" + c.name() + "\" of relation \""
        + table.name() + "\" violates not-null constraint");
  }

  @Override
  public void close() {
    try {
      calcite.close();
    } catch (SQLException e) {
      // Nothing to recover when closing an in-process Calcite connection.
    }
  }
}
