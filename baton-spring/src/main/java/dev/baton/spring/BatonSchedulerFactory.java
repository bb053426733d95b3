package dev.baton.spring;

import dev.baton.Baton;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;

/**
 * The {@link SchedulerFactory} that hands Spring's {@code SchedulerFactoryBean} the application's
 * {@link Baton} node as an {@code org.quartz.Scheduler} ({@link Baton#quartz()}). With it set
 * ({@code setSchedulerFactory}) the factory bean keeps doing everything else: registering the
 * {@code JobDetail} and {@code Trigger} beans and listeners, installing Spring's job factory,
 * starting and stopping with the context, and exposing the {@code Scheduler} bean.
 */
public final class BatonSchedulerFactory implements SchedulerFactory {
  private final Baton baton;

  public BatonSchedulerFactory(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
  }

  @Override
  public Scheduler getScheduler() {
    return baton.quartz();
  }

  @Override
  public Scheduler getScheduler(String name) throws SchedulerException {
    Scheduler s = baton.quartz();
    return s.getSchedulerName().equals(name) ? s : null;
  }

  @Override
  public Collection<Scheduler> getAllSchedulers() {
    return List.of(baton.quartz());
  }
}
