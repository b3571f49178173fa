package io.lumadb.server.avatica;

import io.lumadb.server.Version;
import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.PreparedQuery;
import io.lumadb.sql.Session;
import io.lumadb.sql.SqlEngine;
import io.lumadb.sql.SqlLexer;
import io.lumadb.sql.StatementResult;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.ProtobufMeta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Avatica's {@link Meta} over LumaDB's SQL engine: each Avatica connection is one
 * {@link Session} (the same sessions, catalog and plan cache pgwire uses), each Avatica
 * statement a {@link MetaStatement}. JDBC's {@code ?} parameters become the engine's
 * {@code $1..$n}; results go out in frames read from the engine's row cursor, which stays open
 * between fetches; DatabaseMetaData is answered from {@code information_schema}.
 */
public final class LumaMeta implements ProtobufMeta {
  /** The user the HTTP layer authenticated for the request being handled on this thread. */
  static final ThreadLocal<String> AUTHENTICATED_USER = new ThreadLocal<>();

  private final SqlEngine engine;
  private final AvaticaConfig config;
  private final AvaticaMetrics metrics;
  private final Map<String, MetaConnection> connections = new ConcurrentHashMap<>();
  private final AtomicInteger statementIds = new AtomicInteger();

  LumaMeta(SqlEngine engine, AvaticaConfig config, AvaticaMetrics metrics) {
    this.engine = engine;
    this.config = config;
    this.metrics = metrics;
  }

