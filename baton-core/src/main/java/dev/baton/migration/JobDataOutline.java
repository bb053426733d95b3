package dev.baton.migration;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key of a serialized {@code JobDataMap} with the class name of its value, read from the
 * structure of the serialization stream alone: no class is loaded, resolved or instantiated, no
 * {@code ObjectInputStream} is involved. {@link SerializedJobData} uses it to name every refused
 * value of a map (the reading of values, which does instantiate the admitted classes, stops at the
 * first refused class and cannot go past it).
 *
 * <p>The stream grammar (Java Object Serialization Specification, chapter 6) lets a reader walk
 * past any value without its class: class descriptors list each class's fields and their types, and
 * data a class writes itself ({@code writeObject}, {@code Externalizable}) is framed in block data
 * and objects up to an end marker. Two forms cannot be walked without the class, and stop the
 * outline at the value holding them ({@link Incomplete}): a class whose {@code writeObject} writes
 * its own data without first calling {@code defaultWriteObject} or {@code writeFields} (the
 * specification requires that call; without it the fields the descriptor announces are not in the
 * stream, and only the class's code knows), and an {@code Externalizable} written with the old
 * stream protocol 1 (no block data: only the class's {@code readExternal} knows its length). Depth,
 * handles and array lengths are bounded, so hostile bytes cannot exhaust the stack or memory.
 *
 * <p>One grammar walker in one class: its length is the serialization grammar, case by case.
 */
final class JobDataOutline {
  /** Nesting the walk follows inside one value; deeper values stop the outline. */
  static final int MAX_DEPTH = 64;

  /**
   * The most objects and class descriptors one stream may hold; the filtered read takes the same.
   */
  static final int MAX_REFERENCES = 10_000;

  /**
   * A key of the map and the class of its value.
   *
   * @param key the key
   * @param className the value's class name ({@code [I} style for arrays); null for a null value
   */
  record Entry(String key, String className) {}

  /** The walk stopped inside a value: the entries before it, and that value's key and class. */
  static final class Incomplete extends IOException {
    private final List<Entry> listed;
    private final Entry stoppedAt;

    Incomplete(List<Entry> listed, Entry stoppedAt, String why) {
      super(why);
      this.listed = List.copyOf(listed);
      this.stoppedAt = stoppedAt;
    }

    /** The entries read completely, in stream order. */
    List<Entry> listed() {
      return listed;
    }

    /** The entry the walk stopped in: its key, and its value's class when read (else null). */
    Entry stoppedAt() {
      return stoppedAt;
    }
  }

  private static final int TC_NULL = 0x70;
  private static final int TC_REFERENCE = 0x71;
  private static final int TC_CLASSDESC = 0x72;
  private static final int TC_OBJECT = 0x73;
  private static final int TC_STRING = 0x74;
  private static final int TC_ARRAY = 0x75;
  private static final int TC_CLASS = 0x76;
  private static final int TC_BLOCKDATA = 0x77;
  private static final int TC_ENDBLOCKDATA = 0x78;
  private static final int TC_RESET = 0x79;
  private static final int TC_BLOCKDATALONG = 0x7A;
  private static final int TC_LONGSTRING = 0x7C;
  private static final int TC_PROXYCLASSDESC = 0x7D;
  private static final int TC_ENUM = 0x7E;
  private static final int BASE_WIRE_HANDLE = 0x7E0000;
  private static final int SC_WRITE_METHOD = 0x01;
  private static final int SC_SERIALIZABLE = 0x02;
  private static final int SC_EXTERNALIZABLE = 0x04;
  private static final int SC_BLOCK_DATA = 0x08;

  private static final String JOB_DATA_MAP = "org.quartz.JobDataMap";
  private static final String DIRTY_FLAG_MAP = "org.quartz.utils.DirtyFlagMap";
  private static final String HASH_MAP = "java.util.HashMap";

  /** Depth of the map's keys and values: JobDataMap (1), its HashMap (2), the entries (3). */
  private static final int ENTRY_DEPTH = 3;

  private final byte[] bytes;
  private int pos;
  private int depth;
  private final List<Object> handles = new ArrayList<>();

  /** The JobDataMap's HashMap once created; its entries are filled in as they are read. */
  private Obj entriesMap;

  /** The class of the entry value being read, once its descriptor is read. */
  private String valueClass;

  private JobDataOutline(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The entries of the serialized {@code JobDataMap} in {@code bytes}, in stream order.
   *
   * @throws Incomplete when the walk stopped inside a value (see the class comment)
   * @throws IOException when the bytes are not a serialized {@code JobDataMap} of the known form
   */
  static List<Entry> entries(byte[] bytes) throws IOException {
    JobDataOutline o = new JobDataOutline(bytes);
    try {
      if (o.u2() != 0xACED || o.u2() != 5)
        throw new StreamCorruptedException("not a serialization stream");
      Object top = o.object(o.u1());
      if (!(top instanceof Obj map) || !map.desc.name.equals(JOB_DATA_MAP)) {
        throw new StreamCorruptedException("not a serialized JobDataMap");
      }
      if (o.entriesMap == null || map.field(DIRTY_FLAG_MAP, "map") != o.entriesMap) {
        throw new StreamCorruptedException("a JobDataMap without its HashMap");
      }
      return o.pairs(false);
    } catch (IOException | RuntimeException e) {
      if (o.entriesMap == null) {
        throw e instanceof IOException io ? io : new StreamCorruptedException("unreadable: " + e);
      }
      List<Entry> listed = o.pairs(true);
      List<Object> contents = o.objects(o.entriesMap.annotation(HASH_MAP));
      Entry stopped = null;
      if (contents.size() % 2 == 1 && contents.get(contents.size() - 1) instanceof Str key) {
        stopped = new Entry(key.value, o.valueClass);
      }
      throw new Incomplete(listed, stopped, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** The key-value pairs of the HashMap's own data (its size, then keys and values in turn). */
  private List<Entry> pairs(boolean partial) throws IOException {
    List<Object> contents = objects(entriesMap.annotation(HASH_MAP));
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i + 1 < contents.size(); i += 2) {
      if (!(contents.get(i) instanceof Str key))
        throw new StreamCorruptedException("a key that is not a string");
      out.add(new Entry(key.value, className(contents.get(i + 1))));
    }
    if (!partial && contents.size() % 2 != 0)
      throw new StreamCorruptedException("a key without a value");
    return out;
  }

  private static List<Object> objects(List<Object> annotation) {
    List<Object> out = new ArrayList<>();
    if (annotation != null) for (Object o : annotation) if (!(o instanceof Block)) out.add(o);
    return out;
  }

  private static String className(Object value) {
    if (value == NULL) return null;
    if (value instanceof Str) return "java.lang.String";
    if (value instanceof Obj o) return o.desc.name;
    if (value instanceof Arr a) return a.desc.name;
    if (value instanceof Enm e) return e.desc.name;
    if (value instanceof Cls) return "java.lang.Class";
    return "a class descriptor";
  }

  // --- the stream's parts, as far as the walk needs them
  // -------------------------------------------

  private static final Object NULL = new Object();

  private record Str(String value) {}

  private record Block() {}

  private record Field(char type, String name) {}

  private static final class Desc {
    String name;
    int flags;
    final List<Field> fields = new ArrayList<>();
    Desc superDesc;
  }

  private static final class Obj {
    final Desc desc;
    final Map<String, Map<String, Object>> fields = new HashMap<>();
    final Map<String, List<Object>> annotations = new HashMap<>();

    Obj(Desc desc) {
      this.desc = desc;
    }

    Object field(String className, String name) {
      Map<String, Object> f = fields.get(className);
      return f == null ? null : f.get(name);
    }

    List<Object> annotation(String className) {
      return annotations.get(className);
    }
  }

  private record Arr(Desc desc) {}

  private record Enm(Desc desc) {}

  private record Cls(Desc desc) {}

  // --- the grammar -------------------------------------------------------------------------------

  private Object object(int tc) throws IOException {
    if (++depth > ENTRY_DEPTH + MAX_DEPTH)
      throw new StreamCorruptedException("nested deeper than " + MAX_DEPTH);
    if (depth == ENTRY_DEPTH) valueClass = null;
    try {
      return switch (tc) {
        case TC_NULL -> NULL;
        case TC_REFERENCE -> reference();
        case TC_STRING -> handle(new Str(utf(u2())));
        case TC_LONGSTRING -> handle(new Str(utf(length(i8()))));
        case TC_CLASSDESC, TC_PROXYCLASSDESC -> classDesc(tc);
        case TC_OBJECT -> newObject();
        case TC_ARRAY -> newArray();
        case TC_ENUM -> newEnum();
        case TC_CLASS -> handle(new Cls(requiredDesc()));
        case TC_RESET -> {
          handles.clear();
          yield object(u1());
        }
        default ->
            throw new StreamCorruptedException(String.format("unexpected type code 0x%02X", tc));
      };
    } finally {
      depth--;
    }
  }

  private Object reference() throws IOException {
    int h = i4() - BASE_WIRE_HANDLE;
    if (h < 0 || h >= handles.size()) throw new StreamCorruptedException("invalid handle");
    return handles.get(h);
  }

  private <T> T handle(T o) throws IOException {
    if (handles.size() >= MAX_REFERENCES) {
      throw new StreamCorruptedException("more than " + MAX_REFERENCES + " references");
    }
    handles.add(o);
    return o;
  }

  private Desc requiredDesc() throws IOException {
    Object d = object(u1());
    if (!(d instanceof Desc desc))
      throw new StreamCorruptedException("a class descriptor expected");
    return desc;
  }

  private Object classDesc(int tc) throws IOException {
    Desc d = handle(new Desc());
    if (tc == TC_PROXYCLASSDESC) {
      int n = i4();
      if (n < 0 || n > 65_535) throw new StreamCorruptedException("invalid proxy interface count");
      List<String> interfaces = new ArrayList<>();
      for (int i = 0; i < n; i++) interfaces.add(utf(u2()));
      d.name = "a proxy of " + String.join(", ", interfaces);
      d.flags = SC_SERIALIZABLE;
    } else {
      d.name = utf(u2());
      skip(8); // serialVersionUID
      d.flags = u1();
      int n = u2();
      for (int i = 0; i < n; i++) {
        char type = (char) u1();
        String name = utf(u2());
        if (type == 'L' || type == '[') {
          if (!(object(u1()) instanceof Str))
            throw new StreamCorruptedException("a field type that is not a string");
        } else if (size(type) == 0) {
          throw new StreamCorruptedException("invalid field type " + type);
        }
        d.fields.add(new Field(type, name));
      }
    }
    annotation();
    Object sup = object(u1());
    if (sup != NULL && !(sup instanceof Desc))
      throw new StreamCorruptedException("a superclass descriptor expected");
    d.superDesc = sup == NULL ? null : (Desc) sup;
    return d;
  }

  private Object newObject() throws IOException {
    Desc desc = requiredDesc();
    if (depth == ENTRY_DEPTH) valueClass = desc.name;
    Obj o = handle(new Obj(desc));
    if (depth == 2 && desc.name.equals(HASH_MAP) && entriesMap == null) entriesMap = o;
    if ((desc.flags & SC_EXTERNALIZABLE) != 0) {
      if ((desc.flags & SC_BLOCK_DATA) == 0) {
        throw new StreamCorruptedException(
            desc.name + " is Externalizable, written without block data (protocol 1)");
      }
      annotation(o, desc.name);
      return o;
    }
    List<Desc> hierarchy = new ArrayList<>();
    for (Desc d = desc; d != null; d = d.superDesc) hierarchy.add(0, d);
    for (Desc d : hierarchy) {
      if ((d.flags & SC_SERIALIZABLE) == 0) continue;
      Map<String, Object> values = new HashMap<>();
      o.fields.put(d.name, values);
      for (Field f : d.fields) {
        if (f.type == 'L' || f.type == '[') values.put(f.name, object(u1()));
        else skip(size(f.type));
      }
      if ((d.flags & SC_WRITE_METHOD) != 0) annotation(o, d.name);
    }
    return o;
  }

  private Object newArray() throws IOException {
    Desc desc = requiredDesc();
    if (depth == ENTRY_DEPTH) valueClass = desc.name;
    Arr a = handle(new Arr(desc));
    int n = i4();
    if (n < 0 || n > bytes.length - pos)
      throw new StreamCorruptedException("invalid array length " + n);
    char type = desc.name.length() > 1 ? desc.name.charAt(1) : '?';
    if (type == 'L' || type == '[') {
      for (int i = 0; i < n; i++) object(u1());
    } else {
      int size = size(type);
      if (size == 0) throw new StreamCorruptedException("invalid array class " + desc.name);
      skip((long) n * size);
    }
    return a;
  }

  private Object newEnum() throws IOException {
    Desc desc = requiredDesc();
    if (depth == ENTRY_DEPTH) valueClass = desc.name;
    Enm e = handle(new Enm(desc));
    if (!(object(u1()) instanceof Str))
      throw new StreamCorruptedException("an enum constant that is not a string");
    return e;
  }

  /** Contents up to the end marker, kept in {@code o} as they are read. */
  private void annotation(Obj o, String className) throws IOException {
    List<Object> contents = new ArrayList<>();
    o.annotations.put(className, contents);
    annotation(contents);
  }

  private void annotation() throws IOException {
    annotation(new ArrayList<>());
  }

  private void annotation(List<Object> contents) throws IOException {
    for (int tc = u1(); tc != TC_ENDBLOCKDATA; tc = u1()) {
      if (tc == TC_BLOCKDATA) {
        skip(u1());
        contents.add(new Block());
      } else if (tc == TC_BLOCKDATALONG) {
        skip(length(i4()));
        contents.add(new Block());
      } else {
        contents.add(object(tc));
      }
    }
  }

  private static int size(char type) {
    return switch (type) {
      case 'B', 'Z' -> 1;
      case 'C', 'S' -> 2;
      case 'I', 'F' -> 4;
      case 'J', 'D' -> 8;
      default -> 0;
    };
  }

  // --- bytes ------------------------------------------------------------------------------------

  private int u1() throws IOException {
    need(1);
    return bytes[pos++] & 0xFF;
  }

  private int u2() throws IOException {
    return (u1() << 8) | u1();
  }

  private int i4() throws IOException {
    return (u2() << 16) | u2();
  }

  private long i8() throws IOException {
    return ((long) i4() << 32) | (i4() & 0xFFFFFFFFL);
  }

  private int length(long n) throws IOException {
    if (n < 0 || n > bytes.length - pos) throw new StreamCorruptedException("invalid length " + n);
    return (int) n;
  }

  private void skip(long n) throws IOException {
    need(n);
    pos += (int) n;
  }

  private void need(long n) throws IOException {
    if (n < 0 || n > bytes.length - pos) throw new StreamCorruptedException("the data ends early");
  }

  /** Modified UTF-8, as {@code DataInput.readUTF} reads it. */
  private String utf(int n) throws IOException {
    need(n);
    int end = pos + n;
    StringBuilder s = new StringBuilder(n);
    while (pos < end) {
      int a = bytes[pos++] & 0xFF;
      if (a < 0x80) {
        s.append((char) a);
      } else if ((a & 0xE0) == 0xC0 && pos < end) {
        s.append((char) (((a & 0x1F) << 6) | (bytes[pos++] & 0x3F)));
      } else if ((a & 0xF0) == 0xE0 && pos + 1 < end) {
        s.append(
            (char) (((a & 0x0F) << 12) | ((bytes[pos++] & 0x3F) << 6) | (bytes[pos++] & 0x3F)));
      } else {
        throw new StreamCorruptedException("malformed modified UTF-8");
      }
    }
    return s.toString();
  }
}
