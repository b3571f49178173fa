package io.lumadb.pgwire;

import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.PreparedQuery;
import io.lumadb.sql.ResultColumn;
import io.lumadb.sql.RowCursor;
import io.lumadb.sql.VectorCursor;
import io.lumadb.sql.Session;
import io.lumadb.sql.SessionSettings;
import io.lumadb.sql.SqlEngine;
import io.lumadb.sql.SqlLexer;
import io.lumadb.sql.StatementResult;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: startup, authentication, then simple and extended queries. Runs on
 * the connection's event loop, which serves only this connection (see {@link PgServer}): a
 * message is decoded, executed and answered on one thread, and a long query blocks only its
 * own connection. Writes never wait for the socket except when a large result is streamed
 * faster than the client reads it ({@link #awaitWritable}).
 */
final class PgConnectionHandler extends SimpleChannelInboundHandler<FrontendMessage> {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnectionHandler.class);
  private static final int FLUSH_BYTES = 64 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private enum State { STARTUP, AUTH, READY, CLOSED }

  /** A prepared statement with the parameter type OIDs the client declared (0 = unspecified). */
  /**
   * Plans by SQL text, of the unnamed statement (with declared parameter types) and of plain
   * queries of the simple protocol, for the session's search_path and time zone; least recently
   * used first out; an entry made at another catalog version is stale and dropped. Entries are
   * closed when they leave the cache, not when the unnamed statement is replaced.
   */
  private final class PlanCache {
    private record Entry(PgStatement statement, long version) {}

    private final java.util.LinkedHashMap<String, Entry> entries;

    PlanCache(int capacity) {
      entries = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          if (size() > capacity) {
            release(eldest.getValue().statement());
            return true;
          }
          return false;
        }
      };
    }

    /** The key of a text: the protocol it came by, declared types, and the settings that change its plan. */
    static String key(String protocol, String sql, int[] oids, Session session) {
      return protocol + "|" + java.util.Arrays.toString(oids) + "|" + session.settings().get("search_path")
          + "|" + session.settings().zone() + "|" + sql;
    }

    /** An open portal reads from the statement's plan: it must not be reused or closed. */
    boolean inUse(PgStatement st) {
      return portals.values().stream().anyMatch(x -> x.query == st.query());
    }

    /**
     * Closes a statement that leaves the cache (it may still be an entry while evicted) unless a
     * portal or the statement map still uses it.
     */
    private void release(PgStatement st) {
      if (!inUse(st) && !statements.containsValue(st)) {
        st.query().close();
      }
    }

    /** The cached statement for the key, or null (none, stale, or in use by a portal). */
    PgStatement get(String key, long version) {
      Entry e = entries.get(key);
      if (e == null) {
        return null;
      }
      if (e.version() != version) {
        entries.remove(key);
        release(e.statement());
        return null;
      }
      return inUse(e.statement()) ? null : e.statement();
    }

    /**
     * The cached statement for the key, taken out of the cache (for a named statement of the same
     * text, which then owns it), or null (none, stale, or in use by a portal).
     */
    PgStatement take(String key, long version) {
      PgStatement st = get(key, version);
      if (st != null) {
        entries.remove(key);
      }
      return st;
    }

    /** Caches a new statement unless an entry in use holds the key. */
    void put(String key, long version, PgStatement st) {
      Entry old = entries.get(key);
      if (old != null && inUse(old.statement())) {
        return;
      }
      entries.put(key, new Entry(st, version));
      if (old != null && old.statement() != st) {
        release(old.statement());
      }
    }

    boolean holds(PgStatement st) {
      for (Entry e : entries.values()) {
        if (e.statement() == st) {
          return true;
        }
      }
      return false;
    }

    void clear() {
      List<PgStatement> all = entries.values().stream().map(Entry::statement).toList();
      entries.clear();
      all.forEach(this::release);
    }
  }

  private record PgStatement(PreparedQuery query, int[] declaredOids) {
    int oid(int i) {
      int declared = i < declaredOids.length ? declaredOids[i] : 0;
      return declared != 0 ? declared : PgType.forSql(query.paramTypes().get(i)).oid;
    }
  }

  /** A bound statement ready to run, possibly partly run (suspended). */
  private static final class Portal {
    PreparedQuery query;
    final List<Object> params;
    final short[] resultFormats;
    StatementResult result;
    long rowsSent;
    /** Whether {@link #query} is the portal's own plan (closed with it), not its statement's. */
    boolean ownsQuery;

    Portal(PreparedQuery query, List<Object> params, short[] resultFormats) {
      this.query = query;
      this.params = params;
      this.resultFormats = resultFormats;
    }

    void close() {
      if (result != null) {
        result.close();
        result = null;
      }
      if (ownsQuery) {
        query.close();
        ownsQuery = false;
      }
    }
  }

  private final PgServer server;
  private final SqlEngine engine;
  private final PgConfig config;
  private final int processId;
  private final int secretKey = RANDOM.nextInt();
  private State state = State.STARTUP;
  private Map<String, String> startupParams = Map.of();
  private String user;
  private byte[] md5Salt;
  private ScramAuthenticator scram;
  private boolean scramFirstDone;
  private Session session;
  private boolean skipUntilSync;
  private final Map<String, PgStatement> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();
  private final PlanCache planCache = new PlanCache(64);
  private ChannelHandlerContext ctx;
  private ByteBuf out;
  /** Set while the client sends COPY data; the first error is kept until CopyDone/CopyFail. */
  private io.lumadb.sql.CopyIn copyIn;
  private LumaException copyError;
  /** Set (from another thread) when the server shuts down. */
  private volatile boolean terminating;

  PgConnectionHandler(PgServer server, SqlEngine engine, PgConfig config, int processId) {
    this.server = server;
    this.engine = engine;
    this.config = config;
    this.processId = processId;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    server.metrics().opened.inc();
    server.metrics().active.inc();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    server.metrics().active.dec();
    cleanup();
    ctx.fireChannelInactive();
  }

  private void cleanup() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    portals.values().forEach(Portal::close);
    portals.clear();
    dropStatements();
    if (session != null) {
      session.close();
      session = null;
    }
    server.release(this);
  }

  int processId() {
    return processId;
  }

  int secretKey() {
    return secretKey;
  }

  private ByteBuf out() {
    if (out == null) {
      out = ctx.alloc().buffer(8192);
    }
    return out;
  }

  private void flush() {
    if (out != null && out.isReadable()) {
      ByteBuf b = out;
      out = null;
      ctx.writeAndFlush(b, ctx.voidPromise());
      if (!ctx.channel().isWritable()) {
        awaitWritable();
      }
    }
  }

  /**
   * Backpressure: waits until the client has read enough of what is queued for it. This runs
   * on the connection's own event loop, so the loop cannot wait for its selector to report the
   * socket writable; it pushes the queued bytes itself (what the selector would do) and sleeps
   * between tries, from 50 µs up to 10 ms while the client reads nothing. Only large results
   * that the client reads slower than they are produced get here. When the server shuts down
   * the connection is closed (a close queued on this loop could not run while it waits).
   */
  private void awaitWritable() {
    Channel ch = ctx.channel();
    long pauseNanos = 50_000;
    while (ch.isActive() && !ch.isWritable()) {
      if (terminating || ch.eventLoop().isShuttingDown()) {
        ch.close();
        return;
      }
      if (ch.unsafe() instanceof AbstractNioChannel.NioUnsafe nio) {
        nio.forceFlush();
      }
      if (!ch.isWritable()) {
        LockSupport.parkNanos(pauseNanos);
        pauseNanos = Math.min(pauseNanos * 2, 10_000_000);
      }
    }
  }

  /** Sends what is buffered once it is large; waiting for the client gives backpressure. */
  private void flushIfLarge() {
    if (out != null && out.readableBytes() >= FLUSH_BYTES) {
      flush();
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FrontendMessage msg) {
    this.ctx = ctx;
    if (state == State.CLOSED) {
      return;
    }
    try {
      switch (state) {
        case STARTUP -> onStartup(msg);
        case AUTH -> onAuth(msg);
        case READY -> onMessage(msg);
        default -> { }
      }
    } catch (PgProtocolException e) {
      fatal(e.sqlState(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("unexpected failure on connection {}", processId, e);
      fatal(ErrorCode.E005.sqlState(), "E005: " + e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof PgProtocolException p) {
      fatal(p.sqlState(), p.getMessage());
    } else if (!(c instanceof java.io.IOException)) {
      LOG.warn("connection {} failed", processId, c);
      ctx.close();
    } else {
      ctx.close();
    }
  }

  private void fatal(String sqlState, String message) {
    if (!ctx.channel().isActive()) {
      return;
    }
    BackendMessages.error(out(), 'E', "FATAL", sqlState, message);
    ByteBuf b = out;
    out = null;
    ctx.channel().writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
    cleanup();
  }

  // ---- startup and authentication ----

  private void onStartup(FrontendMessage msg) {
    if (msg instanceof FrontendMessage.SslRequest && server.tlsEnabled() && !tls()) {
      startTls();
    } else if (msg instanceof FrontendMessage.SslRequest || msg instanceof FrontendMessage.GssEncRequest) {
      sendRaw((byte) 'N');
    } else if (msg instanceof FrontendMessage.CancelRequest c) {
      server.cancel(c.processId(), c.secretKey());
      ctx.close();
      cleanup();
    } else if (msg instanceof FrontendMessage.Startup s) {
      startup(s);
    } else {
      throw new PgProtocolException("08P01", "expected a startup message");
    }
  }

  private boolean tls() {
    return ctx.pipeline().get(SslHandler.class) != null;
  }

  /**
   * Answers 'S' and puts a TLS handler in front of the decoder. Both happen on the channel's
   * event loop (this handler's thread) before it reads again, so the client's handshake, sent
   * once it sees 'S', always meets the handler; the handler lets its first write (the 'S')
   * through in clear.
   */
  private void startTls() {
    Channel ch = ctx.channel();
    ch.pipeline().addFirst("tls", server.newTlsHandler(ch.alloc()));
    ch.writeAndFlush(ch.alloc().buffer(1).writeByte('S'));
  }

  private void sendRaw(byte b) {
    ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(b));
  }

  private void startup(FrontendMessage.Startup s) {
    if (s.protocol() >> 16 != 3) {
      throw new PgProtocolException("0A000", "unsupported frontend protocol "
          + (s.protocol() >> 16) + "." + (s.protocol() & 0xFFFF) + ": server supports 3.0");
    }
    if (!server.admit(this)) {
      server.metrics().rejected.inc();
      throw new PgProtocolException("53300", "sorry, too many clients already");
    }
    if (config.tls() != null && config.tls().required() && !tls()) {
      throw new PgProtocolException("28000", "this server requires TLS: connect with sslmode=require");
    }
    startupParams = s.parameters();
    user = s.parameters().get("user");
    if (user == null || user.isEmpty()) {
      throw new PgProtocolException("28000", "no PostgreSQL user name specified in startup packet");
    }
    String database = s.parameters().getOrDefault("database", user);
    if (!database.equals("default")) {
      throw new PgProtocolException("3D000", "database \"" + database + "\" does not exist");
    }
    state = State.AUTH;
    switch (config.authMethod()) {
      case "trust" -> authenticated();
      case "scram-sha-256" -> {
        scram = new ScramAuthenticator(server.verifier(user));
        byte[] mechanisms = (ScramAuthenticator.MECHANISM + "\0\0").getBytes(StandardCharsets.UTF_8);
        BackendMessages.authRequest(out(), 10, mechanisms);
        flush();
      }
      case "password" -> {
        BackendMessages.authRequest(out(), 3, null);
        flush();
      }
      default -> {
        md5Salt = new byte[4];
        RANDOM.nextBytes(md5Salt);
        BackendMessages.authRequest(out(), 5, md5Salt);
        flush();
      }
    }
  }

  private void onAuth(FrontendMessage msg) {
    if (!(msg instanceof FrontendMessage.PasswordData p)) {
      if (msg instanceof FrontendMessage.Terminate) {
        ctx.close();
        return;
      }
      throw new PgProtocolException("08P01", "expected a password message");
    }
    if (scram != null) {
      scramStep(p.data());
      return;
    }
    int end = p.data().length;
    while (end > 0 && p.data()[end - 1] == 0) {
      end--;
    }
    String given = new String(p.data(), 0, end, StandardCharsets.UTF_8);
    String expected = config.users().get(user);
    boolean ok = expected != null && (config.authMethod().equals("md5")
        ? MessageDigest.isEqual(md5Response(user, expected, md5Salt).getBytes(StandardCharsets.UTF_8),
            given.getBytes(StandardCharsets.UTF_8))
        : MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
            given.getBytes(StandardCharsets.UTF_8)));
    if (!ok) {
      server.metrics().authFailures.inc();
      throw new PgProtocolException(ErrorCode.E001.sqlState(),
          "E001: password authentication failed for user \"" + user + "\"");
    }
    authenticated();
  }

  private void scramStep(byte[] data) {
    if (!scramFirstDone) {
      io.netty.buffer.ByteBuf m = io.netty.buffer.Unpooled.wrappedBuffer(data);
      String mechanism = PgMessageDecoder.readCString(m);
      if (!mechanism.equals(ScramAuthenticator.MECHANISM)) {
        throw new PgProtocolException("28000", "unsupported SASL mechanism " + mechanism);
      }
      int len = m.readInt();
      if (len < 0 || len != m.readableBytes()) {
        throw new PgProtocolException("08P01", "malformed SASLInitialResponse");
      }
      String serverFirst = scram.first(m.toString(StandardCharsets.UTF_8));
      scramFirstDone = true;
      BackendMessages.authRequest(out(), 11, serverFirst.getBytes(StandardCharsets.UTF_8));
      flush();
      return;
    }
    String serverFinal = scram.fin(new String(data, StandardCharsets.UTF_8));
    if (serverFinal == null || !config.users().containsKey(user)) {
      server.metrics().authFailures.inc();
      throw new PgProtocolException(ErrorCode.E001.sqlState(),
          "E001: password authentication failed for user \"" + user + "\"");
    }
    BackendMessages.authRequest(out(), 12, serverFinal.getBytes(StandardCharsets.UTF_8));
    authenticated();
  }

  /** The MD5 response a client computes: "md5" + md5(md5(password + user) + salt). */
  static String md5Response(String user, String password, byte[] salt) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      String inner = HexFormat.of().formatHex(md.digest((password + user).getBytes(StandardCharsets.UTF_8)));
      md.reset();
      md.update(inner.getBytes(StandardCharsets.UTF_8));
      md.update(salt);
      return "md5" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void authenticated() {
    session = engine.openSession(user, "pgwire", startupParams);
    session.setDeallocator(new Session.Deallocator() {
      @Override
      public boolean deallocate(String name) {
        PgStatement st = statements.remove(name);
        closeIfUnused(st);
        return st != null;
      }

      @Override
      public void deallocateAll() {
        dropStatements();
      }
    });
    state = State.READY;
    ByteBuf b = out();
    BackendMessages.authRequest(b, 0, null);
    for (String name : SessionSettings.REPORTED) {
      BackendMessages.parameterStatus(b, name, session.settings().get(name));
    }
    BackendMessages.backendKeyData(b, processId, secretKey);
    BackendMessages.readyForQuery(b, session.transactionStatus());
    flush();
  }

  // ---- queries ----

  private void onMessage(FrontendMessage msg) {
    if (copyIn != null) {
      onCopyMessage(msg);
      return;
    }
    if (msg instanceof FrontendMessage.Query q) {
      simpleQuery(q.sql());
      return;
    }
    if (msg instanceof FrontendMessage.Terminate) {
      flush();
      ctx.close();
      cleanup();
      return;
    }
    if (msg instanceof FrontendMessage.Sync) {
      skipUntilSync = false;
      if (!session.inTransaction()) {
        portals.values().forEach(Portal::close);
        portals.clear();
      }
      BackendMessages.readyForQuery(out(), session.transactionStatus());
      flush();
      return;
    }
    if (msg instanceof FrontendMessage.Flush) {
      flush();
      return;
    }
    if (skipUntilSync) {
      return;
    }
    try {
      if (msg instanceof FrontendMessage.Parse p) {
        parse(p);
      } else if (msg instanceof FrontendMessage.Bind b) {
        bind(b);
      } else if (msg instanceof FrontendMessage.Describe d) {
        describe(d);
      } else if (msg instanceof FrontendMessage.Execute e) {
        execute(e);
      } else if (msg instanceof FrontendMessage.Close c) {
        close(c);
      } else if (msg instanceof FrontendMessage.Unsupported u) {
        throw new LumaException("0A000", "message type '" + u.type() + "' is not supported");
      } else if (msg instanceof FrontendMessage.CopyData || msg instanceof FrontendMessage.CopyDone
          || msg instanceof FrontendMessage.CopyFail) {
        // Stray COPY messages after a failed COPY are ignored, as PostgreSQL does.
      } else {
        throw new PgProtocolException(
            "08P01", "unexpected message " + msg.getClass().getSimpleName());
      }
    } catch (LumaException e) {
      sendError(e);
      skipUntilSync = true;
    } catch (PgProtocolException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("internal error on connection {}", processId, e);
      sendError(new LumaException(ErrorCode.E005, String.valueOf(e.getMessage()), e));
      skipUntilSync = true;
    }
  }

  private void onCopyMessage(FrontendMessage msg) {
    if (msg instanceof FrontendMessage.CopyData d) {
      if (copyError == null) {
        try {
          copyIn.accept(d.data());
        } catch (LumaException e) {
          copyError = e;
        } catch (RuntimeException e) {
          copyError = io.lumadb.sql.Errors.translate(e);
        }
      }
      return;
    }
    if (msg instanceof FrontendMessage.Flush || msg instanceof FrontendMessage.Sync) {
      return; // ignored during COPY, as PostgreSQL does
    }
    io.lumadb.sql.CopyIn sink = copyIn;
    copyIn = null;
    if (msg instanceof FrontendMessage.CopyDone) {
      if (copyError == null) {
        try {
          BackendMessages.commandComplete(out(), "COPY " + sink.finish());
        } catch (LumaException e) {
          copyError = e;
        } catch (RuntimeException e) {
          copyError = io.lumadb.sql.Errors.translate(e);
        }
      }
    } else if (msg instanceof FrontendMessage.CopyFail f) {
      copyError = new LumaException("57014", "COPY from stdin failed: " + f.message());
    } else {
      copyError = new LumaException("08P01", "unexpected message type during COPY from stdin");
    }
    if (copyError != null) {
      sendError(copyError);
      copyError = null;
    }
    BackendMessages.readyForQuery(out(), session.transactionStatus());
    flush();
  }

  private void sendCopyOut(StatementResult.CopyOut c) {
    List<ResultColumn> cols = c.rows().columns();
    int at = BackendMessages.begin(out(), 'H');
    out().writeByte(0);
    out().writeShort(cols.size());
    for (int i = 0; i < cols.size(); i++) {
      out().writeShort(0);
    }
    BackendMessages.end(out(), at);
    RowCursor cursor = c.rows().cursor();
    String[] values = new String[cols.size()];
    long n = 0;
    if (c.format().header()) {
      for (int i = 0; i < values.length; i++) {
        values[i] = cols.get(i).name();
      }
      copyData(c.format().formatRow(values));
    }
    while (cursor.next()) {
      for (int i = 0; i < values.length; i++) {
        Object v = cursor.get(i);
        values[i] = v == null ? null : PgValues.text(v, session.settings().zone());
      }
      copyData(c.format().formatRow(values));
      n++;
      flushIfLarge();
    }
    BackendMessages.empty(out(), 'c');
    BackendMessages.commandComplete(out(), "COPY " + n);
  }

  private void copyData(String line) {
    int at = BackendMessages.begin(out(), 'd');
    out().writeCharSequence(line, StandardCharsets.UTF_8);
    BackendMessages.end(out(), at);
  }

  private void sendError(LumaException e) {
    BackendMessages.error(out(), 'E', "ERROR", e.sqlState(), e.getMessage(),
        e.detail().orElse(null), e.hint().orElse(null));
  }

  private void simpleQuery(String sql) {
    try {
      List<String> statements = SqlLexer.split(sql);
      if (statements.isEmpty()) {
        BackendMessages.empty(out(), 'I');
      }
      for (int i = 0; i < statements.size(); i++) {
        server.checkRate(user);
        StatementResult cached = fromPlanCache(statements.get(i));
        StatementResult r = cached != null ? cached : session.execute(statements.get(i));
        if (r instanceof StatementResult.CopyInStarted c) {
          if (i != statements.size() - 1) {
            throw new LumaException("0A000", "COPY FROM STDIN must be the last statement of a query string");
          }
          copyIn = c.sink();
          int at = BackendMessages.begin(out(), 'G');
          out().writeByte(0);
          out().writeShort(c.sink().columnCount());
          for (int k = 0; k < c.sink().columnCount(); k++) {
            out().writeShort(0);
          }
          BackendMessages.end(out(), at);
          flush();
          return; // ReadyForQuery follows CopyDone or CopyFail
        }
        try (r) {
          if (r instanceof StatementResult.CopyOut c) {
            sendCopyOut(c);
          } else {
            sendResult(r, null, 0, true);
          }
        }
        flushIfLarge();
      }
    } catch (LumaException e) {
      sendError(e);
    } catch (RuntimeException e) {
      LOG.warn("internal error on connection {}", processId, e);
      sendError(new LumaException(ErrorCode.E005, String.valueOf(e.getMessage()), e));
    }
    BackendMessages.readyForQuery(out(), session.transactionStatus());
    flush();
  }

  private static final int[] NO_OIDS = new int[0];

  /**
   * Runs a plain query of the simple protocol (SELECT, WITH, VALUES without $n) through the plan
   * cache, as the unnamed statement's: psql, dashboards and BI tools send the same text again,
   * and planning is most of a small query's time. Null when {@code sql} is not such a query,
   * for {@link Session#execute}.
   */
  private StatementResult fromPlanCache(String sql) {
    // Only plain queries are cached, so a hit needs no look at the text; a miss does.
    long version = engine.storage().catalogVersion();
    String key = PlanCache.key("simple", sql, NO_OIDS, session);
    PgStatement st = planCache.get(key, version);
    if (st != null) {
      server.metrics().planCacheHits.inc();
    } else {
      if (!PreparedQuery.isPlainQuery(sql)) {
        return null;
      }
      server.metrics().planCacheMisses.inc();
      st = new PgStatement(session.prepare(sql, List.of()), NO_OIDS);
      planCache.put(key, version, st);
    }
    return st.query().execute(List.of());
  }

  /**
   * Sends a result: RowDescription (when asked), rows up to {@code maxRows} (0 = all), then
   * CommandComplete, or PortalSuspended if rows remain. Returns true when the result is done.
   */
  private boolean sendResult(StatementResult r, short[] formats, long maxRows, boolean describe) {
    return sendResult(r, formats, maxRows, describe, null);
  }

  private boolean sendResult(
      StatementResult r, short[] formats, long maxRows, boolean describe, Portal portal) {
    if (r instanceof StatementResult.Command c) {
      BackendMessages.commandComplete(out(), c.tag());
      reportSettingChange(c.tag());
      return true;
    }
    StatementResult.Rows rows = (StatementResult.Rows) r;
    List<ResultColumn> cols = rows.columns();
    if (describe) {
      BackendMessages.rowDescription(out(), cols, formats);
    }
    PgType[] types = new PgType[cols.size()];
    boolean[] binary = new boolean[cols.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = PgType.forColumn(cols.get(i));
      binary[i] = BackendMessages.format(formats, i) == 1;
    }
    RowCursor cursor = rows.cursor();
    long sent = 0;
    while (maxRows == 0 || sent < maxRows) {
      if (!cursor.next()) {
        long total = sent + (portal == null ? 0 : portal.rowsSent);
        BackendMessages.commandComplete(out(),
            rows.commandWord().equals("SELECT") ? "SELECT " + total : rows.commandWord());
        return true;
      }
      writeDataRow(cursor, types, binary);
      sent++;
      flushIfLarge();
    }
    if (portal != null) {
      portal.rowsSent += sent;
    }
    BackendMessages.empty(out(), 's');
    return false;
  }

  private void reportSettingChange(String tag) {
    if (tag.equals("SET") || tag.equals("RESET")) {
      // Report every GUC_REPORT setting again; clients keep the latest value.
      for (String name : List.of("application_name", "client_encoding", "DateStyle", "TimeZone",
          "IntervalStyle", "standard_conforming_strings")) {
        BackendMessages.parameterStatus(out(), name, session.settings().get(name));
      }
    }
  }

  private void writeDataRow(RowCursor cursor, PgType[] types, boolean[] binary) {
    if (cursor instanceof VectorCursor v) {
      writeDataRow(v, types, binary);
      return;
    }
    ByteBuf b = out();
    int at = BackendMessages.begin(b, 'D');
    b.writeShort(types.length);
    for (int i = 0; i < types.length; i++) {
      Object v = cursor.get(i);
      if (v == null) {
        b.writeInt(-1);
        continue;
      }
      int lenAt = b.writerIndex();
      b.writeInt(0);
      if (binary[i]) {
        PgValues.writeBinary(b, types[i], v);
      } else {
        b.writeCharSequence(PgValues.text(v, session.settings().zone()), StandardCharsets.UTF_8);
      }
      b.setInt(lenAt, b.writerIndex() - lenAt - 4);
    }
    BackendMessages.end(b, at);
  }

  /** A row read straight from the scan's vectors: numbers, timestamps and text without a boxed value. */
  private void writeDataRow(VectorCursor cursor, PgType[] types, boolean[] binary) {
    ByteBuf b = out();
    int at = BackendMessages.begin(b, 'D');
    b.writeShort(types.length);
    for (int i = 0; i < types.length; i++) {
      if (cursor.isNull(i)) {
        b.writeInt(-1);
        continue;
      }
      int lenAt = b.writerIndex();
      b.writeInt(0);
      PgType t = types[i];
      switch (cursor.kind(i)) {
        case INTEGER -> {
          long x = cursor.getLong(i);
          if (!binary[i]) {
            b.writeCharSequence(Long.toString(x), StandardCharsets.US_ASCII);
          } else if (t == PgType.INT8) {
            b.writeLong(x);
          } else if (t == PgType.INT2) {
            b.writeShort((short) x);
          } else {
            b.writeInt((int) x);
          }
        }
        case FLOAT -> {
          double d = cursor.getDouble(i);
          boolean real = t == PgType.FLOAT4;
          if (binary[i]) {
            if (real) {
              b.writeFloat((float) d);
            } else {
              b.writeDouble(d);
            }
          } else {
            b.writeCharSequence(real ? io.lumadb.sql.PgFloats.float4((float) d) : io.lumadb.sql.PgFloats.float8(d),
                StandardCharsets.US_ASCII);
          }
        }
        case TEXT -> {
          if (binary[i] && t == PgType.JSONB) {
            b.writeByte(1); // jsonb's binary format: a version byte, then the text
          }
          b.writeBytes(cursor.utf8(i));
        }
        case TIMESTAMP, TIMESTAMPTZ -> {
          long ms = cursor.getLong(i);
          if (binary[i]) {
            b.writeLong(PgValues.pgMicros(ms));
          } else {
            b.writeCharSequence(cursor.kind(i) == VectorCursor.Kind.TIMESTAMP ? PgValues.timestamp(ms)
                : PgValues.timestamptz(java.time.Instant.ofEpochMilli(ms), session.settings().zone()),
                StandardCharsets.US_ASCII);
          }
        }
        default -> {
          Object v = cursor.get(i);
          if (binary[i]) {
            PgValues.writeBinary(b, t, v);
          } else {
            b.writeCharSequence(PgValues.text(v, session.settings().zone()), StandardCharsets.UTF_8);
          }
        }
      }
      b.setInt(lenAt, b.writerIndex() - lenAt - 4);
    }
    BackendMessages.end(b, at);
  }

  private void parse(FrontendMessage.Parse p) {
    List<SqlTypeName> declared = new ArrayList<>();
    for (int oid : p.paramTypeOids()) {
      declared.add(PgType.sqlTypeForOid(oid));
    }
    if (!p.statement().isEmpty() && statements.containsKey(p.statement())) {
      throw new LumaException("42P05", "prepared statement \"" + p.statement() + "\" already exists");
    }
    List<String> parts = SqlLexer.split(p.sql());
    if (parts.size() > 1) {
      throw new LumaException("42601", "cannot insert multiple commands into a prepared statement");
    }
    String sql = parts.isEmpty() ? "" : parts.get(0);
    PgStatement st = null;
    String key = null;
    long version = engine.storage().catalogVersion();
    key = PlanCache.key("extended", sql, p.paramTypeOids(), session);
    if (p.statement().isEmpty()) {
      // Clients (pgjdbc before prepareThreshold, pgbench -M extended, psycopg) re-send the same
      // text as the unnamed statement: reuse its plan while the catalog and search_path stand
      // still and no open portal is reading from it.
      st = planCache.get(key, version);
    } else {
      // pgjdbc names a statement after running its text unnamed a few times (prepareThreshold):
      // the named statement takes over the plan the unnamed runs made.
      st = planCache.take(key, version);
      key = null;
    }
    if (st != null) {
      server.metrics().planCacheHits.inc();
    } else {
      server.metrics().planCacheMisses.inc();
    }
    if (st == null) {
      st = new PgStatement(session.prepare(sql, declared), p.paramTypeOids());
      if (key != null) {
        planCache.put(key, version, st);
      }
    }
    PgStatement old = statements.put(p.statement(), st);
    if (old != st) {
      closeIfUnused(old); // a portal still reading from it keeps it (PostgreSQL's portals outlive statements)
    }
    BackendMessages.empty(out(), '1');
  }

  private void bind(FrontendMessage.Bind b) {
    PgStatement st = statements.get(b.statement());
    if (st == null) {
      throw new LumaException("26000", "prepared statement \"" + b.statement() + "\" does not exist");
    }
    PreparedQuery q = st.query();
    List<SqlTypeName> types = q.paramTypes();
    if (b.values().size() != types.size()) {
      throw new LumaException("08P01", "bind message supplies " + b.values().size()
          + " parameters, but prepared statement \"" + b.statement() + "\" requires " + types.size());
    }
    List<Object> params = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      boolean binary = BackendMessages.format(b.paramFormats(), i) == 1;
      params.add(PgValues.decodeParam(b.values().get(i), binary, types.get(i), st.oid(i), session.settings().zone()));
    }
    Portal old = portals.put(b.portal(), new Portal(q, params, b.resultFormats()));
    if (old != null) {
      old.close();
    }
    BackendMessages.empty(out(), '2');
  }

  private void describe(FrontendMessage.Describe d) {
    if (d.kind() == 'S') {
      PgStatement st = statements.get(d.name());
      if (st == null) {
        throw new LumaException("26000", "prepared statement \"" + d.name() + "\" does not exist");
      }
      int[] oids = new int[st.query().paramTypes().size()];
      for (int i = 0; i < oids.length; i++) {
        oids[i] = st.oid(i);
      }
      BackendMessages.parameterDescription(out(), oids);
      describeColumns(st.query().columns(), null);
    } else if (d.kind() == 'P') {
      Portal p = portals.get(d.name());
      if (p == null) {
        throw new LumaException("34000", "portal \"" + d.name() + "\" does not exist");
      }
      List<ResultColumn> cols = p.query.columns();
      if (cols == null) {
        // Columns known only by running it: run now, send the rows at Execute.
        p.result = p.query.execute(p.params);
        cols = p.result instanceof StatementResult.Rows r ? r.columns() : List.of();
      }
      describeColumns(cols, p.resultFormats);
    } else {
      throw new PgProtocolException("08P01", "invalid DESCRIBE message subtype " + d.kind());
    }
  }

  private void describeColumns(List<ResultColumn> cols, short[] formats) {
    if (cols == null || cols.isEmpty()) {
      BackendMessages.empty(out(), 'n');
    } else {
      BackendMessages.rowDescription(out(), cols, formats);
    }
  }

  private void execute(FrontendMessage.Execute e) {
    Portal p = portals.get(e.portal());
    if (p == null) {
      throw new LumaException("34000", "portal \"" + e.portal() + "\" does not exist");
    }
    if (p.query.sql().isBlank()) {
      BackendMessages.empty(out(), 'I');
      return;
    }
    if (p.result == null) {
      server.checkRate(user);
      if (portals.values().stream().anyMatch(x -> x != p && x.query == p.query && x.result instanceof StatementResult.Rows)) {
        // Another open portal reads rows from this statement's plan; running the plan again would
        // end that portal's result. This portal gets a plan of its own.
        p.query = session.prepare(p.query.sql(), p.query.paramTypes());
        p.ownsQuery = true;
      }
      p.result = p.query.execute(p.params);
    }
    if (p.result instanceof StatementResult.CopyInStarted || p.result instanceof StatementResult.CopyOut) {
      p.close();
      throw new LumaException("0A000", "COPY is supported through the simple query protocol only");
    }
    boolean done = sendResult(p.result, p.resultFormats, Math.max(e.maxRows(), 0), false, p);
    if (done) {
      p.close();
      if (!e.portal().isEmpty()) {
        // A named portal that ran to completion answers later Executes with no rows.
        p.result = new StatementResult.Command("SELECT 0");
      }
    }
  }

  /** Closes a statement's plan unless a statement name, the plan cache or an open portal still uses it. */
  private void closeIfUnused(PgStatement st) {
    if (st != null && !planCache.holds(st) && !planCache.inUse(st) && !statements.containsValue(st)) {
      st.query().close();
    }
  }

  /** Forgets every statement and cached plan, closing those no open portal reads from. */
  private void dropStatements() {
    List<PgStatement> named = statements.values().stream().distinct().toList(); // one may have two names
    statements.clear();
    named.forEach(this::closeIfUnused);
    planCache.clear();
  }

  private void close(FrontendMessage.Close c) {
    if (c.kind() == 'S') {
      closeIfUnused(statements.remove(c.name()));
    } else if (c.kind() == 'P') {
      Portal p = portals.remove(c.name());
      if (p != null) {
        p.close();
      }
    } else {
      throw new PgProtocolException("08P01", "invalid CLOSE message subtype " + c.kind());
    }
    BackendMessages.empty(out(), '3');
  }

  /** Called by the server when it shuts down: stops the running statement and any wait for the client. */
  void terminate() {
    terminating = true;
    cancel();
  }

  /** Called by the server for a CancelRequest naming this connection. */
  void cancel() {
    Session s = session;
    if (s != null) {
      s.cancel();
    }
  }
}
