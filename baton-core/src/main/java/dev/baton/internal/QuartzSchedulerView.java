package dev.baton.internal;

import dev.baton.internal.database.DatabaseClock;
import dev.baton.internal.store.BatonJobStore;
import dev.baton.internal.store.ConcurrencyLimit;
import dev.baton.internal.tracing.TriggerContexts;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.quartz.Calendar;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.ListenerManager;
import org.quartz.Scheduler;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;
import org.quartz.SchedulerListener;
import org.quartz.SchedulerMetaData;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.UnableToInterruptJobException;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.spi.JobFactory;

/**
 * {@code Baton.quartz()}: Quartz's own {@link Scheduler} API over a Baton node. Reads and most
 * writes go straight to the node's Quartz scheduler, so they run on Baton's store with its
 * guarantees. What this class adds is where Baton must differ: lifecycle calls act on the node
 * (start is {@code Baton.start()}, shutdown drains through {@code Baton.close()}), job data is
 * refused unless it is text before anything is written, calendars are refused, a job factory is
 * installed behind Baton's safe one, manual firings start at the database's time, and a job is
 * deleted in one transaction.
 *
 * <p>Its length is Quartz's {@code Scheduler} interface (58 methods); most forward in one line.
 */
public final class QuartzSchedulerView implements Scheduler {
  /**
   * The node whose lifecycle Quartz's start and shutdown act on, as calls rather than the node
   * itself, so that the engine does not depend on the front door.
   */
  public record Node(String nodeId, Runnable start, Runnable close, BooleanSupplier closed) {}

  private final Node node;
  private final ClusterScheduler scheduler;
  private final Scheduler quartz;
  private final BatonJobStore store;
  private final DatabaseClock clock;

  public QuartzSchedulerView(Node node, ClusterScheduler scheduler) {
    this.node = node;
    this.scheduler = scheduler;
    this.quartz = scheduler.quartzScheduler();
    this.store = scheduler.store();
    this.clock = scheduler.clock();
  }

  // --- lifecycle: the node's, not only Quartz's

  @Override
  public void start() throws SchedulerException {
    try {
      node.start().run();
    } catch (IllegalStateException e) {
      throw new SchedulerException(e.getMessage(), e);
    }
  }

  @Override
  public void startDelayed(int seconds) throws SchedulerException {
    if (seconds <= 0) {
      start();
      return;
    }
    // As Quartz does it: a thread that waits out the delay, then starts.
    Thread starter =
        new Thread(
            () -> {
              try {
                Thread.sleep(seconds * 1000L);
                node.start().run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(QuartzSchedulerView.class)
                    .error("Delayed start of node {} failed", node.nodeId(), e);
              }
            },
            "baton-" + node.nodeId() + "-delayed-start");
    starter.setDaemon(true);
    starter.start();
  }

  @Override
  public boolean isStarted() throws SchedulerException {
    return quartz.isStarted();
  }

  @Override
  public void standby() throws SchedulerException {
    quartz.standby();
  }

  @Override
  public boolean isInStandbyMode() throws SchedulerException {
    return quartz.isInStandbyMode();
  }

  /** Drains, as {@code Baton.close()} does. */
  @Override
  public void shutdown() {
    node.close().run();
  }

  /** Drains whatever {@code waitForJobsToComplete} says: Baton always drains, up to its timeout. */
  @Override
  public void shutdown(boolean waitForJobsToComplete) {
    node.close().run();
  }

  @Override
  public boolean isShutdown() throws SchedulerException {
    return node.closed().getAsBoolean() || quartz.isShutdown();
  }

  @Override
  public void setJobFactory(JobFactory factory) throws SchedulerException {
    if (factory == null) throw new SchedulerException("JobFactory cannot be set to null");
    scheduler.installJobFactory(factory);
  }

  // --- writes that Baton checks first

  @Override
  public Date scheduleJob(JobDetail job, Trigger trigger) throws SchedulerException {
    requireText(job);
    requireText(trigger);
    return quartz.scheduleJob(ConcurrencyLimit.apply(job), TriggerContexts.addTo(trigger));
  }

  @Override
  public Date scheduleJob(Trigger trigger) throws SchedulerException {
    requireText(trigger);
    return quartz.scheduleJob(TriggerContexts.addTo(trigger));
  }

  @Override
  public void scheduleJobs(Map<JobDetail, Set<? extends Trigger>> jobs, boolean replace)
      throws SchedulerException {
    Map<JobDetail, Set<? extends Trigger>> stored = new java.util.LinkedHashMap<>();
    for (Map.Entry<JobDetail, Set<? extends Trigger>> e : jobs.entrySet()) {
      requireText(e.getKey());
      for (Trigger t : e.getValue()) {
        requireText(t);
        TriggerContexts.addTo(t);
      }
      stored.put(ConcurrencyLimit.apply(e.getKey()), e.getValue());
    }
    quartz.scheduleJobs(stored, replace);
  }

