package dev.baton.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/** What Boot finds on the class path: the auto-configurations and the failure analyzer. */
class BatonRegistrationTest {
  @Test
  void autoConfigurationsAreListed() {
    List<String> candidates = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).forEach(candidates::add);
    assertThat(candidates).contains(BatonAutoConfiguration.class.getName(), BatonActuatorAutoConfiguration.class.getName());
  }

  @Test
  void failureAnalyzerIsRegistered() throws IOException {
    List<String> analyzers = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
      Properties p = new Properties();
      try (InputStream in = url.openStream()) {
        p.load(in);
      }
      for (String name : p.getProperty(FailureAnalyzer.class.getName(), "").split(",")) analyzers.add(name.trim());
    }
    assertThat(analyzers).contains(BatonFailureAnalyzer.class.getName());
  }
}
