package dev.baton.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.migration.JobDataOutline.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outline of a serialized JobDataMap, read from the stream's structure alone. */
class JobDataOutlineTest {
  @Test
  void everyKeyOfAPlainMapIsListedWithItsValuesClassInStreamOrder() throws Exception {
    Map<String, Object> plain = new HashMap<>();
    plain.put("s", "text");
    plain.put("i", 1);
    plain.put("l", 2L);
    plain.put("c", 'x');
    plain.put("z", false);
    plain.put("dec", new BigDecimal("123456789012345678901234567890.5"));
    plain.put("int", new BigInteger("-98765432109876543210"));
    plain.put("nothing", null);
    plain.put("\u00e9t\u00e9 \u20ac", "unicode key");

    List<Entry> expected = new ArrayList<>();
    new org.quartz.JobDataMap(plain)
        .getWrappedMap()
        .forEach((k, v) -> expected.add(new Entry(k, v == null ? null : v.getClass().getName())));
    assertThat(JobDataOutline.entries(SerializedJobDataTest.serialize(plain)))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void anEmptyMapHasNoEntries() throws Exception {
    assertThat(JobDataOutline.entries(SerializedJobDataTest.serialize(Map.of()))).isEmpty();
  }

  @Test
  void somethingOtherThanAJobDataMapIsNotOutlined() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new HashMap<>(Map.of("a", "b")));
    }
    assertThatThrownBy(() -> JobDataOutline.entries(bytes.toByteArray()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(JobDataOutline.Incomplete.class)
        .hasMessageContaining("not a serialized JobDataMap");
  }

  @Test
  void truncatedDataStopsInsideTheValueItEndsIn() throws Exception {
    byte[] bytes = SerializedJobDataTest.serialize(Map.of("only", new BigDecimal("1.5")));
    assertThatThrownBy(() -> JobDataOutline.entries(Arrays.copyOf(bytes, bytes.length - 10)))
        .isInstanceOfSatisfying(
            JobDataOutline.Incomplete.class,
            e -> {
              assertThat(e.listed()).isEmpty();
              assertThat(e.stoppedAt()).isEqualTo(new Entry("only", "java.math.BigDecimal"));
              assertThat(e.getMessage()).contains("ends early");
            });
  }

  @Test
  void valuesNestedDeeperThanTheBoundStopTheOutline() throws Exception {
    List<Object> deep = new ArrayList<>();
    List<Object> inner = deep;
    for (int i = 0; i < JobDataOutline.MAX_DEPTH + 5; i++) {
      List<Object> next = new ArrayList<>();
      inner.add(next);
      inner = next;
    }
    byte[] bytes = SerializedJobDataTest.serialize(Map.of("deep", deep));
    assertThatThrownBy(() -> JobDataOutline.entries(bytes))
        .isInstanceOfSatisfying(
            JobDataOutline.Incomplete.class,
            e -> {
              assertThat(e.stoppedAt()).isEqualTo(new Entry("deep", "java.util.ArrayList"));
              assertThat(e.getMessage()).contains("nested deeper than " + JobDataOutline.MAX_DEPTH);
            });
  }
}
