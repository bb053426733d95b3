package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.scheduling.SerializedJobData.RefusedClassException;
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
    assertRefused(Map.of("nested", new JobDataMap(Map.of("a", "b"))), "nested", "org.quartz.JobDataMap");
  }

  @Test
  void somethingOtherThanAJobDataMapIsRefused() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(List.of("a")));
    }
    assertThatThrownBy(() -> SerializedJobData.read(bytes.toByteArray()))
        .isInstanceOfSatisfying(RefusedClassException.class, e -> {
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
    assertThatThrownBy(() -> SerializedJobData.read(bytes.toByteArray()))
        .isInstanceOf(RefusedClassException.class)
        .hasMessageContaining("over the limits");
  }

  private static void assertRefused(Map<String, Object> data, String key, String className) {
    assertThatThrownBy(() -> SerializedJobData.read(serialize(data)))
        .isInstanceOfSatisfying(RefusedClassException.class, e -> {
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
