package dev.baton.scheduling;

import dev.baton.internal.classloading.JobClasses;
import dev.baton.locks.ClusterLocks;
import dev.baton.locks.InvalidLockArgumentException;
import dev.baton.locks.LockOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.quartz.Job;

/**
 * A scheduled task: a stable name, the {@link Job} class that runs it, its schedule and its string
 * data. Immutable; built with a small DSL that reads like the schedule:
 *
 * <pre>{@code
 * Task report = Task.named("nightly-report")
 *     .cron("0 0 2 * * ?", ZoneId.of("Europe/Paris"))
 *     .runs(ReportJob.class)
 *     .data("format", "pdf")
 *     .build();
 * }</pre>
 *
 * <p>Every node registers its tasks at every start; registering an unchanged task writes nothing.
 *
 * <p>Longer than most classes here on purpose: the value and its builder stay together, and most of
 * the length is the builder's validation, which names the field and the fix for every refusal.
 */
public final class Task {
  /** Names travel in URLs and log lines; keep them plain. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,149}");

  /**
   * Names and job-data keys starting with this prefix are Baton's own: tasks whose job class is not
   * one of Baton's ({@code dev.baton.internal}) may not use it.
   */
  public static final String RESERVED_PREFIX = "baton.";

  private static final String BATON_JOBS = "dev.baton.internal.";

  /**
   * Key of the {@code JobExecutionContext} entry (a {@code Long}) holding the execution's fencing
   * token: the lock's for a task {@link Builder#underLock run under a lock}, else a cluster-wide
   * execution token (see {@link Executions#fencingToken}).
   */
  public static final String FENCING_TOKEN = "baton.fencingToken";

  /**
   * Key of the {@code JobExecutionContext} entry (a {@code String}) saying why a firing was vetoed,
   * e.g. {@code lock 'billing' held by node-2 (token 17)}.
   */
  public static final String VETO_REASON = "baton.vetoReason";

  /** Lease of a task's lock unless {@link Builder#underLock(String, Duration)} says otherwise. */
  public static final Duration DEFAULT_LOCK_LEASE = Duration.ofMinutes(5);

  private static final int MAX_DESCRIPTION = 250;
  private static final int MAX_DATA_CHARS = 64 * 1024;

  private final String name;
  private final String jobClassName;
  private final Schedule schedule;
  private final MisfirePolicy misfirePolicy;
  private final Map<String, String> data;
  private final String description;
  private final boolean recoverable;
  private final String lockName;
  private final Duration lockLease;
  private final RetryPolicy retryPolicy;
  private final Integer maxConcurrent;

  private Task(Builder b, Schedule schedule, Map<String, String> data) {
    this.name = b.name;
    this.jobClassName = b.jobClassName;
    this.schedule = schedule;
    this.misfirePolicy = b.misfirePolicy;
    this.data = data;
    this.description = b.description;
    this.recoverable = b.recoverable;
    this.lockName = b.lockName;
    this.lockLease = b.lockName == null ? null : b.lockLease;
    this.retryPolicy = b.retryPolicy;
    this.maxConcurrent = b.maxConcurrent;
  }

  /** Whether {@code name} may name a task. */
  static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Starts a task definition. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** The fully qualified name of the job class; it may live in a plugin jar. */
  public String jobClassName() {
    return jobClassName;
  }

  public Schedule schedule() {
    return schedule;
  }

  public MisfirePolicy misfirePolicy() {
    return misfirePolicy;
  }

  /** The task's string data, sorted by key; never null. */
  public Map<String, String> data() {
    return data;
  }

  /** May be null. */
  public String description() {
    return description;
  }

  /**
   * Whether a firing that was running on a node that died is run again on a surviving node. The
   * re-run is at-least-once: the dead node may have done part or all of the work.
   */
  public boolean recoverable() {
    return recoverable;
  }

  /** The cluster lock every firing takes first; null when the task runs without one. */
  public String lockName() {
    return lockName;
  }

  /** The lease of {@link #lockName()}, renewed while a firing runs; null without a lock. */
  public Duration lockLease() {
    return lockLease;
  }

  /** How a failed firing is tried again; null when it is not. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * At most this many executions of the task run at once, cluster-wide; null for no limit beyond
   * the job class's own {@code @DisallowConcurrentExecution}.
   */
  public Integer maxConcurrent() {
    return maxConcurrent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Task t
        && name.equals(t.name)
        && jobClassName.equals(t.jobClassName)
        && schedule.equals(t.schedule)
        && misfirePolicy == t.misfirePolicy
        && data.equals(t.data)
        && Objects.equals(description, t.description)
        && recoverable == t.recoverable
        && Objects.equals(lockName, t.lockName)
        && Objects.equals(lockLease, t.lockLease)
        && Objects.equals(retryPolicy, t.retryPolicy)
        && Objects.equals(maxConcurrent, t.maxConcurrent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, jobClassName, schedule, misfirePolicy, data);
  }

  @Override
  public String toString() {
    return "Task[" + name + ", " + schedule.spec() + ", " + jobClassName + "]";
  }

