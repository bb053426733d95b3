package dev.baton.internal;

import dev.baton.internal.cron.DstCronScheduleBuilder;
import dev.baton.internal.store.ConcurrencyLimit;
import dev.baton.internal.tracing.TriggerContexts;
import dev.baton.scheduling.DstPolicy;
import dev.baton.scheduling.MisfirePolicy;
import dev.baton.scheduling.Run;
import dev.baton.scheduling.Schedule;
import dev.baton.scheduling.Task;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ScheduleBuilder;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;

/** Translates Baton tasks to Quartz jobs and triggers, and names them. */
public final class QuartzTasks {
  /** The Quartz group of every Baton task's job and trigger. */
  static final String GROUP = "baton";

  public static final String SCHEDULE_KEY = Task.RESERVED_PREFIX + "schedule";
  static final String MISFIRE_KEY = Task.RESERVED_PREFIX + "misfire";

  /** The lock a task runs under, and its lease in milliseconds; absent for unlocked tasks. */
  static final String LOCK_KEY = Task.RESERVED_PREFIX + "lock";

  static final String LOCK_LEASE_KEY = Task.RESERVED_PREFIX + "lockLeaseMillis";

  private QuartzTasks() {}

  static JobKey jobKey(String task) {
    return new JobKey(task, GROUP);
  }

  public static TriggerKey triggerKey(String task) {
    return new TriggerKey(task, GROUP);
  }

  public static JobDetail job(Task task, Class<? extends Job> jobClass) {
    JobDataMap data = new JobDataMap();
    data.putAll(task.data());
    // The schedule lives with the job so that a completed one-shot, whose trigger Quartz deletes,
    // is still recognised as unchanged at the next start instead of running again.
    data.put(SCHEDULE_KEY, task.schedule().spec());
    data.put(MISFIRE_KEY, task.misfirePolicy().name());
    if (task.lockName() != null) {
      data.put(LOCK_KEY, task.lockName());
      data.put(LOCK_LEASE_KEY, Long.toString(task.lockLease().toMillis()));
    }
    if (task.retryPolicy() != null) data.putAll(task.retryPolicy().toData());
    if (task.maxConcurrent() != null)
      data.put(ConcurrencyLimit.KEY, task.maxConcurrent().toString());
    return ConcurrencyLimit.apply(
        JobBuilder.newJob(jobClass)
            .withIdentity(jobKey(task.name()))
            .withDescription(task.description())
            .usingJobData(data)
            .storeDurably()
            .requestRecovery(task.recoverable())
            .build());
  }

  /**
   * @param firstFire when an interval schedule first fires; null for at once
   * @param now now on the database's clock: the start of cron and interval schedules
   */
  public static OperableTrigger trigger(Task task, Instant firstFire, long now) {
    Schedule s = task.schedule();
    TriggerBuilder<Trigger> b =
        TriggerBuilder.newTrigger()
            .withIdentity(triggerKey(task.name()))
            .forJob(jobKey(task.name()));
    ScheduleBuilder<? extends Trigger> schedule;
    if (s instanceof Schedule.Cron c) {
      int misfire =
          switch (task.misfirePolicy()) {
            case FIRE_ONCE_NOW -> CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW;
            case SKIP -> CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING;
            case FIRE_ALL_MISSED -> Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY;
          };
      schedule =
          new DstCronScheduleBuilder(c.expression(), TimeZone.getTimeZone(c.zone()), misfire);
      // The policy travels in the trigger's own data, which every node reads with the trigger;
      // the default is written as nothing, as it is for triggers stored before policies existed.
      if (c.dstPolicy() != DstPolicy.defaultPolicy()) {
        b.usingJobData(DstPolicy.TRIGGER_DATA_KEY, c.dstPolicy().name());
      }
      b.startAt(new Date(now));
    } else if (s instanceof Schedule.Every e) {
      SimpleScheduleBuilder every =
          SimpleScheduleBuilder.simpleSchedule()
              .withIntervalInMilliseconds(e.interval().toMillis())
              .repeatForever();
      schedule =
          switch (task.misfirePolicy()) {
            case FIRE_ONCE_NOW -> every.withMisfireHandlingInstructionNowWithExistingCount();
            case SKIP -> every.withMisfireHandlingInstructionNextWithRemainingCount();
            case FIRE_ALL_MISSED -> every.withMisfireHandlingInstructionIgnoreMisfires();
          };
      if (firstFire == null) b.startAt(new Date(now));
      else b.startAt(Date.from(firstFire));
    } else {
      Schedule.Once o = (Schedule.Once) s;
      SimpleScheduleBuilder once = SimpleScheduleBuilder.simpleSchedule();
      schedule =
          switch (task.misfirePolicy()) {
            case FIRE_ONCE_NOW -> once.withMisfireHandlingInstructionFireNow();
            case SKIP -> once.withMisfireHandlingInstructionNextWithRemainingCount();
            case FIRE_ALL_MISSED -> once.withMisfireHandlingInstructionIgnoreMisfires();
          };
      b.startAt(Date.from(o.at()));
    }
    OperableTrigger trigger = (OperableTrigger) b.withSchedule(schedule).build();
    trigger.computeFirstFireTime(null);
    return trigger;
  }

