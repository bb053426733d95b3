package dev.baton.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of the benchmarks: {@code java -jar baton-bench/target/baton-bench.jar COMMAND
 * [options]}, see {@link #USAGE}. Not a test; nothing here runs during {@code mvn verify}.
 */
public final class BenchMain {
  private static final List<String> COMMANDS =
      List.of(
          "locks",
          "throughput",
          "throughput-fsync-off",
          "throughput-mariadb",
          "registration",
          "registration-backlog",
          "recurring",
          "lateness",
          "failover",
          "io-bound",
          "all");
  private static final String USAGE =
      "usage: java -jar baton-bench.jar "
          + String.join("|", COMMANDS)
          + " [--jobs 20000] [--nodes 1,2,3,4] [--only NAME-PREFIX[,NAME-PREFIX...]] [--tasks"
          + " 20000] [--seconds 60] [--repeats 3] [--io-ms 100] [--threads 200] [--batches 40]"
          + " [--batch 500] [--cron-tasks 50] [--out docs/benchmarks.md]\n"
          + "  throughput           one-off drain on durable PostgreSQL (fsync, synchronous_commit"
          + " on): the headline\n"
          + "  throughput-fsync-off the same on PostgreSQL with fsync and synchronous_commit off"
          + " (unsafe; own table)\n"
          + "  throughput-mariadb   Baton and db-scheduler polling on the MariaDB at 127.0.0.1:3306"
          + " (BATON_MARIADB_URL)\n"
          + "  registration         --tasks one-off tasks through Baton's register(Collection) and"
          + " db-scheduler's client\n"
          + "  registration-backlog --batches batches of --batch tasks, one after the other into"
          + " one database\n"
          + "  recurring            --cron-tasks cron tasks firing every second, one node, for"
          + " --seconds: database cost per firing\n"
          + "  lateness, failover   on durable PostgreSQL; locks: the lock benchmark; all: every"
          + " one of them\n"
          + "  io-bound             --jobs jobs of --io-ms each on 10 and --threads platform"
          + " threads, and --threads virtual ones (run with Java 21+)";

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !COMMANDS.contains(args[0]) || args.length % 2 == 0) {
      System.err.println(USAGE);
      System.exit(2);
    }
    Path out = Path.of("docs/benchmarks.md");
    int jobs = 20_000;
    int tasks = 20_000;
    int seconds = 60;
    int repeats = 3;
    int[] nodes = {1, 2, 3, 4};
    int ioMillis = 100;
    int batches = 40;
    int batch = 500;
    int cronTasks = 50;
    int wide = 200;
    boolean jobsGiven = false;
    String only = "";
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[i + 1]);
        case "--jobs" -> {
          jobs = Integer.parseInt(args[i + 1]);
          jobsGiven = true;
        }
        case "--io-ms" -> ioMillis = Integer.parseInt(args[i + 1]);
        case "--threads" -> wide = Integer.parseInt(args[i + 1]);
        case "--tasks" -> tasks = Integer.parseInt(args[i + 1]);
        case "--batches" -> batches = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--cron-tasks" -> cronTasks = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        case "--nodes" ->
            nodes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--only" -> only = args[i + 1].toLowerCase(Locale.ROOT);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
      }
    }
    String command = args[0];
    boolean all = command.equals("all");
    SchedulerReport report = new SchedulerReport(out, String.join(" ", args));
    report.machine();
    if (all
        || command.equals("throughput")
        || command.equals("registration")
        || command.equals("registration-backlog")
        || command.equals("recurring")
        || command.equals("lateness")
        || command.equals("failover")
        || command.equals("io-bound")) {
      try (PgServer server = new PgServer(true)) {
        if (all || command.equals("throughput")) {
          report.throughput(
              "throughput",
              "Scheduler throughput (durable PostgreSQL)",
              server,
              new ThroughputBench(server, jobs).run(selected(postgresContenders(), only), nodes));
        }
        if (all || command.equals("registration")) {
          report.registration(
              server,
              new RegistrationBench(server, tasks)
                  .run(
                      List.of(
                          BatonContender.defaults(),
                          BatonContender.runs(),
                          new DbSchedulerContender(false))));
        }
        if (all || command.equals("registration-backlog")) {
          report.registrationBacklog(
              server,
              new RegistrationBench(server, tasks)
                  .runBacklog(
                      List.of(
                          BatonContender.defaults(),
                          BatonContender.runs(),
                          new DbSchedulerContender(false)),
                      batches,
                      batch));
        }
        if (all || command.equals("recurring")) {
          report.recurring(server, new RecurringBench(server, cronTasks, seconds).run());
        }
        if (all || command.equals("lateness")) {
          report.lateness(
              server,
              new LatenessBench(server, 300, seconds)
                  .run(
                      selected(
                          List.of(BatonContender.defaults(), new StockQuartzContender()), only)));
        }
        if (all || command.equals("io-bound")) {
          report.ioBound(
              server, new IoBoundBench(server, jobsGiven ? jobs : 4_000, ioMillis, wide).run());
        }
        if (all || command.equals("failover")) {
          report.failover(server, new FailoverBench(server, repeats).run());
        }
      }
    }
    if (all || command.equals("throughput-fsync-off")) {
      try (PgServer server = new PgServer(false)) {
        report.throughput(
            "throughput-fsync-off",
            "Scheduler throughput, UNSAFE PostgreSQL (fsync and synchronous_commit off)",
            server,
            new ThroughputBench(server, jobs).run(selected(postgresContenders(), only), nodes));
      }
    }
    if (all || command.equals("throughput-mariadb")) {
      try (MariaDbServer server = new MariaDbServer()) {
        report.throughput(
            "throughput-mariadb",
            "Scheduler throughput (MariaDB)",
            server,
            new ThroughputBench(server, jobs)
                .run(
                    selected(
                        List.of(
                            BatonContender.defaults(),
                            BatonContender.runs(),
                            new DbSchedulerContender(false),
                            new FloorContender()),
                        only),
                    nodes));
      }
    }
    if (all || command.equals("locks")) new LockBench(out).run();
    System.exit(0);
  }

  private static List<SchedulerContender> postgresContenders() {
    return List.of(
        BatonContender.defaults(),
        BatonContender.runs(),
        new BatonContender("Baton without history", b -> b.history(false)),
        new StockQuartzContender(),
        new DbSchedulerContender(false),
        new DbSchedulerContender(true),
        new FloorContender());
  }

  /** The contenders whose name starts with one of the comma-separated prefixes (all for ""). */
  private static List<SchedulerContender> selected(
      List<SchedulerContender> contenders, String prefixes) {
    List<String> wanted = List.of(prefixes.split(",", -1));
    return contenders.stream()
        .filter(c -> wanted.stream().anyMatch(p -> c.name().toLowerCase(Locale.ROOT).startsWith(p)))
        .toList();
  }
}
