package io.linkflow.expressions;

/**
 * Just enough of JSONata's lexical structure to find where a {@code {{ … }}} ends and to accept
 * n8n-style member access: string literals ({@code "…"}, {@code '…'} with backslash escapes),
 * backtick names, {@code /* … *}{@code /} comments and regular expressions are skipped as a whole,
 * so a {@code }}} inside any of them does not close the expression.
 */
final class Lexer {

  private Lexer() {}

  /** Thrown by the scanners; {@code position} is an offset in the scanned string. */
  static final class LexError extends RuntimeException {
    final int position;

    LexError(String message, int position) {
      super(message, null, false, false);
      this.position = position;
    }
  }

  /**
   * The index of the {@code }}} that closes an expression starting at {@code from}: the first
   * {@code }}} outside literals and outside JSONata object braces. -1 if there is none.
   *
   * @throws LexError for an unterminated string literal, backtick name or comment
   */
  static int findClose(String s, int from) {
    int depth = 0;
    int prev = -1; // index of the last significant character
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int after = skipLiteral(s, i, prev, from);
      if (after != i) {
        prev = after - 1;
        i = after;
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (depth > 0) {
          depth--;
        } else if (i + 1 < s.length() && s.charAt(i + 1) == '}') {
          return i;
        }
      }
      prev = i;
      i++;
    }
    return -1;
  }

  /**
   * Rewrites {@code x["name"]} and {@code x['name']} to {@code x.`name`} (same length, so positions
   * in JSONata's errors stay valid). In plain JSONata a constant string predicate is a no-op
   * filter, so {@code $node["Set Fields"]} would return all nodes; workflow authors mean the
   * member. An array constructor ({@code in ["a", "b"]}, {@code := ["a"]}) is left alone.
   *
   * @throws LexError for a name with a backslash or a backtick (use {@code $lookup(x, "…")})
   */
  static String rewriteMemberAccess(String s) {
    char[] out = null;
    int prev = -1;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int after = skipLiteral(s, i, prev, 0);
      if (after != i) {
        prev = after - 1;
        i = after;
        continue;
      }
      if (c == '[' && operandBefore(s, prev, 0)) {
        int q = skipSpace(s, i + 1);
        if (q < s.length() && (s.charAt(q) == '"' || s.charAt(q) == '\'')) {
          int end = skipString(s, q);
          int close = end < 0 ? -1 : skipSpace(s, end);
          if (close >= 0 && close < s.length() && s.charAt(close) == ']' && end - q > 2) {
            String name = s.substring(q + 1, end - 1);
            if (name.indexOf('\\') >= 0 || name.indexOf('`') >= 0) {
              throw new LexError(
                  "a name with \\ or ` cannot be written as [\"…\"]; use $lookup(value, \"…\")", q);
            }
            if (out == null) {
              out = s.toCharArray();
            }
            out[i] = '.';
            out[q] = '`';
            out[end - 1] = '`';
            out[close] = ' ';
            prev = close;
            i = close + 1;
            continue;
          }
        }
      }
      prev = i;
      i++;
    }
    return out == null ? s : new String(out);
  }

  /**
   * If a string literal, backtick name, comment or regular expression starts at {@code i}, the
   * index just after it; otherwise {@code i}.
   */
  private static int skipLiteral(String s, int i, int prev, int from) {
    char c = s.charAt(i);
    if (c == '"' || c == '\'') {
      int end = skipString(s, i);
      if (end < 0) {
        throw new LexError("unterminated string literal", i);
      }
      return end;
    }
    if (c == '`') {
      int end = s.indexOf('`', i + 1);
      if (end < 0) {
        throw new LexError("unterminated `name`", i);
      }
      return end + 1;
    }
    if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
      int end = s.indexOf("*/", i + 2);
      if (end < 0) {
        throw new LexError("unterminated comment /*", i);
      }
      return end + 2;
    }
    if (c == '/' && !operandBefore(s, prev, from)) {
      // A regular expression: /…/flags. If it does not end, leave the error to JSONata.
      for (int j = i + 1; j < s.length(); j++) {
        char r = s.charAt(j);
        if (r == '\\') {
          j++;
        } else if (r == '/') {
          j++;
          while (j < s.length() && Character.isLetter(s.charAt(j))) {
            j++;
          }
          return j;
        } else if (r == '\n') {
          break;
        }
      }
    }
    return i;
  }

  /** Index just after the closing quote of the string literal at {@code i}; -1 if unterminated. */
  private static int skipString(String s, int i) {
    char quote = s.charAt(i);
    for (int j = i + 1; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == quote) {
        return j + 1;
      }
    }
    return -1;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Whether the significant character at {@code prev} ends an operand (value, path, call). */
  private static boolean operandBefore(String s, int prev, int from) {
    if (prev < from) {
      return false;
    }
    char c = s.charAt(prev);
    if (c == ')' || c == ']' || c == '}' || c == '`' || c == '"' || c == '\'') {
      return true;
    }
    if (!isNameChar(c)) {
      return false;
    }
    int start = prev;
    while (start > from && isNameChar(s.charAt(start - 1))) {
      start--;
    }
    String word = s.substring(start, prev + 1);
    return !(word.equals("and") || word.equals("or") || word.equals("in"));
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