  @Override
  public void scheduleJob(JobDetail job, Set<? extends Trigger> triggers, boolean replace)
      throws SchedulerException {
    requireText(job);
    for (Trigger t : triggers) {
      requireText(t);
      TriggerContexts.addTo(t);
    }
    quartz.scheduleJob(ConcurrencyLimit.apply(job), triggers, replace);
  }

  @Override
  public Date rescheduleJob(TriggerKey key, Trigger trigger) throws SchedulerException {
    requireText(trigger);
    return quartz.rescheduleJob(key, TriggerContexts.addTo(trigger));
  }

  @Override
  public void addJob(JobDetail job, boolean replace) throws SchedulerException {
    requireText(job);
    quartz.addJob(ConcurrencyLimit.apply(job), replace);
  }

  @Override
  public void addJob(JobDetail job, boolean replace, boolean storeNonDurableWhileAwaitingScheduling)
      throws SchedulerException {
    requireText(job);
    quartz.addJob(ConcurrencyLimit.apply(job), replace, storeNonDurableWhileAwaitingScheduling);
  }

  @Override
  public void triggerJob(JobKey key) throws SchedulerException {
    triggerJob(key, null);
  }

  /** As Quartz's, but the firing starts at the database's time, not at this node's clock's. */
  @Override
  public void triggerJob(JobKey key, JobDataMap data) throws SchedulerException {
    TriggerBuilder<Trigger> b =
        TriggerBuilder.newTrigger()
            .withIdentity(manualTriggerName(), Scheduler.DEFAULT_GROUP)
            .forJob(key)
            .startAt(new Date(clock.now()));
    // A copy: the builder would keep the caller's map, and the trace context is added to it.
    if (data != null) b.usingJobData(new JobDataMap((Map<?, ?>) data));
    Trigger t = TriggerContexts.addTo(b.build());
    requireText(t);
    quartz.scheduleJob(t);
  }

  /**
   * Deletes the job and its triggers in one transaction: Quartz's own deleteJob removes them one
   * transaction each and fails when a one-shot's completion removed its trigger in between.
   */
  @Override
  public boolean deleteJob(JobKey key) throws SchedulerException {
    List<? extends Trigger> triggers = quartz.getTriggersOfJob(key);
    boolean removed = store.removeJob(key);
    if (removed) {
      for (SchedulerListener l : quartz.getListenerManager().getSchedulerListeners()) {
        for (Trigger t : triggers) l.jobUnscheduled(t.getKey());
        l.jobDeleted(key);
      }
    }
    return removed;
  }

  @Override
  public boolean deleteJobs(List<JobKey> keys) throws SchedulerException {
    boolean all = true;
    for (JobKey k : keys) all &= deleteJob(k);
    return all;
  }

  @Override
  public void addCalendar(String name, Calendar calendar, boolean replace, boolean updateTriggers)
      throws SchedulerException {
    throw new SchedulerException(
        "Calendar '"
            + name
            + "' refused: Quartz stores calendars as serialized Java objects, which Baton never"
            + " writes or reads. Exclude the dates in the job instead, or use a cron expression.");
  }

  // --- everything else is Quartz's own behaviour on Baton's store

  @Override
  public String getSchedulerName() throws SchedulerException {
    return quartz.getSchedulerName();
  }

  @Override
  public String getSchedulerInstanceId() throws SchedulerException {
    return quartz.getSchedulerInstanceId();
  }

  @Override
  public SchedulerContext getContext() throws SchedulerException {
    return quartz.getContext();
  }

  @Override
  public SchedulerMetaData getMetaData() throws SchedulerException {
    return quartz.getMetaData();
  }

  @Override
  public List<JobExecutionContext> getCurrentlyExecutingJobs() throws SchedulerException {
    return quartz.getCurrentlyExecutingJobs();
  }

  @Override
  public ListenerManager getListenerManager() throws SchedulerException {
    return quartz.getListenerManager();
  }

  @Override
  public boolean unscheduleJob(TriggerKey key) throws SchedulerException {
    return quartz.unscheduleJob(key);
  }

  @Override
  public boolean unscheduleJobs(List<TriggerKey> keys) throws SchedulerException {
    return quartz.unscheduleJobs(keys);
  }

  @Override
  public void pauseJob(JobKey key) throws SchedulerException {
    quartz.pauseJob(key);
  }

  @Override
  public void pauseJobs(GroupMatcher<JobKey> matcher) throws SchedulerException {
    quartz.pauseJobs(matcher);
  }

  @Override
  public void pauseTrigger(TriggerKey key) throws SchedulerException {
    quartz.pauseTrigger(key);
  }

  @Override
  public void pauseTriggers(GroupMatcher<TriggerKey> matcher) throws SchedulerException {
    quartz.pauseTriggers(matcher);
  }

  @Override
  public void resumeJob(JobKey key) throws SchedulerException {
    quartz.resumeJob(key);
  }

