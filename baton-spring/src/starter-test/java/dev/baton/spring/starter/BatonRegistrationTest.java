package dev.baton.spring.starter;

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

/**
 * What Boot finds on the class path: the auto-configurations and the failure analyzer, which both
 * starters list alike (baton-spring/src/starter-main/resources); each listed Baton class must load.
 */
class BatonRegistrationTest {
  @Test
  void autoConfigurationsAreListed() throws ClassNotFoundException {
    List<String> candidates = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
        .forEach(candidates::add);
    assertThat(loadedBatonClasses(candidates))
        .contains("BatonAutoConfiguration", "BatonActuatorAutoConfiguration");
  }

  @Test
  void failureAnalyzerIsRegistered() throws IOException, ClassNotFoundException {
    List<String> analyzers = new ArrayList<>();
    for (URL url :
        Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
      Properties p = new Properties();
      try (InputStream in = url.openStream()) {
        p.load(in);
      }
      for (String name : p.getProperty(FailureAnalyzer.class.getName(), "").split(","))
        analyzers.add(name.trim());
    }
    assertThat(loadedBatonClasses(analyzers)).contains("BatonFailureAnalyzer");
  }

  /** The simple names of Baton's classes among {@code names}, each loaded to prove it is there. */
  private List<String> loadedBatonClasses(List<String> names) throws ClassNotFoundException {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (name.startsWith("dev.baton."))
        out.add(Class.forName(name, false, getClass().getClassLoader()).getSimpleName());
    }
    return out;
  }
}
