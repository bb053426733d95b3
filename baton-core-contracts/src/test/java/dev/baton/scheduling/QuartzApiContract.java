package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quartz.CalendarIntervalScheduleBuilder.calendarIntervalSchedule;
import static org.quartz.CronScheduleBuilder.cronSchedule;
import static org.quartz.DailyTimeIntervalScheduleBuilder.dailyTimeIntervalSchedule;
import static org.quartz.JobBuilder.newJob;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;
import static org.quartz.TriggerBuilder.newTrigger;

import dev.baton.Baton;
import dev.baton.testing.Recorder;
import dev.baton.testing.Recorder.Execution;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.calendar.WeeklyCalendar;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.listeners.JobListenerSupport;
import org.quartz.spi.JobFactory;

/**
 * {@code Baton.quartz()}: code written against Quartz's {@link Scheduler} runs on Baton, on every
 * database, with Baton's guarantees and refusals. One small subclass per database.
 */
abstract class QuartzApiContract {
  private static final Duration WAIT = Duration.ofSeconds(40);

  private TestDatabase db;
  private TestNodes nodes;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  @Test
  void everyTriggerTypeFiresEachScheduledTimeOnceAcrossTwoNodes() throws Exception {
    Scheduler a = nodes.start("a", b -> b).quartz();
    nodes.start("b", b -> b);
    schedule(
        a,
        "simple",
        newTrigger().withSchedule(simpleSchedule().withIntervalInSeconds(1).repeatForever()));
    schedule(a, "cron", newTrigger().withSchedule(cronSchedule("* * * * * ?")));
    schedule(
        a,
        "calendar",
        newTrigger().withSchedule(calendarIntervalSchedule().withIntervalInSeconds(1)));
    schedule(
        a,
        "daily",
        newTrigger().withSchedule(dailyTimeIntervalSchedule().withIntervalInSeconds(1)));

    for (String job : List.of("simple", "cron", "calendar", "daily")) {
      await(job).atMost(WAIT).until(() -> Recorder.of(job).size() >= 4);
      List<Execution> runs = Recorder.of(job);
      Set<Instant> times = new HashSet<>();
      for (Execution e : runs) {
        assertThat(times.add(e.scheduled()))
            .as("%s fired twice for %s", job, e.scheduled())
            .isTrue();
      }
    }
    assertThat(Recorder.of("cron")).extracting(Execution::node).containsAnyOf("a", "b");
    assertThat(a.getTriggerState(TriggerKey.triggerKey("daily-trigger", "app")))
        .isEqualTo(Trigger.TriggerState.NORMAL);
  }

  /**
   * Many runs of one job, each with its own data, are ordinary Quartz: triggers of one durable job.
   * Stored through Quartz's API they fire once each with their data; Baton's runs of a task are
   * such triggers too, and Quartz's API sees them.
   */
  @Test
  void manyTriggersOfOneJobEachWithItsOwnDataFireOnceEachAndBatonRunsAreSuchTriggers()
      throws Exception {
    Baton node =
        nodes.start(
            "a", b -> b.task(Task.named("mail").onDemand().runs(RecordingJob.class).build()));
    nodes.start("b", b -> b);
    Scheduler a = node.quartz();
    JobDetail job = newJob(RecordingJob.class).withIdentity("orders", "app").storeDurably().build();
    Set<Trigger> triggers = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      triggers.add(
          newTrigger()
              .withIdentity("order-" + i, "app")
              .forJob(job)
              .usingJobData("order", Integer.toString(i))
              .startNow()
              .build());
    }
    a.scheduleJob(job, triggers, false);
    node.submit(Run.of("mail").id("r1").data("order", "mail-1").build());

