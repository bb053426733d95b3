package dev.baton.fault;

import dev.baton.testing.SkipNotice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's libfaketime ({@code apt-get install faketime}), preloaded into a node's {@code java}
 * process so that its wall clock (and only it: the monotonic clock stays real) is off by a fixed
 * amount, or by whatever a file says at the moment (re-read every second), to step it mid-run.
 *
 * <p>{@code FAKETIME_FORCE_MONOTONIC_FIX=0} matters: with glibc, libfaketime otherwise enables a
 * "monotonic fix" under which the JVM's timed waits ({@code Object.wait}, {@code parkNanos}) return
 * at once (measured on Debian's 0.9.10), so every waiting thread spins: a node then burns CPU and
 * crawls whatever its scheduler does.
 */
final class Faketime {
  private static final List<String> CANDIDATES =
      List.of(
          "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
          "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
          "/usr/lib/faketime/libfaketime.so.1",
          "/usr/local/lib/faketime/libfaketime.so.1");

  private Faketime() {}

  /**
   * The library, or null when it is not installed ({@code BATON_FAKETIME_LIB} overrides the
   * search).
   */
  static Path library() {
    String env = System.getenv("BATON_FAKETIME_LIB");
    if (env != null && !env.isBlank())
      return Files.isRegularFile(Path.of(env)) ? Path.of(env) : null;
    return CANDIDATES.stream().map(Path::of).filter(Files::isRegularFile).findFirst().orElse(null);
  }

  /**
   * Skips the calling test with a printed notice when libfaketime is missing; fails instead when
   * CI=true.
   */
  static void requireOrSkip() {
    if (library() != null) return;
    String notice =
        "libfaketime not found (apt-get install faketime): clock-skew fault scenarios SKIPPED";
    if (Boolean.parseBoolean(System.getenv("CI")))
      throw new IllegalStateException(notice + "; CI=true makes this fatal");
    SkipNotice.print(notice);
    Assumptions.abort(notice);
  }

  /** A wall clock off by {@code offset} (libfaketime syntax: "+30s", "-30s"). */
  static Map<String, String> offset(String offset) {
    return Map.of(
        "LD_PRELOAD",
        library().toString(),
        "FAKETIME",
        offset,
        "FAKETIME_DONT_FAKE_MONOTONIC",
        "1",
        "FAKETIME_FORCE_MONOTONIC_FIX",
        "0");
  }

  /** A wall clock off by what {@code file} holds ("+20s"), re-read every second. */
  static Map<String, String> fromFile(Path file) {
    return Map.of(
        "LD_PRELOAD",
        library().toString(),
        "FAKETIME_TIMESTAMP_FILE",
        file.toString(),
        "FAKETIME_CACHE_DURATION",
        "1",
        "FAKETIME_DONT_FAKE_MONOTONIC",
        "1",
        "FAKETIME_FORCE_MONOTONIC_FIX",
        "0");
  }
}
