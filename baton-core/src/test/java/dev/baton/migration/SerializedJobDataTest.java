package dev.baton.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.migration.SerializedJobData.Listed;
import dev.baton.migration.SerializedJobData.RefusedClassException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobDataMap;

/** The one deserialization Baton does: only the classes of a JobDataMap of plain values get in. */
class SerializedJobDataTest {
  @BeforeEach
  void reset() {
    CustomValue.DESERIALIZED.set(false);
  }

  @Test
  void plainValuesAreRead() throws Exception {
    Map<String, Object> plain = new HashMap<>();
    plain.put("s", "text");
    plain.put("i", 1);
    plain.put("l", 2L);
    plain.put("sh", (short) 3);
    plain.put("b", (byte) 4);
    plain.put("f", 5.5f);
    plain.put("d", 6.25d);
    plain.put("z", true);
    plain.put("c", 'x');
    plain.put("dec", new BigDecimal("123456789012345678901234567890.5"));
    plain.put("int", new BigInteger("-98765432109876543210"));
    plain.put("nothing", null);

    assertThat(SerializedJobData.read(serialize(plain))).isEqualTo(plain);
  }

  @Test
  void anEmptyMapIsRead() throws Exception {
    assertThat(SerializedJobData.read(serialize(Map.of()))).isEmpty();
  }

  @Test
  void aDateIsRefusedWithItsKey() {
    assertRefused(Map.of("when", new Date(0)), "when", "java.util.Date");
  }

  @Test
  void anApplicationClassIsRefusedBeforeAnyOfItsCodeRuns() {
    assertRefused(Map.of("value", new CustomValue("x")), "value", CustomValue.class.getName());
    assertThat(CustomValue.DESERIALIZED).isFalse();
  }

  @Test
  void enumsAndCollectionsAreRefused() {
    assertRefused(Map.of("day", DayOfWeek.MONDAY), "day", "java.time.DayOfWeek");
    assertRefused(Map.of("list", new ArrayList<>(List.of("a"))), "list", "java.util.ArrayList");
    assertRefused(Map.of("array", new String[] {"a"}), "array", "[Ljava.lang.String;");
  }

  @Test
  void aMapAsAValueIsRefusedThoughItsClassesAreAdmitted() {
    assertRefused(
        Map.of("nested", new JobDataMap(Map.of("a", "b"))), "nested", "org.quartz.JobDataMap");
  }

