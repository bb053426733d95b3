package dev.baton.scheduling;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import org.quartz.CronExpression;

/**
 * When a task fires: on a cron expression in a time zone, at a fixed interval, or once. Instances
 * are immutable and validated on creation.
 */
public sealed interface Schedule {

  /** Quartz cron syntax (seconds first), e.g. {@code "0 0/5 * * * ?"}, in {@code zone}. */
  static Schedule cron(String expression, ZoneId zone) {
    return new Cron(expression, zone);
  }

  /** A cron schedule in the JVM's default time zone. */
  static Schedule cron(String expression) {
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

  /** A canonical text form, stored with the task to tell an unchanged definition from a new one. */
  String spec();

  /** A cron schedule. */
  record Cron(String expression, ZoneId zone) implements Schedule {
    public Cron {
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

    @Override
    public String spec() {
      return "cron:" + expression + " @" + zone.getId();
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