  // ---- connections ----

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    String user = AUTHENTICATED_USER.get();
    if (user == null) {
      user = config.user();
    }
    if (connections.size() >= config.maxConnections()) {
      throw error("53300", "too many Avatica connections (avatica.max_connections = "
          + config.maxConnections() + ")");
    }
    if (connections.containsKey(ch.id)) {
      throw error("08P01", "connection " + ch.id + " is already open");
    }
    Map<String, String> settings = new HashMap<>();
    if (info != null) {
      // driver properties that name session settings (application_name, search_path, ...);
      // never the credentials
      info.forEach((k, v) -> {
        String key = k.toLowerCase(Locale.ROOT);
        if (v != null && !key.contains("password") && !key.contains("user")) {
          settings.put(k, v);
        }
      });
    }
    MetaConnection c = MetaConnection.open(ch.id, user, engine, settings);
    if (connections.putIfAbsent(ch.id, c) != null) {
      c.close();
      throw error("08P01", "connection " + ch.id + " is already open");
    }
    metrics.connectionOpened();
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    MetaConnection c = connections.remove(ch.id);
    if (c != null) {
      c.close();
      metrics.connectionClosed();
    }
  }

  /** Closes connections without a request for longer than the idle timeout. */
  void closeIdle() {
    long nanos = config.idleTimeout().toNanos();
    connections.forEach((id, c) -> {
      if (c.idleFor(nanos) && connections.remove(id, c)) {
        c.close();
        metrics.connectionClosed();
      }
    });
  }

  /** Closes every connection (server shutdown). */
  void closeAll() {
    for (String id : new ArrayList<>(connections.keySet())) {
      closeConnection(new ConnectionHandle(id));
    }
  }

  int connectionCount() {
    return connections.size();
  }

  private MetaConnection connection(String id) {
    MetaConnection c = connections.get(id);
    if (c == null) {
      throw new AvaticaRuntimeException("connection " + id + " does not exist (closed, or idle"
          + " for longer than avatica.idle_timeout)", 0, "08003", AvaticaSeverity.ERROR);
    }
    return c;
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
    MetaConnection c = connection(ch.id);
    synchronized (c.properties) {
      // autocommit, read-only and isolation are recorded only: every statement applies at once
      c.properties.merge(props).setDirty(false);
      return c.properties;
    }
  }

  /** Statements apply when they run; COMMIT only ends a BEGIN block a client may have opened. */
  @Override
  public void commit(ConnectionHandle ch) {
    endTransaction(ch, "COMMIT");
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    endTransaction(ch, "ROLLBACK");
  }

  private void endTransaction(ConnectionHandle ch, String word) {
    MetaConnection c = connection(ch.id);
    c.run(() -> {
      if (c.session().inTransaction()) {
        c.session().execute(word).close();
      }
      return null;
    });
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    connection(ch.id);
    Map<DatabaseProperty, Object> p = new EnumMap<>(DatabaseProperty.class);
    p.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "LumaDB");
    p.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, Version.VERSION);
    String[] v = Version.VERSION.split("[.-]");
    p.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, number(v, 0));
    p.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, number(v, 1));
    p.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_READ_COMMITTED);
    return p;
  }

  private static int number(String[] parts, int i) {
    try {
      return i < parts.length ? Integer.parseInt(parts[i]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---- statements ----

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    MetaConnection c = connection(ch.id);
    MetaStatement st = new MetaStatement(statementIds.incrementAndGet());
    c.statements.put(st.id, st);
    return new StatementHandle(ch.id, st.id, null);
  }

  @Override
  public void closeStatement(StatementHandle h) {
    MetaConnection c = connections.get(h.connectionId);
    if (c == null) {
      return;
    }
    MetaStatement st = c.statements.remove(h.id);
    if (st != null) {
      c.run(() -> {
        st.close();
        return null;
      });
    }
  }

  private MetaStatement statement(MetaConnection c, StatementHandle h) throws NoSuchStatementException {
    MetaStatement st = c.statements.get(h.id);
    if (st == null) {
      throw new NoSuchStatementException(h);
    }
    return st;
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    MetaConnection c = connection(ch.id);
    MetaStatement st = new MetaStatement(statementIds.incrementAndGet());
    Signature signature = c.run(() -> {
      String text = singleStatement(sql);
      PreparedQuery pq = c.session().prepare(dollarParameters(text), List.of());
      st.prepared = pq;
      st.maxRowCount = maxRowCount;
      List<ColumnMetaData> columns = pq.columns() == null ? List.of() : AvaticaTypes.columns(pq.columns());
      st.signature = new Signature(columns, sql, AvaticaTypes.parameters(pq.paramTypes()), null,
          CursorFactory.LIST, statementType(text));
      return st.signature;
    }, sql);
    c.statements.put(st.id, st);
    return new StatementHandle(ch.id, st.id, signature);
  }

  @Override
  @SuppressWarnings("deprecation")
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount,
      PrepareCallback callback) throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount,
      int maxRowsInFirstFrame, PrepareCallback callback) throws NoSuchStatementException {
    MetaConnection c = connection(h.connectionId);
    MetaStatement st = statement(c, h);
    MetaResultSet rs = c.run(() -> {
      st.close();
      st.maxRowCount = maxRowCount;
      StatementResult r = c.session().execute(singleStatement(sql));
      return result(c, st, r, sql, List.of(), maxRowsInFirstFrame);
    }, sql);
    h.signature = rs.signature;
    if (callback != null) {
      // in-process callers read the result through the callback; the remote service ignores it
      try {
        synchronized (callback.getMonitor()) {
          callback.clear();
          callback.assign(rs.signature, rs.firstFrame, rs.updateCount);
        }
        callback.execute();
      } catch (java.sql.SQLException e) {
        throw error("XX000", e.getMessage());
      }
    }
    return new ExecuteResult(List.of(rs));
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    MetaConnection c = connection(h.connectionId);
    MetaStatement st = statement(c, h);
    long[] counts = new long[sqlCommands.size()];
    for (int i = 0; i < counts.length; i++) {
      String sql = sqlCommands.get(i);
      int n = i;
      c.run(() -> {
        st.close();
        try (StatementResult r = c.session().execute(singleStatement(sql))) {
          counts[n] = updateCount(r);
        }
        return null;
      }, sql);
    }
    return new ExecuteBatchResult(counts);
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    MetaConnection c = connection(h.connectionId);
    MetaStatement st = statement(c, h);
    long[] counts = new long[parameterValues.size()];
    for (int i = 0; i < counts.length; i++) {
      List<TypedValue> values = parameterValues.get(i);
      int n = i;
      c.run(() -> {
        st.closeResult();
        try (StatementResult r = prepared(st).execute(parameters(st.prepared, values))) {
          counts[n] = updateCount(r);
        }
        return null;
      }, st.signature == null ? null : st.signature.sql);
    }
    return new ExecuteBatchResult(counts);
  }

  /** executeBatch as the protobuf service delivers it: parameter sets still in protobuf form. */
  @Override
  public ExecuteBatchResult executeBatchProtobuf(StatementHandle h, List<Requests.UpdateBatch> updateBatches)
      throws NoSuchStatementException {
    List<List<TypedValue>> sets = new ArrayList<>(updateBatches.size());
    for (Requests.UpdateBatch batch : updateBatches) {
      List<TypedValue> values = new ArrayList<>(batch.getParameterValuesCount());
      batch.getParameterValuesList().forEach(v -> values.add(TypedValue.fromProto(v)));
      sets.add(values);
    }
    return executeBatch(h, sets);
  }

  @Override
  @SuppressWarnings("deprecation")
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    MetaConnection c = connection(h.connectionId);
    MetaStatement st = statement(c, h);
    String sql = st.signature == null ? null : st.signature.sql;
    MetaResultSet rs = c.run(() -> {
      st.closeResult();
      PreparedQuery pq = prepared(st);
      StatementResult r = pq.execute(parameters(pq, parameterValues == null ? List.of() : parameterValues));
      return result(c, st, r, sql, st.signature.parameters, maxRowsInFirstFrame);
    }, sql);
    return new ExecuteResult(List.of(rs));
  }

  private static PreparedQuery prepared(MetaStatement st) {
    if (st.prepared == null) {
      throw new LumaException("26000", "statement " + st.id + " was not prepared");
    }
    return st.prepared;
  }

  /**
   * The driver's parameter values for the engine. A statement Calcite planned gets each value
   * converted to its parameter's type; one that takes parameters as literals (INSERT, DDL)
   * gets the values as the driver typed them.
   */
  private static List<Object> parameters(PreparedQuery pq, List<TypedValue> values) {
    boolean literal = pq.columns() == null || pq.columns().isEmpty();
    List<SqlTypeName> types = pq.paramTypes();
    List<Object> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Object v = AvaticaTypes.fromTypedValue(values.get(i));
      out.add(literal ? AvaticaTypes.asLiteral(v)
          : AvaticaTypes.coerce(v, i < types.size() ? types.get(i) : null, i + 1));
    }
    return out;
  }

  /** A statement's outcome: rows (first frame now, the rest by fetch) or an update count. */
  private MetaResultSet result(MetaConnection c, MetaStatement st, StatementResult r, String sql,
      List<AvaticaParameter> params, int maxRowsInFirstFrame) {
    StatementResult.Rows rows;
    if (r instanceof StatementResult.Rows x) {
      rows = x;
    } else if (r instanceof StatementResult.CopyOut x) {
      rows = x.rows();
    } else if (r instanceof StatementResult.Command) {
      long count = updateCount(r);
      return MetaResultSet.count(c.id, st.id, count);
    } else {
      r.close();
      throw new LumaException("0A000", "COPY FROM STDIN is not supported over Avatica: use INSERT"
          + " (a prepared INSERT with executeBatch, or INSERT ... SELECT)");
    }
    Signature signature = new Signature(AvaticaTypes.columns(rows.columns()), sql, params, null,
        CursorFactory.LIST, StatementType.SELECT);
    st.open(rows.columns(), rows.cursor(), st.maxRowCount);
    Frame frame;
    try {
      frame = st.frame(maxRowsInFirstFrame);
    } catch (RuntimeException e) {
      st.closeResult();
      throw e;
    }
    metrics.sent(((List<?>) frame.rows).size());
    return MetaResultSet.create(c.id, st.id, false, signature, frame);
  }

  /** The count at the end of INSERT/UPDATE/DELETE/COPY tags ("INSERT 0 3" -> 3); 0 for others. */
  private static long updateCount(StatementResult r) {
    if (!(r instanceof StatementResult.Command cmd)) {
      r.close();
      throw new LumaException("0A000", "a batch may hold only statements without a result");
    }
    return cmd.affectedRows();
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    MetaConnection c = connection(h.connectionId);
    MetaStatement st = statement(c, h);
    Frame frame = c.run(() -> st.hasResult() ? st.frame(fetchMaxRowCount) : null);
    if (frame == null) {
      throw new MissingResultsException(h);
    }
    metrics.sent(((List<?>) frame.rows).size());
    return frame;
  }

  @Override
  public boolean syncResults(StatementHandle h, QueryState state, long offset) throws NoSuchStatementException {
    // Fail-over between servers re-creates results; one server keeps them for the connection.
    statement(connection(h.connectionId), h);
    return false;
  }

  @Override
  public Iterable<Object> createIterable(StatementHandle h, QueryState state, Signature signature,
      List<TypedValue> parameters, Frame firstFrame) {
    // every result carries its first frame, so the remote service never asks for this
    return Collections.emptyList();
  }

  /** The one statement in {@code sql} (a trailing semicolon is fine). */
  private static String singleStatement(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new LumaException(ErrorCode.E003, "empty query: no statement to run");
    }
    List<String> parts = SqlLexer.split(sql);
    if (parts.size() > 1) {
      throw new LumaException("42601", "one statement per call: this query holds " + parts.size());
    }
    return sql;
  }

  /**
   * JDBC's {@code ?} markers as the engine's {@code $1..$n}, in text order. Text that already
   * uses {@code $n} is left alone; markers inside strings, quoted names and comments are not
   * markers.
   */
  static String dollarParameters(String sql) {
    List<SqlLexer.Token> tokens = SqlLexer.lex(sql);
    for (SqlLexer.Token t : tokens) {
      if (t.kind() == SqlLexer.Kind.PARAM) {
        return sql;
      }
    }
    StringBuilder out = new StringBuilder(sql.length() + 8);
    int n = 0;
    int last = 0;
    for (SqlLexer.Token t : tokens) {
      if (t.kind() == SqlLexer.Kind.OPERATOR && t.text().equals("?")) {
        out.append(sql, last, t.start()).append('$').append(++n);
        last = t.end();
      }
    }
    return n == 0 ? sql : out.append(sql, last, sql.length()).toString();
  }

  private static StatementType statementType(String sql) {
    List<SqlLexer.Token> t = SqlLexer.significant(sql);
    String first = t.isEmpty() ? "" : t.get(0).text().toLowerCase(Locale.ROOT);
    return switch (first) {
      case "insert" -> StatementType.INSERT;
      case "update" -> StatementType.UPDATE;
      case "delete" -> StatementType.DELETE;
      case "create" -> StatementType.CREATE;
      case "drop" -> StatementType.DROP;
      case "alter" -> StatementType.ALTER;
      case "select", "with", "values", "show", "explain", "(" -> StatementType.SELECT;
      default -> StatementType.OTHER_DDL;
    };
  }

  private static AvaticaRuntimeException error(String sqlState, String message) {
    return AvaticaErrors.toAvatica(new LumaException(sqlState, message));
  }

  // ---- DatabaseMetaData ----

  private MetaResultSet catalog(ConnectionHandle ch, java.util.function.Function<Session, CatalogResults.Table> answer) {
    MetaConnection c = connection(ch.id);
    CatalogResults.Table t = c.run(() -> answer.apply(c.session()));
    return metadataResult(c, t);
  }

  private MetaResultSet metadataResult(MetaConnection c, CatalogResults.Table t) {
    List<ColumnMetaData> columns = AvaticaTypes.metadataColumns(t.names(), t.types());
    List<Object> rows = new ArrayList<>(t.rows().size());
    for (Object[] r : t.rows()) {
      Object[] row = new Object[r.length];
      for (int i = 0; i < r.length; i++) {
        row[i] = AvaticaTypes.toFrameValue(r[i], t.types().get(i));
      }
      rows.add(java.util.Arrays.asList(row));
    }
    Signature signature = new Signature(columns, "", List.of(), null, CursorFactory.LIST, StatementType.SELECT);
    // the whole answer goes in the first frame: its statement holds nothing to fetch or close
    return MetaResultSet.create(c.id, statementIds.incrementAndGet(), true, signature,
        new Frame(0, true, rows));
  }

  private MetaResultSet empty(ConnectionHandle ch, String... names) {
    return metadataResult(connection(ch.id), CatalogResults.empty(names));
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, List<String> typeList) {
    return catalog(ch, s -> CatalogResults.tables(s, catalog, schemaPattern, tableNamePattern, typeList));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, Pat columnNamePattern) {
    return catalog(ch, s -> CatalogResults.columns(s, catalog, schemaPattern, tableNamePattern, columnNamePattern));
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return catalog(ch, s -> CatalogResults.schemas(s, catalog, schemaPattern));
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return catalog(ch, CatalogResults::catalogs);
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return metadataResult(connection(ch.id), CatalogResults.tableTypes());
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return metadataResult(connection(ch.id), CatalogResults.typeInfo());
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return catalog(ch, s -> CatalogResults.primaryKeys(s, catalog, schema, table));
  }

  @Override
  public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat procedureNamePattern) {
    return empty(ch, "PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "reserved1", "reserved2",
        "reserved3", "REMARKS", "PROCEDURE_TYPE", "SPECIFIC_NAME");
  }

  @Override
  public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat procedureNamePattern, Pat columnNamePattern) {
    return empty(ch, "PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME",
        "COLUMN_TYPE", "DATA_TYPE", "TYPE_NAME", "PRECISION", "LENGTH", "SCALE", "RADIX",
        "NULLABLE", "REMARKS", "COLUMN_DEF", "SQL_DATA_TYPE", "SQL_DATETIME_SUB",
        "CHAR_OCTET_LENGTH", "ORDINAL_POSITION", "IS_NULLABLE", "SPECIFIC_NAME");
  }

  @Override
  public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema,
      String table, Pat columnNamePattern) {
    return empty(ch, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "GRANTOR", "GRANTEE",
        "PRIVILEGE", "IS_GRANTABLE");
  }

  @Override
  public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern) {
    return empty(ch, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE",
        "IS_GRANTABLE");
  }

  @Override
  public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog, String schema,
      String table, int scope, boolean nullable) {
    return empty(ch, "SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH",
        "DECIMAL_DIGITS", "PSEUDO_COLUMN");
  }

  @Override
  public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String schema, String table) {
    return empty(ch, "SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH",
        "DECIMAL_DIGITS", "PSEUDO_COLUMN");
  }

  private static final String[] KEY_COLUMNS = {"PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME",
      "PKCOLUMN_NAME", "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ",
      "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY"};

  @Override
  public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return empty(ch, KEY_COLUMNS);
  }

  @Override
  public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return empty(ch, KEY_COLUMNS);
  }

  @Override
  public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog, String parentSchema,
      String parentTable, String foreignCatalog, String foreignSchema, String foreignTable) {
    return empty(ch, KEY_COLUMNS);
  }

  @Override
  public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table,
      boolean unique, boolean approximate) {
    return empty(ch, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER",
        "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY",
        "PAGES", "FILTER_CONDITION");
  }

  @Override
  public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, int[] types) {
    return empty(ch, "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE", "REMARKS",
        "BASE_TYPE");
  }

  @Override
  public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern) {
    return empty(ch, "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SUPERTYPE_CAT", "SUPERTYPE_SCHEM",
        "SUPERTYPE_NAME");
  }

  @Override
  public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern) {
    return empty(ch, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME");
  }

  @Override
  public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat typeNamePattern, Pat attributeNamePattern) {
    return empty(ch, "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "ATTR_NAME", "DATA_TYPE", "ATTR_TYPE_NAME",
        "ATTR_SIZE", "DECIMAL_DIGITS", "NUM_PREC_RADIX", "NULLABLE", "REMARKS", "ATTR_DEF",
        "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "CHAR_OCTET_LENGTH", "ORDINAL_POSITION", "IS_NULLABLE",
        "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_TABLE", "SOURCE_DATA_TYPE");
  }

  @Override
  public MetaResultSet getClientInfoProperties(ConnectionHandle ch) {
    return empty(ch, "NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION");
  }

  @Override
  public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat functionNamePattern) {
    return empty(ch, "FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE",
        "SPECIFIC_NAME");
  }

  @Override
  public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat functionNamePattern, Pat columnNamePattern) {
    return empty(ch, "FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE",
        "DATA_TYPE", "TYPE_NAME", "PRECISION", "LENGTH", "SCALE", "RADIX", "NULLABLE", "REMARKS",
        "CHAR_OCTET_LENGTH", "ORDINAL_POSITION", "IS_NULLABLE", "SPECIFIC_NAME");
  }

  @Override
  public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat schemaPattern,
      Pat tableNamePattern, Pat columnNamePattern) {
    return empty(ch, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE",
        "COLUMN_SIZE", "DECIMAL_DIGITS", "NUM_PREC_RADIX", "COLUMN_USAGE", "REMARKS",
        "CHAR_OCTET_LENGTH", "IS_NULLABLE");
  }
}
