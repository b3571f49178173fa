package io.lumadb.sql;

/**
 * The text and CSV formats of PostgreSQL's COPY.
 *
 * @param csv CSV (quotes, comma) rather than text (tabs, backslash escapes)
 * @param delimiter field separator
 * @param nullString how NULL is written ({@code \N} in text, empty in CSV)
 * @param header CSV only: the first line names the columns (skipped on input)
 */
public record CopyFormat(boolean csv, char delimiter, String nullString, boolean header) {
  public static final CopyFormat TEXT = new CopyFormat(false, '\t', "\\N", false);
  public static final CopyFormat CSV = new CopyFormat(true, ',', "", false);

  /** One row as a line (with the trailing newline). */
  public String formatRow(String[] values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(delimiter);
      }
      String v = values[i];
      if (v == null) {
        b.append(nullString);
      } else if (csv) {
        boolean quote = v.isEmpty() || v.indexOf(delimiter) >= 0 || v.indexOf('"') >= 0
            || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.equals(nullString);
        b.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
      } else {
        for (int k = 0; k < v.length(); k++) {
          char c = v.charAt(k);
          switch (c) {
            case '\\' -> b.append("\\\\");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
              if (c == delimiter) {
                b.append('\\');
              }
              b.append(c);
            }
          }
        }
      }
    }
    return b.append('\n').toString();
  }
}
