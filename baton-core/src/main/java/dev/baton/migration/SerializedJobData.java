package dev.baton.migration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Every class named in the stream is checked against {@link #ADMITTED} by name before it is even
 * loaded, and again by a JEP 290 {@link ObjectInputFilter} that also bounds depth, references and
 * size; any other class (a {@code Date}, an enum, a collection, an application class) stops the
 * read before an instance of it exists, and is reported with the key whose value it is.
 *
 * <p>That read cannot go past a refused class: a {@code HashMap} reads its entries in its own
 * {@code readObject}, which fails as a whole at the first value it cannot read. So before it,
 * {@link JobDataOutline} walks the stream's structure, loading no class at all, and lists every key
 * with its value's class; a map with refused values is refused naming every one of them, with all
 * its keys listed. Only a map whose outline shows plain values only is then read through the
 * filter. The outline stops (and so names only the keys up to there, saying so) at a value it
 * cannot walk without the value's class: see {@link JobDataOutline}.
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

  /**
   * The map classes of a serialized {@code JobDataMap}, and the value types that convert to text.
   */
  static final Set<String> ADMITTED =
      Stream.concat(
              Stream.of(
                  "org.quartz.JobDataMap",
                  "org.quartz.utils.StringKeyDirtyFlagMap",
                  "org.quartz.utils.DirtyFlagMap",
                  "java.util.HashMap",
                  "java.lang.Number",
                  // A BigInteger's magnitude (a BigDecimal's too, through its BigInteger): an array
                  // of primitives, which runs no code. HashMap writes its entries one by one, no
                  // array.
                  "[B"),
              VALUE_TYPES.stream())
          .collect(Collectors.toUnmodifiableSet());

  private static final String PLAIN_ONLY =
      "only strings, numbers, booleans and characters convert to text";

  /**
   * Not in any stream, only checked: HashMap's readObject asks the filter before it allocates its
   * table ({@code Map.Entry[]}) for the size the stream claims, so that the size is bounded.
   */
  private static final String HASH_MAP_TABLE = "[Ljava.util.Map$Entry;";

  // A JobDataMap (1) holds a HashMap (2) of values (3); a BigDecimal's BigInteger (4) holds its
  // byte array (5). Nothing deeper is a plain value.
  static final int MAX_DEPTH = 5;
  static final int MAX_REFERENCES = JobDataOutline.MAX_REFERENCES;
  static final int MAX_BYTES = 1 << 20;

  private SerializedJobData() {}

  /**
   * A key of a refused map and its value's class.
   *
   * @param key the key
   * @param className the value's class; null for a null value
   * @param convertible whether it converts to text
   */
  record Listed(String key, String className, boolean convertible) {}

  /** A class the read refused, with the key of the value it belongs to (null if not a value). */
  static final class RefusedClassException extends IOException {
    private final String key;
    private final String className;
    private final List<Listed> listed;

    RefusedClassException(String key, String className, String why) {
      this(key, className, List.of(), why);
    }

    RefusedClassException(String key, String className, List<Listed> listed, String why) {
      super(why);
      this.key = key;
      this.className = className;
      this.listed = List.copyOf(listed);
    }

    /**
     * The map's keys, in stored order, with their values' classes, the refused ones among them;
     * every key, unless the message says that the keys after one are not listed. Empty when the
     * refusal came from the filtered read (a limit, or not a {@code JobDataMap}).
     */
    List<Listed> listed() {
      return listed;
    }

    /**
     * The key whose value holds the (first) refused class. From the filtered read: the last string
     * read before it, since a map's keys are read before their values (wrong only if the key's
     * string was written once already in the same map, as an earlier value, and so read as a
     * back-reference); null when no string came first.
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
   *     exceeds a limit, naming every refused value when the outline could; nothing of a refused
   *     class was loaded or instantiated
   * @throws IOException when the bytes are not a serialized {@code JobDataMap}
   */
  static Map<String, Object> read(byte[] bytes) throws IOException {
    if (bytes.length > MAX_BYTES) {
      throw new RefusedClassException(
          null,
          null,
          "serialized data of " + bytes.length + " bytes is over the limit of " + MAX_BYTES);
    }
    refuseByOutline(bytes);
    return readFiltered(bytes);
  }

  /**
   * Refuses a map whose {@linkplain JobDataOutline outline} shows values of classes outside {@link
   * #VALUE_TYPES}, naming all of them and listing every key; returns when it shows none (or the
   * bytes are not of the form the outline knows: then the filtered read says what they are).
   */
  private static void refuseByOutline(byte[] bytes) throws RefusedClassException {
    List<JobDataOutline.Entry> entries;
    JobDataOutline.Incomplete incomplete = null;
    try {
      entries = JobDataOutline.entries(bytes);
    } catch (JobDataOutline.Incomplete e) {
      incomplete = e;
      entries = new ArrayList<>(e.listed());
      if (e.stoppedAt() != null && e.stoppedAt().className() != null) entries.add(e.stoppedAt());
    } catch (IOException e) {
      return;
    }
    List<Listed> listed = new ArrayList<>();
    for (JobDataOutline.Entry e : entries) {
      listed.add(
          new Listed(
              e.key(),
              e.className(),
              e.className() == null || VALUE_TYPES.contains(e.className())));
    }
    List<Listed> refused = listed.stream().filter(l -> !l.convertible()).toList();
    if (refused.isEmpty()) return;
    StringBuilder why =
        new StringBuilder(refused.size() == 1 ? "refused class " : "refused classes ");
    for (int i = 0; i < refused.size(); i++) {
      if (i > 0) why.append(", ");
      why.append(refused.get(i).className())
          .append(" (value of key '")
          .append(refused.get(i).key())
          .append("')");
    }
    why.append(": ").append(PLAIN_ONLY);
    if (incomplete != null) {
      why.append("; the keys after '")
          .append(listed.get(listed.size() - 1).key())
          .append("' are not listed: ")
          .append(incomplete.getMessage());
    }
    throw new RefusedClassException(
        refused.get(0).key(), refused.get(0).className(), listed, why.toString());
  }

  /**
   * The map read through the allow-list and the filter; stops at the first refused class.
   *
   * @throws RefusedClassException when the stream holds a class outside {@link #ADMITTED} or
   *     exceeds a limit; nothing of that class was instantiated
   * @throws IOException when the bytes are not a serialized {@code JobDataMap}
   */
  static Map<String, Object> readFiltered(byte[] bytes) throws IOException {
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
          throw new RefusedClassException(
              e.getKey(),
              v.getClass().getName(),
              "refused class "
                  + v.getClass().getName()
                  + " (value of key '"
                  + e.getKey()
                  + "'): "
                  + PLAIN_ONLY);
        }
        out.put(e.getKey(), v);
      }
      return out;
    } catch (ClassNotFoundException e) {
      // Only admitted (JDK and Quartz) classes are ever looked up, so this means a broken class
      // path.
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
      if (info.depth() > MAX_DEPTH
          || info.references() > MAX_REFERENCES
          || info.streamBytes() > MAX_BYTES) {
        filterRefusal =
            new RefusedClassException(
                lastString,
                null,
                "serialized data over the limits (depth "
                    + MAX_DEPTH
                    + ", "
                    + MAX_REFERENCES
                    + " references, "
                    + MAX_BYTES
                    + " bytes)");
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
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
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
      return new RefusedClassException(
          lastString,
          className,
          "refused class "
              + className
              + (lastString == null ? "" : " (value of key '" + lastString + "')")
              + ": "
              + PLAIN_ONLY);
    }
  }
}
