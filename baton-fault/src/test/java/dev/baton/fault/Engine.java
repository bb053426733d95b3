package dev.baton.fault;

import java.util.Locale;

/**
 * The databases every fault scenario runs on: the columns of the suite's matrix. The names are
 * those of {@link FaultDatabase#kind()}, so that the summary's rows and the matrix agree.
 */
enum Engine {
  POSTGRESQL,
  MARIADB;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