  /** A one-off firing of the task's job at {@code now} (database time), as Quartz's triggerJob. */
  static OperableTrigger runNow(String task, long now) {
    return runNow(task, now, Map.of());
  }

  /** As {@link #runNow(String, long)}, with {@code data} in the firing's trigger. */
  static OperableTrigger runNow(String task, long now, Map<String, String> data) {
    String id =
        "MT_"
            + Long.toUnsignedString(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    TriggerBuilder<Trigger> b =
        TriggerBuilder.newTrigger()
            .withIdentity(id, org.quartz.Scheduler.DEFAULT_GROUP)
            .forJob(jobKey(task))
            .startAt(new Date(now));
    if (!data.isEmpty()) b.usingJobData(new JobDataMap(data));
    // Whoever asked for the run: its trace context goes with the firing.
    return TriggerContexts.addTo((OperableTrigger) b.build());
  }

  /**
   * A run of a task: a trigger of its job named {@code <task>#<id>} (task names hold no '#'), in
   * the tasks' group, with the run's data; at {@code now} (database time) unless it has a time. A
   * late run fires as soon as it can: runs are work asked for, never skipped as misfired.
   */
  static OperableTrigger run(Run run, long now) {
    TriggerBuilder<SimpleTrigger> b =
        TriggerBuilder.newTrigger()
            .withIdentity(run.task() + "#" + run.id(), GROUP)
            .forJob(jobKey(run.task()))
            .startAt(run.at() == null ? new Date(now) : Date.from(run.at()))
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow());
    if (!run.data().isEmpty()) b.usingJobData(new JobDataMap(run.data()));
    OperableTrigger trigger = (OperableTrigger) b.build();
    trigger.computeFirstFireTime(null);
    return trigger;
  }

  /** A one-shot whose time has passed and whose trigger is gone has run (or been skipped). */
  public static boolean completedIfMissing(Task task, Instant now) {
    return task.schedule() instanceof Schedule.Once o && !o.at().isAfter(now);
  }

  /** The task's own data, without Baton's reserved keys. */
  static Map<String, String> userData(Map<String, String> stored) {
    Map<String, String> out = new java.util.TreeMap<>(stored);
    out.keySet().removeIf(k -> k.startsWith(Task.RESERVED_PREFIX));
    return out;
  }

  static MisfirePolicy misfire(Map<String, String> stored) {
    String v = stored.get(MISFIRE_KEY);
    try {
      return v == null ? null : MisfirePolicy.valueOf(v);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  static boolean isCronOrSimple(Trigger t) {
    return t instanceof CronTrigger || t instanceof SimpleTrigger;
  }
}