  /** Collects a task definition; {@link #build()} validates all of it at once. */
  public static final class Builder {
    private final String name;
    private String jobClassName;
    private Class<?> jobClass;
    private String cron;
    private ZoneId zone;
    private String zoneId;
    private DstPolicy dstPolicy;
    private Duration every;
    private Instant once;
    private boolean onDemand;
    private int scheduleKinds;
    private MisfirePolicy misfirePolicy = MisfirePolicy.FIRE_ONCE_NOW;
    private final Map<String, Object> rawData = new LinkedHashMap<>();
    private String description;
    private boolean recoverable;
    private String lockName;
    private Duration lockLease = DEFAULT_LOCK_LEASE;
    private RetryPolicy retryPolicy;
    private Integer maxConcurrent;

    private Builder(String name) {
      this.name = name;
    }

    /** The job class, available on this node's class path. */
    public Builder runs(Class<? extends Job> jobClass) {
      this.jobClass = Objects.requireNonNull(jobClass, "jobClass");
      this.jobClassName = jobClass.getName();
      return this;
    }

    /**
     * The job class by name, for classes that come from plugin jars. Whether this node can load it
     * is checked when the task is registered.
     */
    public Builder runs(String jobClassName) {
      this.jobClass = null;
      this.jobClassName = jobClassName;
      return this;
    }

    /** A Quartz cron expression (seconds first) in the JVM's time zone unless {@link #timeZone}. */
    public Builder cron(String expression) {
      this.cron = expression;
      scheduleKinds++;
      return this;
    }

    public Builder cron(String expression, ZoneId zone) {
      this.zone = zone;
      return cron(expression);
    }

    /** The time zone of a cron schedule, as an IANA id. */
    public Builder timeZone(String zoneId) {
      this.zoneId = zoneId;
      return this;
    }

    public Builder timeZone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    /**
     * What the cron schedule does when its time zone's clocks jump; {@link DstPolicy#ISC_CRON}
     * unless given. Cron schedules only.
     */
    public Builder dstPolicy(DstPolicy policy) {
      this.dstPolicy = policy;
      return this;
    }

    public Builder every(Duration interval) {
      this.every = interval;
      scheduleKinds++;
      return this;
    }

    public Builder once(Instant at) {
      this.once = at;
      scheduleKinds++;
      return this;
    }

    /**
     * No schedule of its own: the task fires only for the {@link Run runs} submitted to it with
     * {@code BatonClient.submit}, each with its own data, and for {@code triggerNow} and {@code
     * retry}.
     */
    public Builder onDemand() {
      this.onDemand = true;
      scheduleKinds++;
      return this;
    }

    public Builder schedule(Schedule schedule) {
      if (schedule instanceof Schedule.OnDemand) return onDemand();
      if (schedule instanceof Schedule.Cron c) {
        return cron(c.expression(), c.zone()).dstPolicy(c.dstPolicy());
      } else if (schedule instanceof Schedule.Every e) {
        return every(e.interval());
      } else if (schedule instanceof Schedule.Once o) {
        return once(o.at());
      }
      throw new IllegalArgumentException("schedule is null");
    }

    public Builder misfire(MisfirePolicy policy) {
      this.misfirePolicy = policy;
      return this;
    }

    public Builder data(String key, String value) {
      rawData.put(key, value);
      return this;
    }

