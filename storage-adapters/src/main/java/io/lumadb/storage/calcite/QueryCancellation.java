package io.lumadb.storage.calcite;

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
