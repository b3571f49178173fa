package io.lumadb.storage.calcite;

import org.apache.arrow.memory.AllocationReservation;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The memory a statement's operators hold while it runs: the rows a sort keeps, the groups of a
 * GROUP BY. Each statement gets a budget (see {@link QueryCancellation.Token}): an Arrow child
 * allocator, made when an operator first asks and closed when the last one is done, limited to
 * the per-query limit, under a parent allocator that bounds all statements together. Operators
 * take a {@link Lease} and {@link Lease#grow} it as they keep more; past either limit the
 * statement fails with {@link LimitExceeded} (E002, SQLSTATE 53400), its memory goes back, and
 * the server keeps serving. The operators keep their data on the heap: the allocator does the
 * accounting only (reservations, never buffers).
 */
public final class QueryMemory {
  /** What a lease reserves at a time, so that a growing operator asks the allocator rarely. */
  static final long CHUNK = 1 << 20;

  /** Why a statement was stopped: it needs more memory than it may have. */
  public static final class LimitExceeded extends RuntimeException {
    public LimitExceeded(String message) {
      super(message);
    }
  }

  private final BufferAllocator parent;
  private final long limit;
  private final String name;
  private BufferAllocator allocator;
  private int leases;
  /** Leases held until the statement ends (what Calcite's operators keep; see {@link #held}). */
  private final java.util.List<Lease> held = new java.util.ArrayList<>();

  /**
   * A statement's budget of {@code limit} bytes under {@code parent} (null: no accounting, no
   * limit).
   */
  public QueryMemory(BufferAllocator parent, long limit, String name) {
    this.parent = parent;
    this.limit = limit;
    this.name = name;
  }

  /** A lease of the statement running on this thread (unlimited when it has no budget). */
  public static Lease lease(String operator) {
    QueryCancellation.Token t = QueryCancellation.current();
    QueryMemory m = t == null ? null : t.memory();
    return m == null || m.parent == null ? new Lease(null, operator) : m.open(operator);
  }

  /**
   * A lease of the statement running on this thread for memory an operator keeps until the
   * statement ends rather than until it is done itself (a hash join's lookup outlives the reading
   * of its build side): closed by {@link #releaseHeld}.
   */
  public static Lease held(String operator) {
    Lease lease = lease(operator);
    if (lease.memory != null) {
      synchronized (lease.memory) {
        lease.memory.held.add(lease);
      }
    }
    return lease;
  }

  /** Closes the leases held until the end of the statement (it ended, or failed). */
  public void releaseHeld() {
    java.util.List<Lease> all;
    synchronized (this) {
      all = new java.util.ArrayList<>(held);
      held.clear();
    }
    all.forEach(Lease::close);
  }

  private synchronized Lease open(String operator) {
    if (allocator == null) {
      allocator = parent.newChildAllocator(name, 0, limit);
    }
    leases++;
    return new Lease(this, operator);
  }

  private synchronized AllocationReservation reservation() {
    return allocator.newReservation();
  }

  private synchronized void done() {
    if (--leases == 0) {
      allocator.close();
      allocator = null;
    }
  }

  /** The per-query limit, for messages. */
  long limit() {
    return limit;
  }

  /** One operator's share of the statement's memory; close it when the operator is done. */
  public static final class Lease implements AutoCloseable {
    private final QueryMemory memory;
    private final String operator;
    private AllocationReservation reservation;
    private long used;
    private long reserved;
    private boolean closed;

    private Lease(QueryMemory memory, String operator) {
      this.memory = memory;
      this.operator = operator;
    }

    /** Counts {@code bytes} more held by the operator; throws when that passes a limit. */
    public void grow(long bytes) {
      used += bytes;
      if (memory == null || used <= reserved) {
        return;
      }
      if (reservation == null) {
        reservation = memory.reservation();
      }
      while (used > reserved) {
        if (!reservation.add(CHUNK)) {
          throw new LimitExceeded("the " + operator + " of this query needs more memory than it may use ("
              + "query_memory_limit is " + memory.limit() + " bytes, and all queries together get at most "
              + memory.parent.getLimit() + "); reduce the rows it keeps (filter, aggregate or LIMIT first)"
              + " or raise [storage] query_memory_limit");
        }
        reserved += CHUNK;
      }
    }

    /** Bytes counted so far. */
    public long used() {
      return used;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (reservation != null) {
        reservation.close();
      }
      if (memory != null) {
        memory.done();
      }
    }
  }
}
