package dev.baton.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Entry point of the benchmarks: {@code java -jar baton-bench/target/baton-bench.jar
 * locks|throughput|lateness|failover|all [--jobs N] [--seconds S] [--repeats R] [--out FILE]}. Not
 * a test; nothing here runs during {@code mvn verify}.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    List<String> commands = List.of("locks", "throughput", "lateness", "failover", "all");
    if (args.length == 0 || !commands.contains(args[0])) {
      System.err.println("usage: java -jar baton-bench.jar locks|throughput|lateness|failover|all"
          + " [--jobs 20000] [--seconds 60] [--repeats 3] [--only NAME-PREFIX] [--out docs/benchmarks.md]");
      System.exit(2);
    }
    Path out = Path.of("docs/benchmarks.md");
    int jobs = 20_000;
    int seconds = 60;
    int repeats = 3;
    String only = "";
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[i + 1]);
        case "--jobs" -> jobs = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        case "--only" -> only = args[i + 1].toLowerCase(java.util.Locale.ROOT);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String command = args[0];
    if (command.equals("locks")) {
      new LockBench(out).run();
      System.exit(0);
    }
    SchedulerReport report = new SchedulerReport(out, String.join(" ", args));
    try (PgServer server = new PgServer()) {
      report.machine(server.version());
      if (command.equals("throughput") || command.equals("all")) {
        String prefix = only;
        List<SchedulerContender> contenders = List.of(
            BatonContender.defaults(),
            new BatonContender("Baton without history", b -> b.history(false)),
            new StockQuartzContender(),
            new DbSchedulerContender(false),
            new DbSchedulerContender(true));
        report.throughput(new ThroughputBench(server, jobs).run(contenders.stream()
            .filter(c -> c.name().toLowerCase(java.util.Locale.ROOT).startsWith(prefix)).toList(), 1, 2));
      }
      if (command.equals("lateness") || command.equals("all")) {
        report.lateness(new LatenessBench(server, 300, seconds).run(List.of(
            BatonContender.defaults(), new StockQuartzContender())));
      }
      if (command.equals("failover") || command.equals("all")) {
        report.failover(new FailoverBench(server, repeats).run());
      }
    }
    System.exit(0);
  }
}
