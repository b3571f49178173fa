package io.lumadb.storage.calcite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets a running query be stopped: the session marks the thread that runs (and fetches) a
 * statement, and LumaDB's scans check the mark every few thousand rows. The mark also carries
 * the statement's memory budget ({@link QueryMemory}) and, for a query whose plan is one scan,
 * the vectors its result is read from ({@link ResultVectors}). Calcite's own operators do not
 * check for cancellation, but every query reads its rows through a scan.
 */
public final class QueryCancellation {
  /** Why a query was stopped; the message a client sees. */
  public static final class CanceledException extends RuntimeException {
    public CanceledException(String reason) {
      super(reason);
    }
  }

  /** A statement's switch: null while it may run, else the reason to stop; and its memory budget. */
  public static final class Token {
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final QueryMemory memory;
    /** The vectors of a result whose plan is one scan, offered when it starts; taken by the front end. */
    private ResultVectors result;
    /** The statement's row scans that hold a snapshot and are not closed yet. */
    private final java.util.Set<AutoCloseable> openScans =
        java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

    /** A statement without a memory budget (its operators' memory is not limited). */
    public Token() {
      this(null);
    }

    public Token(QueryMemory memory) {
      this.memory = memory;
    }

    /** The statement's memory budget, or null. */
    public QueryMemory memory() {
      return memory;
    }

    /** Gives back what the statement's operators held until its end (it ended, or failed). */
    public void releaseHeld() {
      if (memory != null) {
        memory.releaseHeld();
      }
    }

    /**
     * Closes the statement's scans that are still open: when a statement fails before its
     * result set exists (Calcite's first row throws), no one else closes them, and their
     * snapshots would keep hot segments' memory forever.
     */
    public void closeScans() {
      List<AutoCloseable> open;
      synchronized (openScans) {
        open = new ArrayList<>(openScans);
        openScans.clear();
      }
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception e) {
          // a scan's close only closes its snapshot; nothing else to do
        }
      }
    }

    public void cancel(String why) {
      reason.compareAndSet(null, why);
    }

    public String reason() {
      return reason.get();
    }
  }

  private static final ThreadLocal<Token> CURRENT = new ThreadLocal<>();

  private QueryCancellation() {}

  /** The statement about to run on this thread (its rows are fetched on this thread too). */
  public static void bind(Token token) {
    CURRENT.set(token);
  }

  /** The statement running on this thread, or null. */
  public static Token current() {
    return CURRENT.get();
  }

  /** Records a scan that holds a snapshot until it is closed ({@link Token#closeScans}). */
  static void opened(AutoCloseable scan) {
    Token t = CURRENT.get();
    if (t != null) {
      t.openScans.add(scan);
    }
  }

  /** A scan recorded by {@link #opened} closed itself. */
  static void closed(AutoCloseable scan) {
    Token t = CURRENT.get();
    if (t != null) {
      t.openScans.remove(scan);
    }
  }

  /** Offers the statement's result as vectors (called when the root scan of its plan starts). */
  static void offerResult(ResultVectors vectors) {
    Token t = CURRENT.get();
    if (t != null) {
      t.result = vectors;
    }
  }

  /**
   * The vectors of the result of the query that last started on this thread, when its plan is
   * one LumaDB scan, or null; either way the offer is cleared. A front end calls it once before
   * executing a query (to drop an older offer) and once after, and if it gets vectors it reads
   * the rows from them and not from Calcite's result set.
   */
  public static ResultVectors takeResult() {
    Token t = CURRENT.get();
    if (t == null) {
      return null;
    }
    ResultVectors r = t.result;
    t.result = null;
    return r;
  }

  static void check() {
    Token t = CURRENT.get();
    if (t != null) {
      String why = t.reason();
      if (why != null) {
        throw new CanceledException(why);
      }
    }
  }
}