    await().atMost(WAIT).until(() -> Recorder.of("orders").size() == 40);
    assertThat(Recorder.of("orders").stream().map(e -> e.data().get("order")).distinct())
        .hasSize(40);
    await().atMost(WAIT).until(() -> Recorder.of("mail").size() == 1);
    assertThat(Recorder.of("mail").get(0).data()).containsEntry("order", "mail-1");
    assertThat(a.checkExists(job.getKey())).isTrue();
    assertThat(a.getTriggersOfJob(job.getKey())).isEmpty();

    Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    node.submit(Run.of("mail").id("later").at(later).build());
    List<? extends Trigger> pending = a.getTriggersOfJob(org.quartz.JobKey.jobKey("mail", "baton"));
    assertThat(pending).extracting(t -> t.getKey().getName()).containsExactly("mail#later");
    assertThat(pending.get(0).getNextFireTime().toInstant()).isEqualTo(later);
    assertThat(Recorder.of("orders")).hasSize(40);
  }

  @Test
  void nonStringJobDataIsRefusedNamingTheJobAndKeyAndNothingIsStored() throws Exception {
    Scheduler q = nodes.start("a", b -> b).quartz();
    JobDetail job =
        newJob(RecordingJob.class).withIdentity("counted", "app").usingJobData("limit", 5).build();
    Trigger t = newTrigger().withIdentity("counted-trigger", "app").forJob(job).startNow().build();

    assertThatThrownBy(() -> q.scheduleJob(job, t))
        .isInstanceOf(SchedulerException.class)
        .hasMessageContaining("app.counted")
        .hasMessageContaining("'limit'")
        .hasMessageContaining("java.lang.Integer");
    assertThat(q.checkExists(job.getKey())).isFalse();

    JobDetail fine = newJob(RecordingJob.class).withIdentity("fine", "app").storeDurably().build();
    q.addJob(fine, false);
    Trigger bad =
        newTrigger().withIdentity("bad", "app").forJob(fine).usingJobData("on", true).build();
    assertThatThrownBy(() -> q.scheduleJob(bad))
        .hasMessageContaining("app.bad")
        .hasMessageContaining("'on'")
        .hasMessageContaining("java.lang.Boolean");
    assertThat(q.checkExists(bad.getKey())).isFalse();
  }

  @Test
  void calendarsAreRefusedBecauseQuartzStoresThemAsJavaObjects() throws Exception {
    Scheduler q = nodes.start("a", b -> b).quartz();
    assertThatThrownBy(() -> q.addCalendar("weekends", new WeeklyCalendar(), false, false))
        .hasMessageContaining("'weekends'")
        .hasMessageContaining("serialized Java objects");
    assertThat(q.getCalendarNames()).isEmpty();
  }

  @Test
  void listenersPauseResumeTriggerJobAndDeleteBehaveAsInQuartz() throws Exception {
    Scheduler q = nodes.start("a", b -> b).quartz();
    AtomicInteger heard = new AtomicInteger();
    q.getListenerManager()
        .addJobListener(
            new JobListenerSupport() {
              @Override
              public String getName() {
                return "counter";
              }

              @Override
              public void jobWasExecuted(
                  JobExecutionContext ctx, org.quartz.JobExecutionException e) {
                if (ctx.getJobDetail().getKey().getName().equals("manual")) heard.incrementAndGet();
              }
            });
    JobDetail job =
        newJob(RecordingJob.class)
            .withIdentity("manual", "app")
            .usingJobData("who", "quartz")
            .storeDurably()
            .build();
    q.addJob(job, false);

    q.triggerJob(job.getKey());
    await().atMost(WAIT).until(() -> Recorder.of("manual").size() == 1);
    assertThat(Recorder.of("manual").get(0).data()).containsEntry("who", "quartz");
    await().atMost(WAIT).until(() -> heard.get() == 1);

    // Due in 2 s, paused long before: it must not fire while paused, even once its time has come.
    long due = System.currentTimeMillis() + 2000;
    Trigger every =
        newTrigger()
            .withIdentity("every", "app")
            .forJob(job)
            .startAt(new java.util.Date(due))
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(300).repeatForever())
            .build();
    q.scheduleJob(every);
    q.pauseJob(job.getKey());
    assertThat(q.getTriggerState(every.getKey())).isEqualTo(Trigger.TriggerState.PAUSED);
    int before = Recorder.of("manual").size();
    q.triggerJob(job.getKey(), new org.quartz.JobDataMap(java.util.Map.of("who", "again")));
    await()
        .atMost(WAIT)
        .until(
            () ->
                Recorder.of("manual").stream().anyMatch(e -> "again".equals(e.data().get("who"))));
    // What is awaited here is the passing of the paused trigger's due time (plus idle waits).
    await().atMost(WAIT).until(() -> System.currentTimeMillis() > due + 1500);
    assertThat(Recorder.of("manual"))
        .extracting(e -> e.data().get("who"))
        .containsExactly("quartz", "again");
    assertThat(Recorder.of("manual")).hasSize(before + 1);

    q.resumeJob(job.getKey());
    assertThat(q.getTriggerState(every.getKey())).isEqualTo(Trigger.TriggerState.NORMAL);
    await().atMost(WAIT).until(() -> Recorder.of("manual").size() >= before + 3);

    assertThat(q.deleteJob(job.getKey())).isTrue();
    assertThat(q.checkExists(job.getKey())).isFalse();
    assertThat(q.checkExists(every.getKey())).isFalse();
    assertThat(q.getJobKeys(GroupMatcher.jobGroupEquals("app"))).isEmpty();
  }

  @Test
  void aPausedTriggerStaysPausedWhenItIsReplaced() throws Exception {
    Scheduler q = nodes.start("a", b -> b).quartz();
    JobDetail job = newJob(RecordingJob.class).withIdentity("paused-job", "app").build();
    Trigger first =
        newTrigger()
            .withIdentity("kept", "app")
            .forJob(job)
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(200).repeatForever())
            .startNow()
            .build();
    q.scheduleJob(job, first);
    q.pauseTrigger(first.getKey());
    // As Spring's overwrite-existing-jobs does at every start: the same trigger stored again.
    Trigger again =
        newTrigger()
            .withIdentity("kept", "app")
            .forJob(job)
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(100).repeatForever())
            .startNow()
            .build();
    q.rescheduleJob(first.getKey(), again);
    assertThat(q.getTriggerState(first.getKey())).isEqualTo(Trigger.TriggerState.PAUSED);
    // A trigger that was not paused is stored waiting, as in Quartz.
    q.resumeTrigger(first.getKey());
    q.rescheduleJob(
        first.getKey(),
        newTrigger()
            .withIdentity("kept", "app")
            .forJob(job)
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(100).repeatForever())
            .startNow()
            .build());
    assertThat(q.getTriggerState(first.getKey())).isEqualTo(Trigger.TriggerState.NORMAL);
    await().atMost(WAIT).until(() -> Recorder.of("paused-job").size() >= 1);
  }

  @Test
  void aNodeBuiltInStandbyFiresOnlyOnceStartedAndShutdownDrainsTheNode() throws Exception {
    Baton node = nodes.build("a", b -> b);
    Scheduler q = node.quartz();
    assertThat(q.isStarted()).isFalse();
    assertThat(node.isRunning()).isFalse();
    schedule(
        q,
        "waiting",
        newTrigger()
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(200).repeatForever()));
    assertThat(q.getSchedulerName()).isEqualTo("baton");
    assertThat(q.getSchedulerInstanceId()).isEqualTo("a");

    q.start();
    assertThat(node.isRunning()).isTrue();
    await().atMost(WAIT).until(() -> Recorder.of("waiting").size() >= 2);
    assertThat(Recorder.of("waiting")).extracting(Execution::node).containsOnly("a");

    q.standby();
    assertThat(q.isInStandbyMode()).isTrue();
    q.start();
    assertThat(q.isInStandbyMode()).isFalse();

    q.shutdown(false);
    assertThat(node.isClosed()).isTrue();
    assertThat(q.isShutdown()).isTrue();
    assertThatThrownBy(q::start)
        .isInstanceOf(SchedulerException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aStandbyNodeTakesNoFiringThatAStartedOneWould() throws Exception {
    Scheduler standby = nodes.build("idle", b -> b).quartz();
    schedule(
        standby,
        "soon",
        newTrigger()
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(200).repeatForever()));
    nodes.start("busy", b -> b);
    await().atMost(WAIT).until(() -> Recorder.of("soon").size() >= 5);
    assertThat(Recorder.of("soon")).extracting(Execution::node).containsOnly("busy");
  }

  @Test
  void anInstalledJobFactoryBuildsInjectedJobsAndItsFailuresSkipTheFiringInsteadOfError()
      throws Exception {
    Scheduler q = nodes.build("a", b -> b).quartz();
    AtomicInteger refusals = new AtomicInteger();
    JobFactory injecting =
        (bundle, scheduler) -> {
          Class<? extends Job> c = bundle.getJobDetail().getJobClass();
          if (c == GreetingJob.class) return new GreetingJob("hello");
          refusals.incrementAndGet();
          throw new SchedulerException("no bean for " + c.getName());
        };
    q.setJobFactory(injecting);
    q.start();
    schedule(
        q,
        "greeting",
        GreetingJob.class,
        newTrigger()
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(200).repeatForever()));
    schedule(
        q,
        "refused",
        RecordingJob.class,
        newTrigger()
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(200).repeatForever()));

    await().atMost(WAIT).until(() -> Recorder.of("greeting").size() >= 2 && refusals.get() >= 3);
    assertThat(Recorder.of("greeting").get(0).data()).containsEntry("greeting", "hello");
    assertThat(Recorder.of("refused")).isEmpty();
    assertThat(q.getTriggerState(TriggerKey.triggerKey("refused-trigger", "app")))
        .isEqualTo(Trigger.TriggerState.NORMAL);
    assertThat(errorTriggers()).isZero();
  }

  @Test
  void aTaskWhoseJobTakesItsDependenciesByConstructorNeedsTheBuildersJobFactory() {
    Task greeter =
        Task.named("greeter").every(Duration.ofMillis(200)).runs(GreetingJob.class).build();
    assertThatThrownBy(() -> nodes.start("plain", b -> b.task(greeter)))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("no public no-argument constructor")
        .hasMessageContaining("BatonBuilder.jobFactory");

    nodes.start("injecting", b -> b.jobFactory((bundle, s) -> new GreetingJob("hi")).task(greeter));
    await().atMost(WAIT).until(() -> Recorder.of("greeter").size() >= 2);
    assertThat(Recorder.of("greeter")).extracting(e -> e.data().get("greeting")).containsOnly("hi");
  }

  @Test
  void aNonPublicJobWithANonPublicConstructorRunsOnceAnInjectingFactoryIsInstalled()
      throws Exception {
    Task hidden =
        Task.named("hidden").every(Duration.ofMillis(200)).runs(HiddenGreetingJob.class).build();
    assertThatThrownBy(() -> nodes.start("plain", b -> b.task(hidden)))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("'" + HiddenGreetingJob.class.getName() + "' is not public")
        .hasMessageContaining("BatonBuilder.jobFactory");

    // As Spring's createBean does: the one declared constructor, made accessible, its argument
    // injected.
    JobFactory reflective =
        (bundle, s) -> {
          try {
            java.lang.reflect.Constructor<?> k =
                bundle.getJobDetail().getJobClass().getDeclaredConstructors()[0];
            k.setAccessible(true);
            return (Job) k.newInstance("hi");
          } catch (ReflectiveOperationException e) {
            throw new SchedulerException(e);
          }
        };
    Baton node = nodes.start("injecting", b -> b.jobFactory(reflective).task(hidden));
    // Through the Quartz API too, where a class the node does not count runnable is never acquired.
    schedule(
        node.quartz(),
        "hiddenQuartz",
        HiddenGreetingJob.class,
        newTrigger()
            .withSchedule(simpleSchedule().withIntervalInMilliseconds(200).repeatForever()));
    await()
        .atMost(WAIT)
        .until(() -> Recorder.of("hidden").size() >= 2 && Recorder.of("hiddenQuartz").size() >= 2);
    assertThat(Recorder.of("hidden")).extracting(e -> e.data().get("greeting")).containsOnly("hi");
    assertThat(Recorder.of("hiddenQuartz")).extracting(Execution::node).containsOnly("injecting");
  }

  /** A job as Spring builds it: package-private class, package-private injected constructor. */
  static final class HiddenGreetingJob implements Job {
    private final String greeting;

    HiddenGreetingJob(String greeting) {
      this.greeting = greeting;
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      ctx.getMergedJobDataMap().put("greeting", greeting);
      Recorder.record(ctx, () -> {});
    }
  }

  /** A job with constructor injection only: runnable once a job factory is installed. */
  public static final class GreetingJob implements Job {
    private final String greeting;

    public GreetingJob(String greeting) {
      this.greeting = greeting;
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      ctx.getMergedJobDataMap().put("greeting", greeting);
      Recorder.record(ctx, () -> {});
    }
  }

  private void schedule(Scheduler q, String name, TriggerBuilder<? extends Trigger> trigger)
      throws SchedulerException {
    schedule(q, name, RecordingJob.class, trigger);
  }

  private void schedule(
      Scheduler q,
      String name,
      Class<? extends Job> jobClass,
      TriggerBuilder<? extends Trigger> trigger)
      throws SchedulerException {
    JobDetail job = newJob(jobClass).withIdentity(name, "app").build();
    q.scheduleJob(
        job, trigger.withIdentity(name + "-trigger", "app").forJob(job).startNow().build());
  }

  private long errorTriggers() throws Exception {
    try (Connection c = db.pool(1).getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
