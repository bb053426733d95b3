package dev.baton.scheduling;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.quartz.JobDataMap;

/**
 * Reads a {@code JobDataMap} that stock Quartz stored as a serialized Java object, admitting only
 * the classes such a map of plain values is made of. The one place where Baton deserializes
 * anything, used only by {@link QuartzDataMigration}.
 *
 * <p>Every class named in the stream is checked against {@link #ADMITTED} by name before it is
 * even loaded, and again by a JEP 290 {@link ObjectInputFilter} that also bounds depth, references
 * and size; any other class (a {@code Date}, an enum, a collection, an application class) stops
 * the read before an instance of it exists, and is reported with the key whose value it is. The
 * read stops there: a map with several refused values shows the first.
 */
final class SerializedJobData {
  /** The admitted classes a value may have: they convert to text. */
  static final Set<String> VALUE_TYPES =
      Set.of(
          "java.lang.String",
          "java.lang.Boolean",
          "java.lang.Character",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Short",
          "java.lang.Byte",
          "java.lang.Float",
          "java.lang.Double",
          "java.math.BigDecimal",
          "java.math.BigInteger");

  /** The map classes of a serialized {@code JobDataMap}, and the value types that convert to text. */
  static final Set<String> ADMITTED =
      Stream.concat(
              Stream.of(
                  "org.quartz.JobDataMap",
                  "org.quartz.utils.StringKeyDirtyFlagMap",
                  "org.quartz.utils.DirtyFlagMap",
                  "java.util.HashMap",
                  "java.lang.Number",
                  // A BigInteger's magnitude (a BigDecimal's too, through its BigInteger): an array
                  // of primitives, which runs no code. HashMap writes its entries one by one, no array.
                  "[B"),
              VALUE_TYPES.stream())
          .collect(Collectors.toUnmodifiableSet());

  private static final String PLAIN_ONLY = "only strings, numbers, booleans and characters convert to text";

  /**
   * Not in any stream, only checked: HashMap's readObject asks the filter before it allocates its
   * table ({@code Map.Entry[]}) for the size the stream claims, so that the size is bounded.
   */
  private static final String HASH_MAP_TABLE = "[Ljava.util.Map$Entry;";

  // A JobDataMap (1) holds a HashMap (2) of values (3); a BigDecimal's BigInteger (4) holds its
  // byte array (5). Nothing deeper is a plain value.
  static final int MAX_DEPTH = 5;
  static final int MAX_REFERENCES = 10_000;
  static final int MAX_BYTES = 1 << 20;

  private SerializedJobData() {}

  /** A class the read refused, with the key of the value it belongs to (null if not a value). */
  static final class RefusedClassException extends IOException {
    private final String key;
    private final String className;

    RefusedClassException(String key, String className, String why) {
      super(why);
      this.key = key;
      this.className = className;
    }

    /**
     * The key whose value holds the class: the last string read before it, since a map's keys are
     * read before their values (wrong only if the key's string was written once already in the same
     * map, as an earlier value, and so read as a back-reference); null when no string came first.
     */
    String key() {
      return key;
    }

    /** The refused class's name, or null when a limit was exceeded. */
    String className() {
      return className;
    }
  }

  /**
   * The map's entries in the stored order of the serialized map.
   *
   * @throws RefusedClassException when the stream holds a class outside {@link #ADMITTED} or
   *     exceeds a limit; nothing of that class was instantiated
   * @throws IOException when the bytes are not a serialized {@code JobDataMap}
   */
  static Map<String, Object> read(byte[] bytes) throws IOException {
    if (bytes.length > MAX_BYTES) {
      throw new RefusedClassException(null, null, "serialized data of " + bytes.length
          + " bytes is over the limit of " + MAX_BYTES);
    }
    Filtered in = new Filtered(new ByteArrayInputStream(bytes));
    try (in) {
      Object read = in.readObject();
      if (!(read instanceof JobDataMap map)) {
        throw new IOException("not a serialized JobDataMap but a " + read.getClass().getName());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : map.getWrappedMap().entrySet()) {
        Object v = e.getValue();
        // The map classes are admitted for the map itself, not as values (a map in a map).
        if (v != null && !VALUE_TYPES.contains(v.getClass().getName())) {
          throw new RefusedClassException(e.getKey(), v.getClass().getName(), "refused class "
              + v.getClass().getName() + " (value of key '" + e.getKey() + "'): " + PLAIN_ONLY);
        }
        out.put(e.getKey(), v);
      }
      return out;
    } catch (ClassNotFoundException e) {
      // Only admitted (JDK and Quartz) classes are ever looked up, so this means a broken class path.
      throw new IOException("cannot load an admitted class: " + e.getMessage(), e);
    } catch (InvalidClassException e) {
      // The filter's own refusal (a limit, or a class past the name check) says what it refused.
      if (in.filterRefusal != null) throw in.filterRefusal;
      throw new IOException("unreadable serialized data: " + e.getMessage(), e);
    }
  }

  /** An object stream that refuses every class outside {@link #ADMITTED}, naming it and its key. */
  private static final class Filtered extends ObjectInputStream {
    /** The last string read: a map's values come after their keys, so a refused value's key. */
    private String lastString;
    /** What the filter refused, if it did. */
    private RefusedClassException filterRefusal;

    Filtered(InputStream in) throws IOException {
      super(in);
      enableResolveObject(true);
      setObjectInputFilter(this::check);
    }

    private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
      if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.streamBytes() > MAX_BYTES) {
        filterRefusal = new RefusedClassException(lastString, null, "serialized data over the limits (depth "
            + MAX_DEPTH + ", " + MAX_REFERENCES + " references, " + MAX_BYTES + " bytes)");
        return ObjectInputFilter.Status.REJECTED;
      }
      Class<?> c = info.serialClass();
      if (c == null || ADMITTED.contains(c.getName())) return ObjectInputFilter.Status.ALLOWED;
      if (c.getName().equals(HASH_MAP_TABLE) && info.arrayLength() <= MAX_REFERENCES) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      filterRefusal = refused(c.getName());
      return ObjectInputFilter.Status.REJECTED;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      // By name, before loading: a refused class is never loaded, let alone instantiated.
      if (!ADMITTED.contains(desc.getName())) throw refused(desc.getName());
      return super.resolveClass(desc);
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException {
      throw refused("a proxy of " + String.join(", ", interfaces));
    }

    @Override
    protected Object resolveObject(Object obj) {
      if (obj instanceof String s) lastString = s;
      return obj;
    }

    private RefusedClassException refused(String className) {
      return new RefusedClassException(lastString, className, "refused class " + className
          + (lastString == null ? "" : " (value of key '" + lastString + "')") + ": " + PLAIN_ONLY);
    }
  }
}
