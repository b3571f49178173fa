package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import io.lumadb.storage.TableSnapshot;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one scan on several threads: the statement's own thread and workers of a shared pool
 * (one per core beyond the first) take the parts of one snapshot from a common iterator, each
 * into a {@link Worker} of its own (its own filter, whose kernels keep per-part state, and its
 * own partial result), which the caller merges afterwards. The workers run with the statement's
 * cancellation token and memory budget. A worker still queued when the parts run out is never
 * started (so a busy pool only makes a scan less parallel, never stuck); the first failure stops
 * the others and is thrown to the caller.
 */
final class ParallelScan {
  /** One thread's share of the scan: its plan (filters), buffers, and what it does with a part. */
  record Worker(ScanPlan plan, Grouping.Scratch scratch, ScanPlan.PartConsumer consumer) {}

  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, CORES - 1), r -> {
    Thread t = new Thread(r, "lumadb-scan-worker-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  /** Rows a table needs before its scans are split (below it a thread hand-off costs more than it saves). */
  static final long MIN_ROWS = 200_000;

  /** For tests: this many threads for every scan that can split (0: by size and cores). */
  static volatile int forcedThreads;

  private ParallelScan() {}

  /** How many threads should scan {@code table}: one per core for a large table, else one. */
  static int threadsFor(LumaTable table) {
    int forced = forcedThreads;
    return forced > 0 ? forced : CORES > 1 && table.rowCount() >= MIN_ROWS ? CORES : 1;
  }

  /** Runs the scan of {@code table} by {@code workers} (the first on this thread) over {@code plan}'s parts. */
  static void run(LumaTable table, ScanPlan plan, List<Worker> workers) {
    QueryCancellation.Token token = QueryCancellation.current();
    AtomicBoolean failed = new AtomicBoolean();
    try (TableSnapshot snapshot = table.snapshot()) {
      Iterator<TableSnapshot.Part> parts = snapshot.scan(plan.spec(), plan.start(table));
      Object lock = new Object();
      long[] taken = {0};
      java.util.function.Supplier<Taken> next = () -> {
        synchronized (lock) { // a warm part is decoded as it is taken
          return !failed.get() && parts.hasNext() ? new Taken(parts.next(), taken[0]++) : null;
        }
      };
      // A task claims itself when it starts; what the caller claims first never runs. (A
      // FutureTask's cancel(false) also "succeeds" on a running task, so it cannot tell.)
      List<Future<?>> started = new ArrayList<>();
      List<AtomicBoolean> claims = new ArrayList<>();
      for (int w = 1; w < workers.size(); w++) {
        Worker worker = workers.get(w);
        AtomicBoolean claim = new AtomicBoolean();
        claims.add(claim);
        started.add(POOL.submit(() -> {
          if (!claim.compareAndSet(false, true)) {
            return;
          }
          QueryCancellation.bind(token);
          try {
            drain(worker, next);
          } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
          } finally {
            QueryCancellation.bind(null);
          }
        }));
      }
      Throwable failure = null;
      try {
        drain(workers.get(0), next);
      } catch (RuntimeException | Error e) {
        failed.set(true);
        failure = e;
      }
      for (int i = 0; i < started.size(); i++) {
        if (claims.get(i).compareAndSet(false, true)) {
          continue; // never started, and now never will
        }
        // A started worker reads the snapshot: wait for it even when interrupted (the others
        // stop at their next part once "failed" is set).
        boolean interrupted = false;
        while (true) {
          try {
            started.get(i).get();
            break;
          } catch (ExecutionException e) {
            failure = failure == null ? e.getCause() : failure;
            break;
          } catch (InterruptedException e) {
            interrupted = true;
            failed.set(true);
            failure = failure == null ? new QueryCancellation.CanceledException("canceling statement: interrupted") : failure;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (failure instanceof RuntimeException re) {
        throw re;
      }
      if (failure instanceof Error err) {
        throw err;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    }
  }

  /** A part and its place in the scan's order (0, 1, ...). */
  private record Taken(TableSnapshot.Part part, long ordinal) {}

  private static void drain(Worker w, java.util.function.Supplier<Taken> next) {
    for (Taken t = next.get(); t != null; t = next.get()) {
      QueryCancellation.check();
      TableSnapshot.Part p = t.part();
      w.scratch().part = t.ordinal();
      w.scratch().ensure(p.rowCount());
      int m = w.plan().select(p.columns(), p.rowCount(), w.scratch().sel);
      w.consumer().accept(p.columns(), w.scratch().sel, m);
    }
  }
}
