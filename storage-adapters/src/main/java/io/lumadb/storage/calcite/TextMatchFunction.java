package io.lumadb.storage.calcite;

import io.lumadb.storage.index.InvertedIndex;
import java.util.HashSet;
import java.util.List;

/**
 * SQL function {@code text_match(column, 'words')}: true when the text holds every word of the
 * query (case-insensitive, whole words, as the inverted index tokenizes). A scan of a table
 * that indexes the column answers it from the index; elsewhere it is evaluated row by row,
 * with the same result.
 */
public final class TextMatchFunction {
  public static final String NAME = "text_match";

  private TextMatchFunction() {}

  public static Boolean eval(String text, String query) {
    if (text == null || query == null) {
      return null;
    }
    List<String> wanted = InvertedIndex.tokenize(query);
    if (wanted.isEmpty()) {
      return false;
    }
    return new HashSet<>(InvertedIndex.tokenize(text)).containsAll(wanted);
  }
}