    /**
     * Adds every entry. Values must be strings: Baton stores job data as text and never as
     * serialized Java objects; anything else is refused by {@link #build()}.
     */
    public Builder data(Map<String, ?> entries) {
      rawData.putAll(entries);
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Re-run a firing interrupted by its node's death on another node (at-least-once). */
    public Builder recoverable() {
      return recoverable(true);
    }

    public Builder recoverable(boolean recoverable) {
      this.recoverable = recoverable;
      return this;
    }

    /**
     * Every firing first takes the cluster lock {@code lockName} (lease 5 minutes, renewed while
     * the firing runs) and releases it when the job ends. When the lock is busy the firing is
     * skipped, not delayed: Quartz records it as vetoed, with the holder in the context entry
     * {@link #VETO_REASON}. A firing that runs gets its token in {@link #FENCING_TOKEN}.
     */
    public Builder underLock(String lockName) {
      return underLock(lockName, DEFAULT_LOCK_LEASE);
    }

    /** As {@link #underLock(String)}, with this lease (renewed at a third of it while running). */
    public Builder underLock(String lockName, Duration lease) {
      this.lockName = lockName;
      this.lockLease = lease;
      return this;
    }

    /**
     * Tries a failed firing again as {@code policy} says, as a firing of its own that survives node
     * deaths; null for none (the default). See {@link RetryPolicy}.
     */
    public Builder retry(RetryPolicy policy) {
      this.retryPolicy = policy;
      return this;
    }

    /**
     * At most {@code n} executions of the task run at once, cluster-wide, under faults: a dead
     * node's executions stop counting when the cluster declares it dead. Firings over the limit
     * wait (their misfire policy applies if they wait past the misfire threshold); none is dropped.
     * {@code 1} behaves as {@code @DisallowConcurrentExecution}. Every node must run a Baton that
     * knows limits (this version or later): older nodes and stock Quartz ignore it.
     */
    public Builder maxConcurrent(int n) {
      this.maxConcurrent = n;
      return this;
    }

    /** Validates the whole definition. */
    public Task build() {
      String shown = name == null ? "" : name;
      if (name == null || !NAME.matcher(name).matches()) {
        throw new InvalidTaskException(
            shown,
            "name",
            "is invalid: use 1 to 150 letters, digits, '.', '_' or '-', starting with a letter or"
                + " digit");
      }
      // Baton's own tasks, and only they, may use the reserved name prefix.
      boolean internal = jobClassName != null && jobClassName.startsWith(BATON_JOBS);
      if (!internal && name.startsWith(RESERVED_PREFIX)) {
        throw new InvalidTaskException(
            name, "name", "uses the prefix 'baton.', reserved for Baton's own tasks; rename it");
      }
      if (jobClassName == null || jobClassName.isBlank()) {
        throw new InvalidTaskException(name, "jobClass", "is missing: call runs(...)");
      }
      // Any constructor an injecting job factory can choose: whether this node's job factory can
      // use it is the node's question, asked at registration.
      if (jobClass != null) JobClasses.check(name, jobClass, true);
      if (misfirePolicy == null) {
        throw new InvalidTaskException(name, "misfire", "is null");
      }
      if (maxConcurrent != null && maxConcurrent < 1) {
        throw new InvalidTaskException(
            name, "maxConcurrent", "must be at least 1; got " + maxConcurrent);
      }
      if (description != null && description.length() > MAX_DESCRIPTION) {
        throw new InvalidTaskException(
            name, "description", "is " + description.length() + " characters; at most 250");
      }
      if (lockName != null || lockLease != DEFAULT_LOCK_LEASE) {
        try {
          ClusterLocks.validateName(lockName);
          LockOptions.lease(lockLease);
        } catch (InvalidLockArgumentException e) {
          throw new InvalidTaskException(name, "underLock", "is invalid: " + e.getMessage());
        }
      }
      return new Task(this, buildSchedule(), buildData());
    }

    private Schedule buildSchedule() {
      if (scheduleKinds != 1) {
        throw new InvalidTaskException(
            name,
            "schedule",
            scheduleKinds == 0
                ? "is missing: call cron(...), every(...), once(...) or onDemand()"
                : "is given more than once: choose one of cron, every, once and onDemand");
      }
      if (zone != null && zoneId != null) {
        throw new InvalidTaskException(name, "timeZone", "is given twice");
      }
      try {
        if (cron != null) {
          ZoneId z = zone != null ? zone : zoneId != null ? Schedule.zone(zoneId) : null;
          return Schedule.cron(cron, z != null ? z : ZoneId.systemDefault())
              .dstPolicy(dstPolicy != null ? dstPolicy : DstPolicy.defaultPolicy());
        }
        if (zone != null || zoneId != null) {
          throw new InvalidTaskException(name, "timeZone", "applies to cron schedules only");
        }
        if (dstPolicy != null) {
          throw new InvalidTaskException(name, "dstPolicy", "applies to cron schedules only");
        }
        if (every != null) return Schedule.every(every);
        if (once != null) return Schedule.once(once);
        if (onDemand) return Schedule.onDemand();
      } catch (IllegalArgumentException | NullPointerException e) {
        String field =
            cron != null
                ? (e.getMessage().startsWith("time zone") ? "timeZone" : "cron")
                : every != null ? "interval" : "at";
        throw new InvalidTaskException(name, field, "is invalid: " + e.getMessage());
      }
      throw new InvalidTaskException(name, "schedule", "is null");
    }

    private Map<String, String> buildData() {
      return validData(name, "data", rawData);
    }
  }

  /**
   * Job data as stored: string values under plain keys, at most {@value #MAX_DATA_CHARS} characters
   * in all; {@code field} names it in the refusal.
   */
  static Map<String, String> validData(String name, String field, Map<String, ?> rawData) {
    Map<String, String> out = new TreeMap<>();
    int chars = 0;
    for (Map.Entry<String, ?> e : rawData.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key == null || key.isEmpty()) {
        throw new InvalidTaskException(name, field, "has an empty key");
      }
      if (key.startsWith(RESERVED_PREFIX)) {
        throw new InvalidTaskException(
            name, field, "key '" + key + "' uses the reserved prefix 'baton.'; rename it");
      }
      if (!(value instanceof String s)) {
        throw new InvalidTaskException(
            name,
            field,
            "value for key '"
                + key
                + "' is "
                + (value == null ? "null" : "a " + value.getClass().getName())
                + "; job data must be strings (Baton never stores serialized Java objects),"
                + " convert it to text");
      }
      chars += key.length() + s.length();
      out.put(key, s);
    }
    if (chars > MAX_DATA_CHARS) {
      throw new InvalidTaskException(
          name, field, "holds " + chars + " characters; at most " + MAX_DATA_CHARS);
    }
    return Collections.unmodifiableMap(out);
  }
}
