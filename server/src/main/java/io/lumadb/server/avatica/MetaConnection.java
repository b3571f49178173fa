package io.lumadb.server.avatica;

import io.lumadb.sql.LumaException;
import io.lumadb.sql.Session;
import io.lumadb.sql.SqlEngine;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * One Avatica connection: a LumaDB session and a thread of its own. Every request of the
 * connection runs its session work on that thread, one at a time, as pgwire does: a session is
 * not thread-safe, and the engine binds a statement's cancellation to the thread that computes
 * and fetches its rows (HTTP requests of one connection arrive on any of Jetty's threads).
 */
final class MetaConnection {
  final String id;
  final String user;
  final Map<Integer, MetaStatement> statements = new ConcurrentHashMap<>();
  final ConnectionPropertiesImpl properties =
      new ConnectionPropertiesImpl(true, false, Connection.TRANSACTION_READ_COMMITTED, "default", "public");
  private final ThreadPoolExecutor thread;
  private final AtomicInteger busy = new AtomicInteger();
  private volatile long lastUsedNanos = System.nanoTime();
  private volatile Session session; // used on the connection's thread, except cancel

  private MetaConnection(String id, String user) {
    this.id = id;
    this.user = user;
    AtomicInteger n = new AtomicInteger();
    // the thread goes after a minute without work and comes back with the next request
    this.thread = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "lumadb-avatica-" + Integer.toHexString(id.hashCode()) + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    thread.allowCoreThreadTimeOut(true);
  }

  /** Opens the connection and its session for {@code user}. */
  static MetaConnection open(String id, String user, SqlEngine engine, Map<String, String> settings) {
    MetaConnection c = new MetaConnection(id, user);
    try {
      c.run(() -> {
        c.session = engine.openSession(user, "avatica", settings);
        return null;
      });
    } catch (RuntimeException e) {
      c.thread.shutdown();
      throw e;
    }
    return c;
  }

  /** The session; call from {@link #run} work only. */
  Session session() {
    return session;
  }

  /**
   * Runs {@code work} on the connection's thread and waits for it; errors come back as
   * Avatica errors carrying LumaDB's SQLSTATE.
   */
  <T> T run(Callable<T> work) {
    return run(work, null);
  }

  /** @param sql the statement the work runs, for error messages (syntax errors name the token) */
  <T> T run(Callable<T> work, String sql) {
    busy.incrementAndGet();
    lastUsedNanos = System.nanoTime();
    try {
      Future<T> f = thread.submit(work);
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (session != null) {
          session.cancel();
        }
        throw AvaticaErrors.toAvatica(new LumaException("57014", "canceling statement: the request was interrupted"));
      } catch (ExecutionException e) {
        throw AvaticaErrors.translate(e.getCause(), sql);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new AvaticaRuntimeException("connection " + id + " is closed", 0, "08003",
          org.apache.calcite.avatica.AvaticaSeverity.ERROR);
    } finally {
      lastUsedNanos = System.nanoTime();
      busy.decrementAndGet();
    }
  }

  /** True when no request is running and none came for {@code nanos}. */
  boolean idleFor(long nanos) {
    return busy.get() == 0 && System.nanoTime() - lastUsedNanos > nanos;
  }

  /** Stops a running statement, closes every statement and the session, then lets the thread end. */
  void close() {
    Session running = session;
    if (running != null) {
      running.cancel(); // a statement still computing stops at its next scan check (57014)
    }
    try {
      run(() -> {
        statements.values().forEach(MetaStatement::close);
        statements.clear();
        if (session != null) {
          session.close();
          session = null;
        }
        return null;
      });
    } catch (RuntimeException ignored) {
      // closing is best effort: the session goes with its Calcite connection either way
    } finally {
      thread.shutdown(); // never shutdownNow(): an interrupt would close the WAL's FileChannel
    }
  }
}
