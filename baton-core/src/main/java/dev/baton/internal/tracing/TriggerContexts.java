package dev.baton.internal.tracing;

import java.util.Map;
import java.util.Objects;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Baton asks for the caller's trace context when it creates a trigger: task registration, run
 * now and Quartz's {@code triggerJob}, {@code scheduleJob} and {@code rescheduleJob}, and a retry
 * (on the failed attempt's worker thread, where the attempt's span is current).
 *
 * <p>One capture for the JVM: a trace context belongs to the calling thread, not to a node. None is
 * installed by default, and then nothing is captured or stored.
 */
public final class TriggerContexts {
  private static final Logger log = LoggerFactory.getLogger(TriggerContexts.class);

  private static volatile TriggerContextCapture installed;

  private TriggerContexts() {}

  /** Makes {@code capture} the JVM's capture, replacing any earlier one. */
  public static void install(TriggerContextCapture capture) {
    installed = Objects.requireNonNull(capture, "capture");
  }

  /** The calling thread's context as trigger data; empty when none is installed or current. */
  public static Map<String, String> current() {
    TriggerContextCapture c = installed;
    if (c == null) return Map.of();
    try {
      Map<String, String> out = c.capture();
      return out == null ? Map.of() : out;
    } catch (RuntimeException e) {
      // Tracing must never stop a registration, a run now or a retry.
      log.debug("Could not capture the trace context of a new trigger", e);
      return Map.of();
    }
  }

  /** Adds the calling thread's context to {@code trigger}'s data, and returns it. */
  public static <T extends Trigger> T addTo(T trigger) {
    Map<String, String> context = current();
    if (!context.isEmpty()) trigger.getJobDataMap().putAll(context);
    return trigger;
  }
}
