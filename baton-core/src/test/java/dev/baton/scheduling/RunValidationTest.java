package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.testing.RecordingJob;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Runs and on-demand tasks are validated in build(), with the task, field and fix named. */
class RunValidationTest {

  private static void refused(String field, String fragment, Supplier<?> build) {
    assertThatThrownBy(build::get)
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(fragment)
        .satisfies(e -> assertThat(((InvalidTaskException) e).field()).isEqualTo(field));
  }

  @Test
  void anOnDemandTaskHasNoOtherSchedule() {
    Task t = Task.named("mail").onDemand().runs(RecordingJob.class).build();
    assertThat(t.schedule()).isSameAs(Schedule.onDemand());
    assertThat(t.schedule().spec()).isEqualTo("on-demand");
    assertThat(Task.named("mail").schedule(Schedule.onDemand()).runs(RecordingJob.class).build())
        .isEqualTo(t);
    refused(
        "schedule",
        "choose one of cron, every, once and onDemand",
        () ->
            Task.named("mail")
                .onDemand()
                .every(Duration.ofSeconds(1))
                .runs(RecordingJob.class)
                .build());
    refused("schedule", "onDemand()", () -> Task.named("mail").runs(RecordingJob.class).build());
  }

  @Test
  void aRunWithoutAnIdGetsAUniqueOneAndKeepsItsData() {
    Run a = Run.of("mail").data("to", "ada@example.com").build();
    Run b = Run.of("mail").data("to", "ada@example.com").build();
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.at()).isNull();
    assertThat(a.data()).isEqualTo(Map.of("to", "ada@example.com"));
    assertThat(Run.of("mail").id("order-1").build())
        .isEqualTo(Run.of("mail").id("order-1").build());
  }

  @Test
  void badRunsAreRefused() {
    refused("name", "not a task name", () -> Run.of("has space").build());
    refused("name", "not a task name", () -> Run.of(null).build());
    refused("run.id", "give 1 to 100", () -> Run.of("mail").id("").build());
    refused("run.id", "give 1 to 100", () -> Run.of("mail").id("x".repeat(101)).build());
    refused("run.id", "control character", () -> Run.of("mail").id("a\nb").build());
    // The task's name and the id share the stored trigger name's 190 characters.
    String longName = "t".repeat(150);
    assertThat(Run.of(longName).id("x".repeat(39)).build().id()).hasSize(39);
    refused("run.id", "give at most 39", () -> Run.of(longName).id("x".repeat(40)).build());
    refused("run.data", "reserved prefix", () -> Run.of("mail").data("baton.x", "1").build());
    Map<String, Object> number = new HashMap<>();
    number.put("n", 1);
    refused("run.data", "must be strings", () -> Run.of("mail").data(number).build());
  }
}
