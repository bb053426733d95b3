package dev.baton.internal.history;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Size bounds and the text encodings of the history's free-text columns. */
public final class Bounded {
  static final int MAX_MESSAGE = 2000;
  public static final int MAX_STACK_TRACE = 8 * 1024;

  private Bounded() {}

  public static String marker(long cut) {
    return "… [truncated " + cut + " chars]";
  }

  /** {@code s} cut to {@code max} characters plus a notice saying how many were cut. */
  static String cut(String s, int max) {
    if (s == null || s.length() <= max) return s;
    return s.substring(0, max) + marker(s.length() - max);
  }

  static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return cut(out.toString(), MAX_STACK_TRACE);
  }

  /** One {@code key=value} per line; backslash, line breaks and (in keys) '=' are escaped. */
  static String encode(Map<String, String> details) {
    if (details.isEmpty()) return null;
    StringBuilder out = new StringBuilder();
    details.forEach(
        (k, v) -> out.append(escape(k, true)).append('=').append(escape(v, false)).append('\n'));
    return out.toString();
  }

  static Map<String, String> decode(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null) return out;
    StringBuilder key = new StringBuilder();
    StringBuilder value = new StringBuilder();
    StringBuilder current = key;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        current.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else if (c == '=' && current == key) {
        current = value;
      } else if (c == '\n') {
        out.put(key.toString(), value.toString());
        key.setLength(0);
        value.setLength(0);
        current = key;
      } else {
        current.append(c);
      }
    }
    return out;
  }

  private static String escape(String s, boolean key) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '=' -> out.append(key ? "\\=" : "=");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
