package dev.baton.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads job data stored by Quartz with {@code useProperties=true}: a {@link Properties} text. A
 * serialized Java object (what stock Quartz writes without that setting) is refused, never read.
 */
public final class JobData {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Java serialization's stream magic, 0xACED. */
  private static final byte MAGIC_0 = (byte) 0xAC;

  private static final byte MAGIC_1 = (byte) 0xED;

  private JobData() {}

  public static boolean isSerializedJavaObject(byte[] bytes) {
    return bytes != null && bytes.length >= 2 && bytes[0] == MAGIC_0 && bytes[1] == MAGIC_1;
  }

  /** The first bytes of every serialized Java object, for SQL that tells such data apart. */
  public static byte[] magic() {
    return new byte[] {MAGIC_0, MAGIC_1};
  }

  /** Refusal message shared by every place that meets a serialized blob. */
  public static String refusal(String where) {
    return where
        + " holds a serialized Java object (written by Quartz without useProperties=true). Baton"
        + " never deserializes Java objects from the database; convert it with 'baton"
        + " migrate-quartz' (QuartzDataMigration) or re-register the task with string data.";
  }

  /** Why a task whose data (or a trigger's) is a serialized Java object never runs. */
  static String notRunnable(String where) {
    return where
        + " is a serialized Java object (stored by Quartz without useProperties=true), which Baton"
        + " never deserializes: its triggers are never acquired until it is converted with 'baton"
        + " migrate-quartz' (QuartzDataMigration)";
  }

  /**
   * Job data as Quartz stores it with {@code useProperties=true} ({@code StdJDBCDelegate}'s {@code
   * serializeProperties}): {@link Properties} text (ISO-8859-1, {@code \\u} escapes) after an empty
   * comment, a null value stored as empty; anything but string keys and values is refused, as
   * Quartz refuses it. Written here as {@link Properties#store} writes it, without its date comment
   * and without the buffers it builds per call: registration stores one per task.
   */
  public static byte[] store(Map<String, ?> data) throws IOException {
    StringBuilder out = new StringBuilder(2 + 24 * data.size());
    out.append("#\n");
    for (Map.Entry<String, ?> e : data.entrySet()) {
      Object value = e.getValue() == null ? "" : e.getValue();
      if (!(value instanceof String s)) {
        throw new IOException("Job data value of key '" + e.getKey() + "' is not a string");
      }
      escape(out, e.getKey(), true);
      out.append('=');
      escape(out, s, false);
      out.append('\n');
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** {@link Properties}' escaping of a key or value, with non-ASCII as {@code \\u} escapes. */
  private static void escape(StringBuilder out, String text, boolean key) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 61 && c < 127) {
        if (c == '\\') out.append('\\');
        out.append(c);
        continue;
      }
      switch (c) {
        case ' ' -> out.append(i == 0 || key ? "\\ " : " ");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\f' -> out.append("\\f");
        case '=', ':', '#', '!' -> out.append('\\').append(c);
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]);
            out.append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  /**
   * Reads job data stored as {@link #store} or Quartz writes it; text holding only comments (no
   * data, what most tasks store) is answered without parsing.
   */
  public static Map<String, String> parse(byte[] bytes, String where) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (bytes == null || bytes.length == 0) return out;
    if (isSerializedJavaObject(bytes)) throw new IOException(refusal(where));
    if (onlyComments(bytes)) return out;
    Properties p = new Properties();
    // Properties.store writes ISO-8859-1 with \\u escapes; reading as Latin-1 is exact.
    p.load(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1));
    for (String key : p.stringPropertyNames()) out.put(key, p.getProperty(key));
    return out;
  }

  /** Whether every line is blank or a comment: {@link Properties} would read no entry. */
  private static boolean onlyComments(byte[] bytes) {
    boolean lineStart = true;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        lineStart = true;
      } else if (lineStart) {
        if (b == '#' || b == '!') {
          while (i + 1 < bytes.length && bytes[i + 1] != '\n' && bytes[i + 1] != '\r') i++;
        } else if (b != ' ' && b != '\t' && b != '\f') {
          return false;
        }
      }
    }
    return true;
  }
}
