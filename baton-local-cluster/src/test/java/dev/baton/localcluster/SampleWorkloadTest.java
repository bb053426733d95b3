package dev.baton.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample workload is one a cluster can keep up with. */
class SampleWorkloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyIntervalTaskRunsForLessThanItsInterval() throws Exception {
    assertThat(SampleWorkload.TASKS).containsKey("batch");
    for (Map.Entry<String, String> task : SampleWorkload.TASKS.entrySet()) {
      JsonNode definition = JSON.readTree(task.getValue());
      if (!definition.has("intervalMs")) continue;
      long runMillis = Long.parseLong(definition.path("data").path("millis").asText("0"));
      // A non-concurrent task whose runs outlast its interval falls further behind at every run;
      // a concurrent one piles up running executions instead.
      assertThat(runMillis)
          .as("%s: run time against its interval", task.getKey())
          .isLessThan(definition.get("intervalMs").asLong());
    }
  }
}
