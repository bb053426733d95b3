package dev.baton.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
   * serializeProperties}): a {@link Properties} text with an empty comment, a null value stored as
   * empty; anything but string keys and values is refused, as Quartz refuses it.
   */
  public static byte[] store(Map<String, ?> data) throws IOException {
    Properties p = new Properties();
    for (Map.Entry<String, ?> e : data.entrySet()) {
      Object value = e.getValue() == null ? "" : e.getValue();
      if (!(value instanceof String s)) {
        throw new IOException("Job data value of key '" + e.getKey() + "' is not a string");
      }
      p.put(e.getKey(), s);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.store(out, "");
    return out.toByteArray();
  }

  public static Map<String, String> parse(byte[] bytes, String where) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (bytes == null || bytes.length == 0) return out;
    if (isSerializedJavaObject(bytes)) throw new IOException(refusal(where));
    Properties p = new Properties();
    // Properties.store writes ISO-8859-1 with \\u escapes; reading as Latin-1 is exact.
    p.load(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1));
    for (String key : p.stringPropertyNames()) out.put(key, p.getProperty(key));
    return out;
  }
}
