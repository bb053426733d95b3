package dev.baton.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.database.Database;
import dev.baton.internal.database.DatabaseClock;
import dev.baton.internal.database.Dialect;
import dev.baton.internal.store.SchedulerSql;
import dev.baton.testing.H2Database;
import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database clock on each database, read from sessions in non-UTC time zones: a JVM whose clock
 * is not skewed, on a database on the same machine, measures an offset of about zero.
 */
class DatabaseClockTest {
  /** Generous: the machine is shared and the round trip is counted. */
  private static final long TOLERANCE_MILLIS = 50;

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of("h2", (Supplier<TestDatabase>) H2Database::new),
        Arguments.of("postgresql", (Supplier<TestDatabase>) PostgresDatabase::new),
        Arguments.of("mariadb", (Supplier<TestDatabase>) MariaDbDatabase::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void measuresAboutZeroOffsetForAnUnskewedNode(String kind, Supplier<TestDatabase> make)
      throws Exception {
    try (TestDatabase db = make.get()) {
      DataSource ds = db.pool(2);
      DatabaseClock clock = clockOf(ds);
      assertThat(clock.measured()).isFalse();
      // Asked before any check-in, it reads the database itself.
      long now = clock.now();
      assertThat(clock.measured()).isTrue();
      assertThat(Math.abs(now - System.currentTimeMillis())).isLessThan(TOLERANCE_MILLIS + 10);
      for (int i = 0; i < 5; i++) {
        try (Connection c = ds.getConnection()) {
          // As at a check-in: inside a transaction that has already done work.
          c.setAutoCommit(false);
          c.createStatement().execute("SELECT 1");
          assertThat(Math.abs(clock.measure(c)))
              .as("offset on %s", kind)
              .isLessThan(TOLERANCE_MILLIS);
          c.rollback();
        }
        Thread.sleep(20);
      }
      assertThat(clock.precisionMillis()).isBetween(0L, TOLERANCE_MILLIS);
      assertThat(Math.abs(clock.offsetMillis())).isLessThan(TOLERANCE_MILLIS);
      // Monotonic between measurements, and on the database's time scale.
      long a = clock.now();
      Thread.sleep(30);
      long b = clock.now();
      assertThat(b - a).isBetween(25L, 200L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void keepsTheLastMeasurementWhenTheDatabaseCannotBeRead(String kind, Supplier<TestDatabase> make)
      throws Exception {
    DatabaseClock clock;
    try (TestDatabase db = make.get()) {
      clock = clockOf(db.pool(1));
      assertThat(clock.measure()).isTrue();
    }
    long offset = clock.offsetMillis();
    assertThat(clock.measure()).as("measuring with the database gone").isFalse();
    assertThat(clock.measured()).isTrue();
    assertThat(Math.abs(clock.offsetMillis() - offset)).isLessThan(5);
  }

  private static DatabaseClock clockOf(DataSource ds) {
    Dialect dialect = Database.connect(ds, Duration.ofSeconds(30)).dialect();
    return new DatabaseClock(ds, SchedulerSql.of(dialect, "QRTZ_").nowMicros());
  }
}
