package io.lumadb.storage.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.HashMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * A full-text index: each term maps to the set of document ids (row numbers) whose text
 * holds it, as a Roaring bitmap. Text is split into terms at every character that is not a
 * letter or digit and lower-cased, so "Hello, World!" holds the terms "hello" and "world".
 *
 * <pre>{@code
 * InvertedIndex idx = new InvertedIndex();
 * idx.addDocument(1, "hello world rust");
 * idx.addDocument(2, "hello java");
 * RoaringBitmap both = idx.searchAnd(List.of("hello", "rust")); // {1}
 * }</pre>
 *
 * <p>Not thread-safe while documents are added; searching a finished index from many threads
 * is safe.
 */
public final class InvertedIndex {
  private static final int MAGIC = 0x4C494458; // "LIDX"
  /** Terms and their documents: after loading, or once the documents added are searched or written. */
  private Map<String, RoaringBitmap> postings = new HashMap<>();
  /** Documents being added (null once frozen into {@link #postings}). */
  private Builder builder = new Builder();
  private int documents;

  /** Splits text into lower-case terms of letters and digits. */
  public static List<String> tokenize(String text) {
    List<String> terms = new ArrayList<>();
    scan(text, (t, start, end, ascii) -> terms.add(term(t, start, end, ascii)));
    return terms;
  }

  /** Where {@link #scan} hands each term: its place in the text, and whether it is all ASCII. */
  private interface TokenSink {
    void token(String text, int start, int end, boolean ascii);
  }

