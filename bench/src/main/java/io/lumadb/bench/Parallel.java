package io.lumadb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Runs work items on a number of writer threads that take the next item as they finish one. */
final class Parallel {
  /** Per-thread work: called once per item, with the thread's own context. */
  interface Worker<C, T> {
    void accept(C context, T item) throws Exception;
  }

  /** Creates one thread's context (a connection, an appender) on that thread. */
  interface ContextFactory<C> {
    C open() throws Exception;
  }

  private Parallel() {}

  /**
   * Processes {@code items} with {@code threads} threads and returns the wall time in seconds
   * from the moment every thread has opened its context until the last item is done. Contexts
   * are opened and closed on their own thread (DuckDB's appender insists), outside the timing.
   */
  static <C extends AutoCloseable, T> double run(int threads, List<T> items,
      ContextFactory<C> contexts, Worker<C, T> worker) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong lastDone = new AtomicLong(Long.MIN_VALUE);
    CyclicBarrier ready = new CyclicBarrier(threads + 1);
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      ts.add(new Thread(() -> {
        C ctx = null;
        try {
          try {
            ctx = contexts.open();
          } finally {
            ready.await();
          }
          for (int k = next.getAndIncrement(); k < items.size() && failure.get() == null;
              k = next.getAndIncrement()) {
            worker.accept(ctx, items.get(k));
          }
          lastDone.accumulateAndGet(System.nanoTime(), Math::max);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        } finally {
          if (ctx != null) {
            try {
              ctx.close();
            } catch (Exception e) {
              failure.compareAndSet(null, e);
            }
          }
        }
      }, "bench-writer-" + i));
    }
    ts.forEach(Thread::start);
    ready.await();
    long start = System.nanoTime();
    for (Thread t : ts) {
      t.join();
    }
    Throwable e = failure.get();
    if (e != null) {
      if (e instanceof Exception ex) {
        throw ex;
      }
      throw new RuntimeException(e);
    }
    return (lastDone.get() - start) / 1e9;
  }

  /** A context for workers that need none. */
  static final class None implements AutoCloseable {
    static final None INSTANCE = new None();

    @Override
    public void close() {}
  }
}
