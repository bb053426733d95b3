package dev.baton.spring.boot;

import dev.baton.spring.BatonFailureDescription;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a refused Baton setting into a start-up report naming the {@code baton.*} property and the
 * fix.
 */
public class BatonFailureAnalyzer implements FailureAnalyzer {
  @Override
  public FailureAnalysis analyze(Throwable failure) {
    BatonFailureDescription d = BatonFailureDescription.of(failure);
    return d == null ? null : new FailureAnalysis(d.description(), d.action(), failure);
  }
}
