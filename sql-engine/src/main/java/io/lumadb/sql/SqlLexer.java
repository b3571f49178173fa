package io.lumadb.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits PostgreSQL-flavoured SQL text into tokens. It knows just enough of the lexical
 * grammar (strings, E'' strings, dollar quotes, quoted identifiers, nested comments, $n
 * parameters) to split scripts into statements and rewrite parameters safely.
 */
public final class SqlLexer {
  /** What a token is. */
  public enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PARAM, OPERATOR, SEMICOLON, COMMENT, SPACE }

  /** One token; {@code start}/{@code end} are offsets into the lexed text. */
  public record Token(Kind kind, String text, int start, int end) {
    public boolean isWord(String w) {
      return kind == Kind.WORD && text.equalsIgnoreCase(w);
    }

    public boolean isSignificant() {
      return kind != Kind.COMMENT && kind != Kind.SPACE;
    }

    /** For PARAM tokens: the parameter number n of $n. */
    public int paramNumber() {
      return Integer.parseInt(text.substring(1));
    }
  }

  private SqlLexer() {}

  public static List<Token> lex(String sql) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      Kind kind;
      if (Character.isWhitespace(c)) {
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
          i++;
        }
        kind = Kind.SPACE;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        kind = Kind.COMMENT;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int depth = 0;
        while (i < n) {
          if (sql.startsWith("/*", i)) {
            depth++;
            i += 2;
          } else if (sql.startsWith("*/", i)) {
            depth--;
            i += 2;
            if (depth == 0) {
              break;
            }
          } else {
            i++;
          }
        }
        if (depth != 0) {
          throw new LumaException(ErrorCode.E003, "unterminated /* comment");
        }
        kind = Kind.COMMENT;
      } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
        boolean escapes = c != '\'';
        i = endOfString(sql, escapes ? i + 1 : i, escapes);
        kind = Kind.STRING;
      } else if (c == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new LumaException(ErrorCode.E003, "unterminated quoted identifier");
          }
          if (sql.charAt(i) == '"') {
            if (i + 1 < n && sql.charAt(i + 1) == '"') {
              i += 2;
              continue;
            }
            i++;
            break;
          }
          i++;
        }
        kind = Kind.QUOTED_IDENT;
      } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
        i++;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
        kind = Kind.PARAM;
      } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
        int tagEnd = dollarTagEnd(sql, i);
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        if (close < 0) {
          throw new LumaException(ErrorCode.E003, "unterminated dollar-quoted string");
        }
        i = close + tag.length();
        kind = Kind.STRING;
      } else if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
            || sql.charAt(i) == '$')) {
          i++;
        }
        kind = Kind.WORD;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.'
            || ((sql.charAt(i) == '+' || sql.charAt(i) == '-')
                && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')))) {
          i++;
        }
        kind = Kind.NUMBER;
      } else if (c == ';') {
        i++;
        kind = Kind.SEMICOLON;
      } else {
        i++;
        if (i < n && isOperatorPair(c, sql.charAt(i))) {
          i++;
        }
        kind = Kind.OPERATOR;
      }
      out.add(new Token(kind, sql.substring(start, i), start, i));
    }
    return out;
  }

  private static boolean isOperatorPair(char a, char b) {
    return (a == ':' && b == ':') || (a == '<' && (b == '=' || b == '>')) || (a == '>' && b == '=')
        || (a == '!' && b == '=') || (a == '|' && b == '|');
  }

  private static int endOfString(String sql, int quote, boolean backslashEscapes) {
    int i = quote + 1;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
        continue;
      }
      if (c == '\'') {
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    throw new LumaException(ErrorCode.E003, "unterminated quoted string");
  }

  /** If a dollar-quote tag ($$ or $tag$) starts at i, the offset after it; else -1. */
  private static int dollarTagEnd(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' ? j + 1 : -1;
  }

  /**
   * Splits a script into statements at top-level semicolons. Statements that hold only
   * spaces and comments are dropped.
   */
  public static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (Token t : lex(sql)) {
      if (t.kind() == Kind.SEMICOLON) {
        if (start >= 0) {
          out.add(sql.substring(start, t.start()).strip());
        }
        start = -1;
      } else if (t.isSignificant() && start < 0) {
        start = t.start();
      }
    }
    if (start >= 0) {
      out.add(sql.substring(start).strip());
    }
    return out;
  }

  /** The significant tokens of a statement. */
  public static List<Token> significant(String sql) {
    return lex(sql).stream().filter(Token::isSignificant).toList();
  }

  /** The text of a string token without quotes, escapes resolved. */
  public static String stringValue(Token t) {
    String s = t.text();
    if (s.startsWith("$")) {
      int tagEnd = s.indexOf('$', 1) + 1;
      return s.substring(tagEnd, s.length() - tagEnd);
    }
    if (s.charAt(0) == 'E' || s.charAt(0) == 'e') {
      return unescapeBackslashes(s.substring(2, s.length() - 1));
    }
    return s.substring(1, s.length() - 1).replace("''", "'");
  }

  private static String unescapeBackslashes(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
        b.append('\'');
        i++;
      } else if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        b.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case 'b' -> '\b';
          case 'f' -> '\f';
          default -> e;
        });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** An identifier as stored: unquoted folds to lower case, quoted keeps its case. */
  public static String identifier(Token t) {
    return switch (t.kind()) {
      case QUOTED_IDENT -> t.text().substring(1, t.text().length() - 1).replace("\"\"", "\"");
      case WORD -> t.text().toLowerCase(java.util.Locale.ROOT);
      default -> throw new LumaException(
          ErrorCode.E003, "syntax error at or near \"" + t.text() + "\"");
    };
  }

  /** Quotes an identifier for Calcite (and PostgreSQL). */
  public static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** Quotes a string literal. */
  public static String quoteString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
