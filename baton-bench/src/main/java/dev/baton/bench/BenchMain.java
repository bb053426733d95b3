package dev.baton.bench;

import java.nio.file.Path;

/**
 * Entry point of the benchmarks: {@code java -jar baton-bench/target/baton-bench.jar locks
 * [--out docs/benchmarks.md]}. Not a test; nothing here runs during {@code mvn verify}.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("locks")) {
      System.err.println("usage: java -jar baton-bench.jar locks [--out docs/benchmarks.md]");
      System.exit(2);
    }
    Path out = Path.of("docs/benchmarks.md");
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) out = Path.of(args[++i]);
    }
    new LockBench(out).run();
    System.exit(0);
  }
}
