package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.internal.JobData;
import dev.baton.internal.classloading.JobClasses;
import dev.baton.testing.RecordingJob;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Task definitions are validated whole in build(), with the task, field and fix named. */
class TaskValidationTest {

  private static void refused(String field, String fragment, Supplier<Task> build) {
    assertThatThrownBy(build::get)
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(fragment)
        .satisfies(e -> assertThat(((InvalidTaskException) e).field()).isEqualTo(field));
  }

  @Test
  void aCronScheduleCarriesItsDstPolicyAndOnlyANonDefaultOneChangesItsSpec() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    Task plain = Task.named("t").cron("0 30 2 * * ?", paris).runs(RecordingJob.class).build();
    Task stock =
        Task.named("t")
            .schedule(Schedule.cron("0 30 2 * * ?").inZone(paris).dstPolicy(DstPolicy.QUARTZ))
            .runs(RecordingJob.class)
            .build();
    assertThat(((Schedule.Cron) plain.schedule()).dstPolicy()).isEqualTo(DstPolicy.ISC_CRON);
    // Stored specs from before policies existed still match the default's.
    assertThat(plain.schedule().spec()).isEqualTo("cron:0 30 2 * * ? @Europe/Paris");
    assertThat(stock.schedule().spec()).isEqualTo("cron:0 30 2 * * ? @Europe/Paris dst:QUARTZ");
    assertThat(stock).isNotEqualTo(plain);
    assertThat(
            Task.named("t")
                .cron("0 30 2 * * ?", paris)
                .dstPolicy(DstPolicy.QUARTZ)
                .runs(RecordingJob.class)
                .build())
        .isEqualTo(stock);
    refused(
        "dstPolicy",
        "cron schedules only",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .dstPolicy(DstPolicy.QUARTZ)
                .runs(RecordingJob.class)
                .build());
  }

  @Test
  void badDefinitionsAreRefused() {
    refused(
        "name",
        "letters",
        () -> Task.named("").every(Duration.ofSeconds(1)).runs(RecordingJob.class).build());
    refused(
        "name",
        "letters",
        () -> Task.named("a/b").every(Duration.ofSeconds(1)).runs(RecordingJob.class).build());
    refused(
        "cron",
        "'* * *' is invalid",
        () -> Task.named("t").cron("* * *").runs(RecordingJob.class).build());
    refused(
        "timeZone",
        "Mars/Olympus",
        () ->
            Task.named("t")
                .cron("* * * * * ?")
                .timeZone("Mars/Olympus")
                .runs(RecordingJob.class)
                .build());
    refused(
        "timeZone",
        "cron schedules only",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .timeZone("UTC")
                .runs(RecordingJob.class)
                .build());
    refused(
        "interval",
        "not positive",
        () -> Task.named("t").every(Duration.ZERO).runs(RecordingJob.class).build());
    refused("schedule", "missing", () -> Task.named("t").runs(RecordingJob.class).build());
    refused(
        "schedule",
        "more than once",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .once(Instant.now())
                .runs(RecordingJob.class)
                .build());
    refused("jobClass", "missing", () -> Task.named("t").every(Duration.ofSeconds(1)).build());
    refused(
        "description",
        "at most 250",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(RecordingJob.class)
                .description("x".repeat(251))
                .build());
    refused(
        "data",
        "reserved prefix",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(RecordingJob.class)
                .data("baton.schedule", "x")
                .build());
    refused(
        "underLock",
        "non-blank lock name",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(RecordingJob.class)
                .underLock(" ")
                .build());
    refused(
        "underLock",
        "at most 190",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(RecordingJob.class)
                .underLock("x".repeat(191))
                .build());
    refused(
        "underLock",
        "at least 1 ms",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(RecordingJob.class)
                .underLock("l", Duration.ZERO)
                .build());
    Map<String, Object> nonString = new HashMap<>();
    nonString.put("count", 5);
    refused(
        "data",
        "java.lang.Integer",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(RecordingJob.class)
                .data(nonString)
                .build());
    refused(
        "jobClass",
        "annotate the one to use with @Autowired",
        () ->
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(NoChoosableConstructor.class)
                .build());
  }

  @Test
  void aJobClassAnInjectingFactoryCanBuildIsAcceptedWhateverItsVisibility() {
    // Spring's createBean builds these: the only constructor, public or not; a no-argument one.
    assertThat(
            Task.named("t")
                .every(Duration.ofSeconds(1))
                .runs(PackagePrivateJob.class)
                .build()
                .jobClassName())
        .isEqualTo(PackagePrivateJob.class.getName());
    Task.named("t").every(Duration.ofSeconds(1)).runs(PrivateConstructorOnly.class).build();
    Task.named("t").every(Duration.ofSeconds(1)).runs(NonPublicNoArgAmongOthers.class).build();
  }

  @Test
  void withoutAnInjectingFactoryOnlyAPublicNoArgumentConstructorDoes() {
    JobClasses.check("t", RecordingJob.class, false);
    for (Class<?> c :
        new Class<?>[] {PrivateConstructorOnly.class, NonPublicNoArgAmongOthers.class}) {
      assertThatThrownBy(() -> JobClasses.check("t", c, false))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("'" + c.getName() + "' has no public no-argument constructor")
          .hasMessageContaining("BatonBuilder.jobFactory");
    }
    // Baton calls the constructor from its own package: a public one of a class that is not public
    // would fail at every firing.
    for (Class<?> c :
        new Class<?>[] {PackagePrivateJob.class, PackagePrivateWithPublicConstructor.class}) {
      assertThatThrownBy(() -> JobClasses.check("t", c, false))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("'" + c.getName() + "' is not public")
          .hasMessageContaining("BatonBuilder.jobFactory");
    }
    JobClasses.check("t", PackagePrivateJob.class, true);
  }

  @Test
  void aValidDefinitionKeepsWhatWasGiven() {
    Task t =
        Task.named("report")
            .cron("0 0 2 * * ?", ZoneId.of("Europe/Paris"))
            .runs(RecordingJob.class)
            .data("b", "2")
            .data("a", "1")
            .recoverable()
            .misfire(MisfirePolicy.SKIP)
            .build();
    assertThat(t.schedule().spec()).isEqualTo("cron:0 0 2 * * ? @Europe/Paris");
    assertThat(t.data()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(t.recoverable()).isTrue();
    assertThat(t.misfirePolicy()).isEqualTo(MisfirePolicy.SKIP);
  }

  @Test
  void serializedJavaObjectsAreNeverRead() {
    byte[] serialized = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x73, 0x72};
    assertThatThrownBy(() -> JobData.parse(serialized, "job baton.x JOB_DATA"))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("job baton.x JOB_DATA")
        .hasMessageContaining("never deserializes");
  }

  /** Several constructors, none without arguments, none annotated: no factory can choose one. */
  public static final class NoChoosableConstructor implements org.quartz.Job {
    public NoChoosableConstructor(String a) {}

    public NoChoosableConstructor(String a, String b) {}

    @Override
    public void execute(org.quartz.JobExecutionContext context) {}
  }

  /** Package-private, with a package-private injected constructor. */
  static final class PackagePrivateJob implements org.quartz.Job {
    PackagePrivateJob(String service) {}

    @Override
    public void execute(org.quartz.JobExecutionContext context) {}
  }

  static final class PackagePrivateWithPublicConstructor implements org.quartz.Job {
    public PackagePrivateWithPublicConstructor() {}

    @Override
    public void execute(org.quartz.JobExecutionContext context) {}
  }

  public static final class PrivateConstructorOnly implements org.quartz.Job {
    private PrivateConstructorOnly() {}

    @Override
    public void execute(org.quartz.JobExecutionContext context) {}
  }

  public static final class NonPublicNoArgAmongOthers implements org.quartz.Job {
    NonPublicNoArgAmongOthers() {}

    public NonPublicNoArgAmongOthers(String service) {}

    @Override
    public void execute(org.quartz.JobExecutionContext context) {}
  }
}
