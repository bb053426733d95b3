package dev.baton.spring;

import dev.baton.Baton;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the application's {@link Baton} node once the context is refreshed and drains it when the
 * context stops.
 *
 * <p>Its {@link #PHASE} puts the drain after Spring's {@code SchedulerFactoryBean} stop (phase
 * {@code DEFAULT_PHASE}, which only puts Quartz in standby) and <em>before</em> Boot's graceful
 * web-server shutdown ({@code DEFAULT_PHASE - 1024}): running jobs finish while the web server
 * still serves them, and only then does it stop accepting requests.
 *
 * <p>When Spring's {@code SchedulerFactoryBean} drives the node ({@link #startedByQuartz()}), this
 * lifecycle leaves starting to it ({@code spring.quartz.auto-startup}, {@code startup-delay}) and
 * only drains.
 */
public final class BatonLifecycle implements SmartLifecycle {
  /** Stops after phase {@code DEFAULT_PHASE} beans, before Boot's graceful web-server shutdown. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final Baton baton;
  private volatile boolean startedByQuartz;
  private volatile boolean running;

  public BatonLifecycle(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
  }

  /**
   * Leaves starting the node to Spring's {@code SchedulerFactoryBean}; this lifecycle only drains.
   */
  public void startedByQuartz() {
    this.startedByQuartz = true;
  }

  @Override
  public void start() {
    if (!startedByQuartz) baton.start();
    running = true;
  }

  /** Drains: no new firings, running executions get up to {@code baton.drain-timeout}. */
  @Override
  public void stop() {
    running = false;
    baton.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