  @Test
  void somethingOtherThanAJobDataMapIsRefused() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(List.of("a")));
    }
    assertThatThrownBy(() -> SerializedJobData.read(bytes.toByteArray()))
        .isInstanceOfSatisfying(
            RefusedClassException.class,
            e -> {
              assertThat(e.className()).isEqualTo("java.util.ArrayList");
              assertThat(e.key()).isNull();
            });
  }

  @Test
  void deepNestingIsRefusedByTheFilter() throws Exception {
    // Nesting through admitted classes only: a JobDataMap inside a JobDataMap inside ...
    JobDataMap deep = new JobDataMap();
    for (int i = 0; i < 5; i++) {
      JobDataMap outer = new JobDataMap();
      outer.put("inner", deep);
      deep = outer;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(deep);
    }
    assertThatThrownBy(() -> SerializedJobData.readFiltered(bytes.toByteArray()))
        .isInstanceOf(RefusedClassException.class)
        .hasMessageContaining("over the limits");
    // read() refuses it before: the outline shows a map as the value of 'inner'.
    assertThatThrownBy(() -> SerializedJobData.read(bytes.toByteArray()))
        .isInstanceOfSatisfying(
            RefusedClassException.class,
            e -> {
              assertThat(e.key()).isEqualTo("inner");
              assertThat(e.className()).isEqualTo("org.quartz.JobDataMap");
            });
  }

  @Test
  void everyRefusedValueIsNamedAndEveryKeyListedWithoutInstantiatingAnyOfThem() throws Exception {
    Map<String, Object> mixed = new HashMap<>();
    mixed.put("name", "alpha");
    mixed.put("count", 42);
    mixed.put("when", new Date(0));
    mixed.put("value", new CustomValue("x"));
    mixed.put("day", DayOfWeek.MONDAY);
    mixed.put("list", new ArrayList<>(List.of("a", new Date(1), new CustomValue("y"))));
    mixed.put("ints", new int[] {1, 2, 3});
    mixed.put("names", new String[] {"a", null});
    mixed.put("nested", new HashMap<>(Map.of("k", new BigDecimal("1.5"))));
    mixed.put("ratio", new BigDecimal("0.25"));
    mixed.put("flag", true);
    mixed.put("nothing", null);
    // Written as a value above ("alpha"), then used as a key: a back-reference in the stream.
    mixed.put("alpha", new Date(2));

    assertThatThrownBy(() -> SerializedJobData.read(serialize(mixed)))
        .isInstanceOfSatisfying(
            RefusedClassException.class,
            e -> {
              assertThat(e.listed())
                  .containsExactlyInAnyOrder(
                      new Listed("name", "java.lang.String", true),
                      new Listed("count", "java.lang.Integer", true),
                      new Listed("when", "java.util.Date", false),
                      new Listed("value", CustomValue.class.getName(), false),
                      new Listed("day", "java.time.DayOfWeek", false),
                      new Listed("list", "java.util.ArrayList", false),
                      new Listed("ints", "[I", false),
                      new Listed("names", "[Ljava.lang.String;", false),
                      new Listed("nested", "java.util.HashMap", false),
                      new Listed("ratio", "java.math.BigDecimal", true),
                      new Listed("flag", "java.lang.Boolean", true),
                      new Listed("nothing", null, true),
                      new Listed("alpha", "java.util.Date", false));
              assertThat(e.getMessage())
                  .startsWith("refused classes ")
                  .contains(
                      "java.util.Date (value of key 'when')",
                      CustomValue.class.getName() + " (value of key 'value')",
                      "java.time.DayOfWeek (value of key 'day')",
                      "java.util.ArrayList (value of key 'list')",
                      "[I (value of key 'ints')",
                      "[Ljava.lang.String; (value of key 'names')",
                      "java.util.HashMap (value of key 'nested')",
                      "java.util.Date (value of key 'alpha')")
                  .doesNotContain(
                      "key 'name'", "key 'count'", "key 'ratio'", "key 'flag'", "key 'nothing'")
                  .doesNotContain("not listed");
            });
    assertThat(CustomValue.DESERIALIZED).isFalse();
  }

  @Test
  void aValueThatCannotBeWalkedStopsTheListingThereAndSaysSo() throws Exception {
    // The stream holds the entries in the HashMap's (hash) order: the listing is exactly the keys
    // up to the rogue value's, in that order.
    Map<String, Object> data = new HashMap<>();
    for (int i = 0; i < 10; i++) data.put("k" + i, i % 2 == 0 ? new Date(i) : "v" + i);
    data.put("k_rogue", new RogueValue());
    byte[] bytes = serialize(data);
    List<String> order = new ArrayList<>(new JobDataMap(data).getWrappedMap().keySet());
    int rogue = order.indexOf("k_rogue");
    assertThat(rogue)
        .as("the rogue value is neither first nor last")
        .isBetween(1, order.size() - 2);

    assertThatThrownBy(() -> SerializedJobData.read(bytes))
        .isInstanceOfSatisfying(
            RefusedClassException.class,
            e -> {
              assertThat(e.listed())
                  .extracting(Listed::key)
                  .containsExactlyElementsOf(order.subList(0, rogue + 1));
              assertThat(e.listed().get(rogue))
                  .isEqualTo(new Listed("k_rogue", RogueValue.class.getName(), false));
              assertThat(e.getMessage()).contains("the keys after 'k_rogue' are not listed");
            });
    assertThat(RogueValue.DESERIALIZED).isFalse();
  }

  /**
   * Writes its own data without calling defaultWriteObject first, as the serialization
   * specification requires: the int field its descriptor announces is not in the stream.
   */
  static final class RogueValue implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final java.util.concurrent.atomic.AtomicBoolean DESERIALIZED =
        new java.util.concurrent.atomic.AtomicBoolean();
    private int number = 5;
    private String text = "t";

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.writeUTF("own data");
    }

    private void readObject(java.io.ObjectInputStream in) {
      DESERIALIZED.set(true);
    }
  }

  private static void assertRefused(Map<String, Object> data, String key, String className) {
    assertThatThrownBy(() -> SerializedJobData.read(serialize(data)))
        .isInstanceOfSatisfying(
            RefusedClassException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.className()).isEqualTo(className);
            })
        .hasMessageContaining(className);
  }

  /** As stock Quartz stores job data without useProperties: a serialized JobDataMap. */
  static byte[] serialize(Map<String, ?> data) throws IOException {
    JobDataMap map = new JobDataMap();
    data.forEach(map::put);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(map);
    }
    return bytes.toByteArray();
  }
}
