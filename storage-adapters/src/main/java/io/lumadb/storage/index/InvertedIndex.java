package io.lumadb.storage.index;

import java.io.ByteArrayOutputStream;
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
import java.util.TreeMap;
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
  private final Map<String, RoaringBitmap> postings = new TreeMap<>();
  private int documents;

  /** Splits text into lower-case terms of letters and digits. */
  public static List<String> tokenize(String text) {
    List<String> terms = new ArrayList<>();
    if (text == null) {
      return terms;
    }
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        terms.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
    }
    return terms;
  }

  /** Indexes the terms of {@code text} under document id {@code docId} (non-negative). */
  public void addDocument(int docId, String text) {
    if (docId < 0) {
      throw new IllegalArgumentException("document ids are non-negative, got " + docId);
    }
    for (String term : tokenize(text)) {
      postings.computeIfAbsent(term, t -> new RoaringBitmap()).add(docId);
    }
    documents++;
  }

  /** Documents holding the term (after the same normalization as indexed text). */
  public RoaringBitmap search(String term) {
    List<String> t = tokenize(term);
    if (t.size() != 1) {
      return t.isEmpty() ? new RoaringBitmap() : searchAnd(t);
    }
    RoaringBitmap b = postings.get(t.get(0));
    return b == null ? new RoaringBitmap() : b.clone();
  }

  /** Documents holding every one of the terms. No terms: no documents. */
  public RoaringBitmap searchAnd(Collection<String> terms) {
    RoaringBitmap result = null;
    for (String raw : terms) {
      for (String term : tokenize(raw)) {
        RoaringBitmap b = postings.get(term);
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
        RoaringBitmap b = postings.get(term);
        if (b != null) {
          result.or(b);
        }
      }
    }
    return result;
  }

  public int termCount() {
    return postings.size();
  }

  public int documentCount() {
    return documents;
  }

  public void writeTo(OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeInt(MAGIC);
    out.writeInt(documents);
    out.writeInt(postings.size());
    for (Map.Entry<String, RoaringBitmap> e : postings.entrySet()) {
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
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    writeTo(buf);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(buf.toByteArray()));
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
