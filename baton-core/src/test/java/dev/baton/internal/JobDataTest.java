package dev.baton.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Job data text: what Baton writes reads back alike through {@link Properties}, as Quartz does. */
class JobDataTest {
  @Test
  void storedTextReadsBackThroughPropertiesAsWritten() throws IOException {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("plain", "value");
    data.put(" leading key", " leading value ");
    data.put("a=b:c#d!e", "=:#!\\ back\\slash");
    data.put("controls", "tab\tnew\nline\rreturn\fform");
    data.put("unicode ü €", "日本 ü € \u0000 \u007f");
    data.put("empty", "");
    data.put("", "empty key");

    assertThat(viaProperties(JobData.store(data))).isEqualTo(new TreeMap<>(data));
    assertThat(JobData.parse(JobData.store(data), "test")).isEqualTo(new TreeMap<>(data));
  }

  @Test
  void randomTextRoundTripsExactly() throws IOException {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      Map<String, String> data = new HashMap<>();
      for (int i = 0; i < 5; i++) data.put(randomText(random), randomText(random));
      byte[] stored = JobData.store(data);
      assertThat(viaProperties(stored)).isEqualTo(new TreeMap<>(data));
      assertThat(JobData.parse(stored, "test")).isEqualTo(new TreeMap<>(data));
    }
  }

  @Test
  void textPropertiesWroteReadsBackToo() throws IOException {
    Properties p = new Properties();
    p.setProperty("k ey", "v:al=ue\n ü");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.store(out, "");
    assertThat(JobData.parse(out.toByteArray(), "test"))
        .containsExactly(Map.entry("k ey", "v:al=ue\n ü"));
  }

  @Test
  void noDataIsOnlyAComment() throws IOException {
    assertThat(new String(JobData.store(Map.of()), StandardCharsets.ISO_8859_1)).isEqualTo("#\n");
    assertThat(JobData.parse(JobData.store(Map.of()), "test")).isEmpty();
    assertThat(JobData.parse("#\n#Sun Dec 06 10:00:00 UTC 2026\n".getBytes(), "test")).isEmpty();
    assertThat(JobData.parse("  # indented comment\n\n! bang\n".getBytes(), "test")).isEmpty();
    assertThat(JobData.parse("#\n  key = value\n".getBytes(), "test"))
        .containsExactly(Map.entry("key", "value"));
  }

  @Test
  void aValueThatIsNotTextIsRefusedByKey() {
    Map<String, Object> data = new HashMap<>();
    data.put("count", 3);
    assertThatThrownBy(() -> JobData.store(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'count'");
  }

  private static Map<String, String> viaProperties(byte[] stored) throws IOException {
    Properties p = new Properties();
    p.load(new InputStreamReader(new ByteArrayInputStream(stored), StandardCharsets.ISO_8859_1));
    Map<String, String> out = new TreeMap<>();
    for (String key : p.stringPropertyNames()) out.put(key, p.getProperty(key));
    return out;
  }

  private static String randomText(Random random) {
    String alphabet = " \t\n\r\f=:#!\\aZ09ü€日\u0001\u007f";
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return sb.toString();
  }
}
