package dev.baton.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says why tests skip where whoever runs the build sees it. Surefire redirects test output to
 * report files, so a notice on {@code System.err} alone would reach no console; this one is also
 * written to the process's own standard error, which the build prints as it is, once per JVM.
 */
public final class SkipNotice {
  private static final PrintStream CONSOLE =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
  private static final Set<String> PRINTED = ConcurrentHashMap.newKeySet();

  private SkipNotice() {}

  /** Prints {@code notice} on the console (once per JVM) and in the test's own output. */
  public static void print(String notice) {
    String line = "*** NOTICE: " + notice;
    if (PRINTED.add(notice)) CONSOLE.println(line);
    System.err.println(line);
  }
}