  @Override
  public void resumeJobs(GroupMatcher<JobKey> matcher) throws SchedulerException {
    quartz.resumeJobs(matcher);
  }

  @Override
  public void resumeTrigger(TriggerKey key) throws SchedulerException {
    quartz.resumeTrigger(key);
  }

  @Override
  public void resumeTriggers(GroupMatcher<TriggerKey> matcher) throws SchedulerException {
    quartz.resumeTriggers(matcher);
  }

  @Override
  public void pauseAll() throws SchedulerException {
    quartz.pauseAll();
  }

  @Override
  public void resumeAll() throws SchedulerException {
    quartz.resumeAll();
  }

  @Override
  public List<String> getJobGroupNames() throws SchedulerException {
    return quartz.getJobGroupNames();
  }

  @Override
  public Set<JobKey> getJobKeys(GroupMatcher<JobKey> matcher) throws SchedulerException {
    return quartz.getJobKeys(matcher);
  }

  @Override
  public List<? extends Trigger> getTriggersOfJob(JobKey key) throws SchedulerException {
    return quartz.getTriggersOfJob(key);
  }

  @Override
  public List<String> getTriggerGroupNames() throws SchedulerException {
    return quartz.getTriggerGroupNames();
  }

  @Override
  public Set<TriggerKey> getTriggerKeys(GroupMatcher<TriggerKey> matcher)
      throws SchedulerException {
    return quartz.getTriggerKeys(matcher);
  }

  @Override
  public Set<String> getPausedTriggerGroups() throws SchedulerException {
    return quartz.getPausedTriggerGroups();
  }

  @Override
  public JobDetail getJobDetail(JobKey key) throws SchedulerException {
    return quartz.getJobDetail(key);
  }

  /** Quartz 2.5.1+; under an older Quartz (Spring Boot 3.5 manages 2.5.0) nobody calls it. */
  @Override
  public List<JobDetail> getJobDetails(GroupMatcher<JobKey> matcher) throws SchedulerException {
    return quartz.getJobDetails(matcher);
  }

  @Override
  public Trigger getTrigger(TriggerKey key) throws SchedulerException {
    return quartz.getTrigger(key);
  }

  @Override
  public Trigger.TriggerState getTriggerState(TriggerKey key) throws SchedulerException {
    return quartz.getTriggerState(key);
  }

  @Override
  public void resetTriggerFromErrorState(TriggerKey key) throws SchedulerException {
    quartz.resetTriggerFromErrorState(key);
  }

  @Override
  public boolean deleteCalendar(String name) throws SchedulerException {
    return quartz.deleteCalendar(name);
  }

  @Override
  public Calendar getCalendar(String name) throws SchedulerException {
    return quartz.getCalendar(name);
  }

  @Override
  public List<String> getCalendarNames() throws SchedulerException {
    return quartz.getCalendarNames();
  }

  @Override
  public boolean interrupt(JobKey key) throws UnableToInterruptJobException {
    return quartz.interrupt(key);
  }

  @Override
  public boolean interrupt(String fireInstanceId) throws UnableToInterruptJobException {
    return quartz.interrupt(fireInstanceId);
  }

  @Override
  public boolean checkExists(JobKey key) throws SchedulerException {
    return quartz.checkExists(key);
  }

  @Override
  public boolean checkExists(TriggerKey key) throws SchedulerException {
    return quartz.checkExists(key);
  }

  @Override
  public void clear() throws SchedulerException {
    quartz.clear();
  }

  // --- checks

  private void requireText(JobDetail job) throws SchedulerException {
    if (job == null) throw new SchedulerException("JobDetail cannot be null");
    requireText("Job '" + job.getKey() + "'", job.getJobDataMap());
    scheduler.checkJobData(job);
  }

  private static void requireText(Trigger trigger) throws SchedulerException {
    if (trigger == null) throw new SchedulerException("Trigger cannot be null");
    requireText(
        "Trigger '" + trigger.getKey() + "' of job '" + trigger.getJobKey() + "'",
        trigger.getJobDataMap());
  }

  /**
   * Refuses, before anything is written, what stock Quartz with {@code useProperties=true} refuses
   * mid-write with a message that does not name the job: any value that is not a String.
   */
  private static void requireText(String owner, JobDataMap data) throws SchedulerException {
    if (data == null) return;
    for (Map.Entry<String, Object> e : data.entrySet()) {
      Object v = e.getValue();
      if (v instanceof String) continue;
      throw new SchedulerException(
          owner
              + ": job data '"
              + e.getKey()
              + "' is "
              + (v == null ? "null" : "a " + v.getClass().getName())
              + "; Baton stores job data as text only. Put it as a String (JobDataMap.getInt,"
              + " getLong, getBoolean... and Spring's property binding parse it).");
    }
  }

  private static String manualTriggerName() {
    return "MT_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }
}
