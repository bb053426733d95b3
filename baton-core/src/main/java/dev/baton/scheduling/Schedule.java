package dev.baton.scheduling;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import org.quartz.CronExpression;

/**
 * When a task fires: on a cron expression in a time zone, at a fixed interval, once, or only when
 * asked ({@link #onDemand()}: through {@link Run runs} and {@code triggerNow}). Instances are
 * immutable and validated on creation.
 */
public sealed interface Schedule {

  /**
   * Quartz cron syntax (seconds first), e.g. {@code "0 0/5 * * * ?"}, in {@code zone}, under the
   * default {@link DstPolicy} ({@link Cron#dstPolicy} chooses another).
   */
  static Cron cron(String expression, ZoneId zone) {
    return new Cron(expression, zone);
  }

  /** A cron schedule in the JVM's default time zone ({@link Cron#inZone} chooses another). */
  static Cron cron(String expression) {
    return new Cron(expression, ZoneId.systemDefault());
  }

  /** Every {@code interval}, first firing when the task is created. */
  static Schedule every(Duration interval) {
    return new Every(interval);
  }

  /** Exactly once, at {@code at}. */
  static Schedule once(Instant at) {
    return new Once(at);
  }

  /**
   * Never by itself: the task fires only for the {@link Run runs} submitted to it (each with its
   * own data and time) and for {@code triggerNow} and {@code retry}.
   */
  static Schedule onDemand() {
    return OnDemand.INSTANCE;
  }

  /** A canonical text form, stored with the task to tell an unchanged definition from a new one. */
  String spec();

  /**
   * A cron schedule: an expression, the time zone it reads wall-clock times in, and what it does
   * when that zone's clocks jump ({@link DstPolicy}).
   */
  record Cron(String expression, ZoneId zone, DstPolicy dstPolicy) implements Schedule {
    /** Under the default {@link DstPolicy}. */
    public Cron(String expression, ZoneId zone) {
      this(expression, zone, DstPolicy.defaultPolicy());
    }

    public Cron {
      Objects.requireNonNull(dstPolicy, "DST policy");
      if (expression == null || expression.isBlank()) {
        throw new IllegalArgumentException("cron expression is empty");
      }
      expression = expression.trim();
      Objects.requireNonNull(zone, "time zone");
      try {
        CronExpression.validateExpression(expression);
      } catch (ParseException e) {
        throw new IllegalArgumentException(
            "cron expression '" + expression + "' is invalid: " + e.getMessage());
      }
    }

    /** The same schedule in {@code zone}. */
    public Cron inZone(ZoneId zone) {
      return new Cron(expression, zone, dstPolicy);
    }

    /** The same schedule under {@code policy}. */
    public Cron dstPolicy(DstPolicy policy) {
      return new Cron(expression, zone, policy);
    }

    /** The default policy is left out, so that schedules stored before policies existed match. */
    @Override
    public String spec() {
      String spec = "cron:" + expression + " @" + zone.getId();
      return dstPolicy == DstPolicy.defaultPolicy() ? spec : spec + " dst:" + dstPolicy.name();
    }
  }

  /** A fixed-interval schedule. */
  record Every(Duration interval) implements Schedule {
    public Every {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero() || interval.toMillis() < 1) {
        throw new IllegalArgumentException(
            "interval " + interval + " is not positive; give at least one millisecond");
      }
    }

    @Override
    public String spec() {
      return "every:" + interval.toMillis() + "ms";
    }
  }

  /** A one-shot schedule. */
  record Once(Instant at) implements Schedule {
    public Once {
      Objects.requireNonNull(at, "instant");
    }

    @Override
    public String spec() {
      return "once:" + at;
    }
  }

  /** No schedule of its own: the task fires only for the runs submitted to it. */
  enum OnDemand implements Schedule {
    INSTANCE;

    @Override
    public String spec() {
      return "on-demand";
    }
  }

  /** Parses a time zone id, naming it in the error when unknown. */
  static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "time zone '" + id + "' is unknown; use an IANA id such as Europe/Paris or UTC");
    }
  }
}