  /**
   * Finds the terms of {@code text} (null: none), in order, repeats included: runs of
   * characters that are letters or digits ({@link Character#isLetterOrDigit(char)}).
   */
  private static void scan(String text, TokenSink sink) {
    if (text == null) {
      return;
    }
    int start = -1;
    int len = text.length();
    boolean ascii = true;
    for (int i = 0; i <= len; i++) {
      char ch = i < len ? text.charAt(i) : ' ';
      boolean word = ch < 128 ? (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
          : Character.isLetterOrDigit(ch);
      if (word && start < 0) {
        start = i;
        ascii = true;
      }
      if (word) {
        ascii &= ch < 128;
      } else if (start >= 0) {
        sink.token(text, start, i, ascii);
        start = -1;
      }
    }
  }

  /** The term {@code text[start, end)} lower-cased (Locale.ROOT). */
  private static String term(String text, int start, int end, boolean ascii) {
    if (!ascii) {
      return text.substring(start, end).toLowerCase(Locale.ROOT);
    }
    byte[] b = new byte[end - start]; // lower-cased while copied: one String, no second pass
    for (int k = 0; k < b.length; k++) {
      b[k] = (byte) lower(text.charAt(start + k));
    }
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** Indexes the terms of {@code text} under document id {@code docId} (non-negative). */
  public void addDocument(int docId, String text) {
    if (docId < 0) {
      throw new IllegalArgumentException("document ids are non-negative, got " + docId);
    }
    if (builder != null) {
      Builder bld = builder;
      scan(text, (t, start, end, ascii) -> bld.add(t, start, end, ascii, docId));
    } else {
      scan(text, (t, start, end, ascii) ->
          postings.computeIfAbsent(term(t, start, end, ascii), k -> new RoaringBitmap()).add(docId));
    }
    documents++;
  }

  /** The postings, with the documents added so far folded in. */
  private synchronized Map<String, RoaringBitmap> postings() {
    if (builder != null) {
      builder.into(postings);
      builder = null;
    }
    return postings;
  }

  /**
   * Terms and (term, document) pairs while documents are added: an open-addressing table of
   * terms whose ASCII terms are looked up straight from the text (no String unless the term is
   * new), and the pairs in two int arrays, grouped into one bitmap per term only at the end.
   * A HashMap of bitmaps made a String, a hash entry and a bitmap insert for every word.
   */
  private static final class Builder {
    private String[] terms = new String[256];
    private int[] termHash = new int[256];
    private int[] lastDoc = new int[256];
    private int termCount;
    private int[] table = new int[512]; // term id + 1, 0 = empty
    private int[] pairTerm = new int[1024];
    private int[] pairDoc = new int[1024];
    private int pairs;

    void add(String text, int start, int end, boolean ascii, int doc) {
      int id;
      if (ascii) {
        int h = 0;
        for (int k = start; k < end; k++) {
          h = 31 * h + lower(text.charAt(k));
        }
        id = find(h, text, start, end, null);
      } else {
        String t = text.substring(start, end).toLowerCase(Locale.ROOT);
        id = find(t.hashCode(), null, 0, 0, t);
      }
      if (lastDoc[id] == doc) {
        return; // a repeated word of the same document
      }
      lastDoc[id] = doc;
      if (pairs == pairTerm.length) {
        pairTerm = java.util.Arrays.copyOf(pairTerm, pairs * 2);
        pairDoc = java.util.Arrays.copyOf(pairDoc, pairs * 2);
      }
      pairTerm[pairs] = id;
      pairDoc[pairs++] = doc;
    }

    /** The id of the term (hash {@code h}): text[start, end) lower-cased, or {@code term}. */
    private int find(int h, String text, int start, int end, String term) {
      int mask = table.length - 1;
      int slot = (h ^ (h >>> 16)) & mask;
      while (true) {
        int e = table[slot];
        if (e == 0) {
          break;
        }
        int id = e - 1;
        if (termHash[id] == h && (term != null ? term.equals(terms[id]) : matches(terms[id], text, start, end))) {
          return id;
        }
        slot = (slot + 1) & mask;
      }
      int id = termCount++;
      if (id == terms.length) {
        terms = java.util.Arrays.copyOf(terms, id * 2);
        termHash = java.util.Arrays.copyOf(termHash, id * 2);
        lastDoc = java.util.Arrays.copyOf(lastDoc, id * 2);
      }
      terms[id] = term != null ? term : term(text, start, end, true);
      termHash[id] = h;
      lastDoc[id] = -1;
      table[slot] = id + 1;
      if (termCount * 2 > table.length) {
        rehash();
      }
      return id;
    }

    private static boolean matches(String key, String text, int start, int end) {
      if (key.length() != end - start) {
        return false;
      }
      for (int k = 0; k < key.length(); k++) {
        if (key.charAt(k) != lower(text.charAt(start + k))) {
          return false;
        }
      }
      return true;
    }

    private void rehash() {
      table = new int[table.length * 2];
      int mask = table.length - 1;
      for (int id = 0; id < termCount; id++) {
        int h = termHash[id];
        int slot = (h ^ (h >>> 16)) & mask;
        while (table[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot] = id + 1;
      }
    }

    /** Where each term's documents start in {@link #grouped}, by term id (termCount + 1 entries). */
    private int[] starts() {
      int[] start = new int[termCount + 1];
      for (int i = 0; i < pairs; i++) {
        start[pairTerm[i] + 1]++;
      }
      for (int t = 0; t < termCount; t++) {
        start[t + 1] += start[t];
      }
      return start;
    }

    /** The documents of all pairs grouped by term (a counting sort, so in the order added). */
    private int[] grouped(int[] start) {
      int[] docs = new int[pairs];
      int[] next = java.util.Arrays.copyOf(start, termCount);
      for (int i = 0; i < pairs; i++) {
        docs[next[pairTerm[i]]++] = pairDoc[i];
      }
      return docs;
    }

    /**
     * The term count and each term with its bitmap, as {@link InvertedIndex#writeTo} writes a
     * map of them, but through one reused bitmap rather than one kept per term.
     */
    void writeTo(DataOutputStream out) throws IOException {
      int[] start = starts();
      int[] docs = grouped(start);
      out.writeInt(termCount);
      RoaringBitmap b = new RoaringBitmap();
      for (int t = 0; t < termCount; t++) {
        b.clear();
        b.addN(docs, start[t], start[t + 1] - start[t]);
        b.runOptimize();
        out.writeUTF(terms[t]);
        b.serialize(out);
      }
    }

    /** Adds the pairs to {@code postings}, one bitmap per term. */
    void into(Map<String, RoaringBitmap> postings) {
      int[] start = starts();
      int[] docs = grouped(start);
      for (int t = 0; t < termCount; t++) {
        RoaringBitmap b = postings.get(terms[t]);
        if (b == null) {
          b = new RoaringBitmap();
          postings.put(terms[t], b);
        }
        b.addN(docs, start[t], start[t + 1] - start[t]);
      }
    }
  }

  /** Documents holding the term (after the same normalization as indexed text). */
  public RoaringBitmap search(String term) {
    List<String> t = tokenize(term);
    if (t.size() != 1) {
      return t.isEmpty() ? new RoaringBitmap() : searchAnd(t);
    }
    RoaringBitmap b = postings().get(t.get(0));
    return b == null ? new RoaringBitmap() : b.clone();
  }

  /** Documents holding every one of the terms. No terms: no documents. */
  public RoaringBitmap searchAnd(Collection<String> terms) {
    RoaringBitmap result = null;
    for (String raw : terms) {
      for (String term : tokenize(raw)) {
        RoaringBitmap b = postings().get(term);
        if (b == null) {
          return new RoaringBitmap();
        }
        result = result == null ? b.clone() : RoaringBitmap.and(result, b);
      }
    }
    return result == null ? new RoaringBitmap() : result;
  }

  /** Documents holding at least one of the terms. */
  public RoaringBitmap searchOr(Collection<String> terms) {
    RoaringBitmap result = new RoaringBitmap();
    for (String raw : terms) {
      for (String term : tokenize(raw)) {
        RoaringBitmap b = postings().get(term);
        if (b != null) {
          result.or(b);
        }
      }
    }
    return result;
  }

  public int termCount() {
    return postings().size();
  }

  public int documentCount() {
    return documents;
  }

  public void writeTo(OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeInt(MAGIC);
    Builder b;
    synchronized (this) {
      b = builder;
    }
    if (b != null && postings.isEmpty()) {
      out.writeInt(documents);
      b.writeTo(out);
      out.flush();
      return;
    }
    Map<String, RoaringBitmap> postings = postings();
    out.writeInt(documents);
    out.writeInt(postings.size());
    for (Map.Entry<String, RoaringBitmap> e : postings.entrySet()) { // any order: read into a map
      out.writeUTF(e.getKey());
      e.getValue().runOptimize();
      e.getValue().serialize(out);
    }
    out.flush();
  }

  public static InvertedIndex readFrom(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    if (in.readInt() != MAGIC) {
      throw new IOException("not an inverted index file");
    }
    InvertedIndex idx = new InvertedIndex();
    idx.builder = null;
    idx.documents = in.readInt();
    int terms = in.readInt();
    for (int i = 0; i < terms; i++) {
      String term = in.readUTF();
      RoaringBitmap b = new RoaringBitmap();
      b.deserialize(in);
      idx.postings.put(term, b);
    }
    return idx;
  }

  /** Writes the index to {@code file} atomically (temporary file, force, rename). */
  public void save(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    io.lumadb.storage.GrowableBytes buf = new io.lumadb.storage.GrowableBytes(1 << 16);
    writeTo(buf);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(buf.array(), 0, buf.size());
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public static InvertedIndex load(Path file) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      return readFrom(in);
    }
  }
}
