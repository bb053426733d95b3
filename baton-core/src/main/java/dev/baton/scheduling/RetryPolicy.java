package dev.baton.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How a task's failed firing is tried again: at most {@link #maxAttempts()} attempts in all (the
 * first included), the n-th retry {@code initialDelay × 2^(n-1)} after the failure, capped at
 * {@link #maxDelay()}, spread by ± {@link #jitter()} of itself so that many failures do not retry
 * in step. With {@link #retryOn()} given, only failures of those exception types (or their
 * subclasses, anywhere in the cause chain) are retried; otherwise every failure is.
 *
 * <pre>{@code
 * Task.named("export").cron("0 0 2 * * ?").runs(ExportJob.class)
 *     .retry(RetryPolicy.attempts(5).backoff(Duration.ofSeconds(30), Duration.ofMinutes(10))
 *         .retryOn(IOException.class).build())
 *     .build();
 * }</pre>
 *
 * <p>A retry is a firing like any other, stored in the cluster's tables before the failed attempt
 * completes: it survives the node's death and a cluster restart, and is never run twice. It belongs
 * to the same task, so a task that does not allow concurrent executions never overlaps a retry with
 * its regular firings. Jobs written against Quartz's API get the same policy from these job data
 * keys (all strings): {@value #MAX_ATTEMPTS_KEY}, {@value #INITIAL_DELAY_KEY} and {@value
 * #MAX_DELAY_KEY} (milliseconds), {@value #JITTER_KEY} (0 to 1), {@value #RETRY_ON_KEY}
 * (comma-separated class names).
 */
public final class RetryPolicy {
  public static final String MAX_ATTEMPTS_KEY = "baton.retry.maxAttempts";
  public static final String INITIAL_DELAY_KEY = "baton.retry.initialDelayMs";
  public static final String MAX_DELAY_KEY = "baton.retry.maxDelayMs";
  public static final String JITTER_KEY = "baton.retry.jitter";
  public static final String RETRY_ON_KEY = "baton.retry.on";

  private static final Duration DEFAULT_INITIAL = Duration.ofSeconds(10);
  private static final Duration DEFAULT_MAX = Duration.ofMinutes(10);
  private static final double DEFAULT_JITTER = 0.2;

  /** Beyond this no retry is useful, and the doubling stays far from overflowing. */
  private static final int MAX_ATTEMPTS = 1000;

  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final double jitter;
  private final List<String> retryOn;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay;
    this.jitter = b.jitter;
    this.retryOn = List.copyOf(b.retryOn);
  }

  /** Starts a policy of at most {@code maxAttempts} attempts in all, the first included. */
  public static Builder attempts(int maxAttempts) {
    return new Builder(maxAttempts);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialDelay() {
    return initialDelay;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public double jitter() {
    return jitter;
  }

  /** Names of the exception types retried; empty for every failure. */
  public List<String> retryOn() {
    return retryOn;
  }

  /**
   * The delay before attempt {@code next} (2 for the first retry), with {@code random} in [0, 1)
   * choosing where in the jitter band it falls.
   */
  public Duration delayBefore(int next, DoubleSupplier random) {
    int retry = Math.max(1, next - 1);
    double base = initialDelay.toMillis() * Math.pow(2, Math.min(retry - 1, 62));
    double capped = Math.min(base, maxDelay.toMillis());
    double spread = capped * jitter * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.max(1, Math.round(capped + spread)));
  }

  /** Whether {@code failure} (or one of its causes) is of a retried type. */
  public boolean retries(Throwable failure) {
    if (retryOn.isEmpty()) return true;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        if (retryOn.contains(c.getName())) return true;
      }
    }
    return false;
  }

  /** The job data keys that store this policy. */
  public Map<String, String> toData() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(MAX_ATTEMPTS_KEY, Integer.toString(maxAttempts));
    out.put(INITIAL_DELAY_KEY, Long.toString(initialDelay.toMillis()));
    out.put(MAX_DELAY_KEY, Long.toString(maxDelay.toMillis()));
    out.put(JITTER_KEY, Double.toString(jitter));
    if (!retryOn.isEmpty()) out.put(RETRY_ON_KEY, String.join(",", retryOn));
    return out;
  }

  /**
   * The policy stored in {@code data}, or null when it holds none ({@value #MAX_ATTEMPTS_KEY}
   * absent).
   *
   * @throws InvalidRetryPolicyException naming the key when a value is malformed or invalid
   */
  public static RetryPolicy fromData(Map<String, ?> data) {
    Object attempts = data.get(MAX_ATTEMPTS_KEY);
    if (attempts == null) {
      for (String k : List.of(INITIAL_DELAY_KEY, MAX_DELAY_KEY, JITTER_KEY, RETRY_ON_KEY)) {
        if (data.get(k) != null) {
          throw new InvalidRetryPolicyException(
              MAX_ATTEMPTS_KEY, "is missing, but " + k + " is given: a policy needs its attempts");
        }
      }
      return null;
    }
    Builder b = attempts(parseInt(MAX_ATTEMPTS_KEY, attempts));
    Object initial = data.get(INITIAL_DELAY_KEY);
    Object max = data.get(MAX_DELAY_KEY);
    if (initial != null || max != null) {
      b.backoff(
          initial == null
              ? DEFAULT_INITIAL
              : Duration.ofMillis(parseLong(INITIAL_DELAY_KEY, initial)),
          max == null ? DEFAULT_MAX : Duration.ofMillis(parseLong(MAX_DELAY_KEY, max)));
    }
    Object jitter = data.get(JITTER_KEY);
    if (jitter != null) {
      try {
        b.jitter(Double.parseDouble(jitter.toString().trim()));
      } catch (NumberFormatException e) {
        throw new InvalidRetryPolicyException(JITTER_KEY, "is not a number: '" + jitter + "'");
      }
    }
    Object on = data.get(RETRY_ON_KEY);
    try {
      if (on != null) {
        for (String name : on.toString().split(",")) b.retryOn(name.trim());
      }
      return b.build();
    } catch (InvalidRetryPolicyException e) {
      throw new InvalidRetryPolicyException(dataKey(e.field()), e.problem());
    }
  }

  /**
   * The job-data key that holds a policy's {@code field} ("maxAttempts": {@value
   * #MAX_ATTEMPTS_KEY}).
   */
  public static String dataKey(String field) {
    return switch (field) {
      case "maxAttempts" -> MAX_ATTEMPTS_KEY;
      case "initialDelay" -> INITIAL_DELAY_KEY;
      case "maxDelay" -> MAX_DELAY_KEY;
      case "jitter" -> JITTER_KEY;
      case "retryOn" -> RETRY_ON_KEY;
      default -> field;
    };
  }

  /**
   * Checks that every {@link #retryOn()} name is a {@link Throwable} this class loader can load;
   * unknown names are refused rather than never matching.
   */
  public void checkTypes(ClassLoader loader) {
    for (String name : retryOn) {
      Class<?> c;
      try {
        c = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new InvalidRetryPolicyException("retryOn", "names unknown class '" + name + "'");
      }
      if (!Throwable.class.isAssignableFrom(c)) {
        throw new InvalidRetryPolicyException("retryOn", "'" + name + "' is not a Throwable");
      }
    }
  }

  private static int parseInt(String key, Object v) {
    try {
      return Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new InvalidRetryPolicyException(key, "is not a whole number: '" + v + "'");
    }
  }

  private static long parseLong(String key, Object v) {
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new InvalidRetryPolicyException(
          key, "is not a whole number of milliseconds: '" + v + "'");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p && toData().equals(p.toData());
  }

  @Override
  public int hashCode() {
    return toData().hashCode();
  }

  @Override
  public String toString() {
    return "RetryPolicy" + toData();
  }

  /** Builds a {@link RetryPolicy}; {@link #build()} validates every value. */
  public static final class Builder {
    private final int maxAttempts;
    private Duration initialDelay = DEFAULT_INITIAL;
    private Duration maxDelay = DEFAULT_MAX;
    private double jitter = DEFAULT_JITTER;
    private final List<String> retryOn = new ArrayList<>();

    private Builder(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /** The first retry's delay, doubled at each further retry up to {@code max}. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialDelay = initial;
      this.maxDelay = max;
      return this;
    }

    /** How far each delay may stray, as a fraction of itself (0 for none; default 0.2). */
    public Builder jitter(double fraction) {
      this.jitter = fraction;
      return this;
    }

    /** Retries only these exception types (and subclasses); call again to add more. */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> t : types)
        retryOn.add(Objects.requireNonNull(t, "type").getName());
      return this;
    }

    /** As {@link #retryOn(Class[])}, by class name; the node checks the names at registration. */
    public Builder retryOn(String... classNames) {
      for (String n : classNames) {
        if (n == null || n.isBlank()) {
          throw new InvalidRetryPolicyException("retryOn", "holds a blank class name");
        }
        retryOn.add(n.trim());
      }
      return this;
    }

    /**
     * @throws InvalidRetryPolicyException naming the first invalid value
     */
    public RetryPolicy build() {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
        throw new InvalidRetryPolicyException(
            "maxAttempts",
            "must be 1 to "
                + MAX_ATTEMPTS
                + " (attempts in all, the first included); got "
                + maxAttempts);
      }
      if (initialDelay == null || initialDelay.toMillis() < 1) {
        throw new InvalidRetryPolicyException(
            "initialDelay", "must be at least 1 ms; got " + initialDelay);
      }
      if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
        throw new InvalidRetryPolicyException(
            "maxDelay",
            "must be at least the initial delay (" + initialDelay + "); got " + maxDelay);
      }
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new InvalidRetryPolicyException("jitter", "must be between 0 and 1; got " + jitter);
      }
      return new RetryPolicy(this);
    }
  }
}
