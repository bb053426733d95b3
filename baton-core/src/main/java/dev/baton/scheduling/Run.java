package dev.baton.scheduling;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One run of a registered task with data of its own: what db-scheduler calls a task instance and
 * JobRunr an enqueued job. Many runs share their task's definition (job class, recovery, retries,
 * limits, lock), so each costs a trigger row and no job row of its own. Submit them with {@code
 * BatonClient.submit}:
 *
 * <pre>{@code
 * Task sendMail = Task.named("send-mail").onDemand().runs(SendMailJob.class).build();
 * baton.register(sendMail);
 * baton.submit(Run.of("send-mail").id("order-4711").data("to", "ada@example.com").build());
 * }</pre>
 *
 * <p>The job reads a run's data merged over its task's ({@code context.getMergedJobDataMap()}). A
 * run fires at {@link #at()} (now, on the database's clock, unless given) and, like every firing,
 * once cluster-wide; a run that could not fire on time fires as soon as it can (runs are never
 * skipped as misfired). Its id is unique among its task's pending runs: submitting an id that is
 * still pending changes nothing. Once a run has fired its id may be used again. History records a
 * run's trigger as {@code <task>#<id>}.
 */
public final class Run {
  /** The longest run id. */
  public static final int MAX_ID = 100;

  /** Stored trigger names are at most this long, and a run's is its task's, '#', and its id. */
  private static final int MAX_KEY = 190;

  private final String task;
  private final String id;
  private final Instant at;
  private final Map<String, String> data;

  private Run(String task, String id, Instant at, Map<String, String> data) {
    this.task = task;
    this.id = id;
    this.at = at;
    this.data = data;
  }

  /** Starts a run of the registered task {@code task}. */
  public static Builder of(String task) {
    return new Builder(task);
  }

  /** The task it runs. */
  public String task() {
    return task;
  }

  /** Its id, unique among the task's pending runs. */
  public String id() {
    return id;
  }

  /** When it fires; null for now, on the database's clock. */
  public Instant at() {
    return at;
  }

  /** Its own data, read merged over the task's. */
  public Map<String, String> data() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Run r
        && task.equals(r.task)
        && id.equals(r.id)
        && Objects.equals(at, r.at)
        && data.equals(r.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(task, id);
  }

  @Override
  public String toString() {
    return "Run[" + task + "#" + id + (at == null ? "" : " at " + at) + "]";
  }

  /** Builds a {@link Run}; {@link #build()} validates it. */
  public static final class Builder {
    private final String task;
    private String id;
    private Instant at;
    private final Map<String, Object> rawData = new LinkedHashMap<>();

    private Builder(String task) {
      this.task = task;
    }

    /**
     * Its id: 1 to {@value Run#MAX_ID} characters, no control characters. Without one it gets a
     * random UUID. Give one to make submitting idempotent, e.g. the id of the order it serves.
     */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** When it fires; without it, now. */
    public Builder at(Instant at) {
      this.at = at;
      return this;
    }

    public Builder data(String key, String value) {
      rawData.put(key, value);
      return this;
    }

    /** Adds every entry; values must be strings, as for {@link Task.Builder#data(Map)}. */
    public Builder data(Map<String, ?> entries) {
      rawData.putAll(entries);
      return this;
    }

    /**
     * Validates the run.
     *
     * @throws InvalidTaskException naming the field ({@code name}, {@code run.id}, {@code
     *     run.data}) and what to change
     */
    public Run build() {
      String shown = task == null ? "" : task;
      if (task == null || !Task.validName(task)) {
        throw new InvalidTaskException(shown, "name", "is not a task name");
      }
      String runId = id == null ? UUID.randomUUID().toString() : id;
      if (runId.isEmpty() || runId.length() > MAX_ID) {
        throw new InvalidTaskException(
            task, "run.id", "is " + runId.length() + " characters; give 1 to " + MAX_ID);
      }
      if (runId.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidTaskException(task, "run.id", "holds a control character");
      }
      if (task.length() + 1 + runId.length() > MAX_KEY) {
        throw new InvalidTaskException(
            task,
            "run.id",
            "is too long for this task's name: the two together may have "
                + (MAX_KEY - 1)
                + " characters; give at most "
                + (MAX_KEY - 1 - task.length()));
      }
      return new Run(task, runId, at, Task.validData(task, "run.data", rawData));
    }
  }
}
