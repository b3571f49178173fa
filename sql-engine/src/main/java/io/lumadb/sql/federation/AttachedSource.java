package io.lumadb.sql.federation;

import io.lumadb.sql.LumaException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Schemas;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlDialectFactoryImpl;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.commons.dbcp2.BasicDataSource;
import org.slf4j.LoggerFactory;

/**
 * One attached source at run time: a connection pool shared by every session, the SQL dialect
 * Calcite writes for it, and the {@link JdbcSchema} each session registers. Nothing here
 * connects when a session starts, so an unreachable source costs nothing until it is queried;
 * a failed connection is the client's error 08001 naming the schema.
 */
final class AttachedSource implements DataSource, AutoCloseable {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(AttachedSource.class);

  static final int MAX_CONNECTIONS = 8;
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final FederatedSource source;
  private final BasicDataSource pool;
  private final SqlDialect dialect;

  AttachedSource(FederatedSource source) {
    this.source = source;
    this.pool = new BasicDataSource();
    pool.setUrl(source.url());
    if (source.user() != null) {
      pool.setUsername(source.user());
    }
    if (source.password() != null) {
      pool.setPassword(source.password());
    }
    pool.setMaxTotal(MAX_CONNECTIONS);
    pool.setMaxIdle(MAX_CONNECTIONS);
    pool.setMaxWait(MAX_WAIT);
    // A source that restarted leaves dead connections in the pool: check each before use.
    pool.setTestOnBorrow(true);
    pool.setDefaultReadOnly(true);
    if (source.url().startsWith("jdbc:postgresql:")) {
      // Read-only even in autocommit mode (pgjdbc's default applies it only in transactions):
      // a write that got past LumaDB's checks fails in the source with 25006.
      pool.addConnectionProperty("readOnlyMode", "always");
    }
    this.dialect = dialect(source);
  }

  /**
   * PostgreSQL's dialect is known from the URL; another database's is read from its metadata
   * once, now, or is plain ANSI SQL when the source cannot be reached at startup.
   */
  private SqlDialect dialect(FederatedSource s) {
    if (s.url().startsWith("jdbc:postgresql:")) {
      return PostgresqlSqlDialect.DEFAULT;
    }
    try {
      return JdbcSchema.createDialect(SqlDialectFactoryImpl.INSTANCE, this);
    } catch (RuntimeException e) {
      LOG.warn("federated schema {}: cannot read the SQL dialect of {} ({}); using ANSI SQL",
          s.name(), s.displayUrl(), e.getMessage());
      return AnsiSqlDialect.DEFAULT;
    }
  }

  FederatedSource source() {
    return source;
  }

  /** Adds this source's schema to a session's root schema. */
  void register(SchemaPlus root) {
    // The expression is a path from the root, so the generated code of a cached plan finds the
    // schema of whichever session runs it.
    JdbcConvention convention = JdbcConvention.of(dialect,
        Schemas.subSchemaExpression(root, source.name(), JdbcSchema.class), source.name());
    root.add(source.name(), new JdbcSchema(this, dialect, convention, null, source.remoteSchema()));
  }

  /** Tries one connection: true when the source answers. */
  boolean probe() {
    try (Connection c = getConnection()) {
      return true;
    } catch (SQLException | LumaException e) {
      return false;
    }
  }

  @Override
  public Connection getConnection() {
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw cannotConnect(e);
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the credentials come from [[federation]]");
  }

  LumaException cannotConnect(SQLException e) {
    Throwable root = e;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SQLException) {
        root = c;
      }
    }
    String why = root.getMessage() != null ? root.getMessage() : root.toString();
    return new LumaException(null, "08001", "federated schema \"" + source.name() + "\": cannot connect to "
        + source.displayUrl() + ": " + why, e)
        .withHint("Check the source and the [[federation]] entry \"" + source.name() + "\" in the config.");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public void close() {
    try {
      pool.close();
    } catch (SQLException e) {
      LOG.warn("federated schema {}: closing its connections failed: {}", source.name(), e.getMessage());
    }
  }
}
