package dev.baton.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.TriggerInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Baton node on an embedded H2 database in {@code ./baton-data}: it registers two tasks, prints
 * every firing, and runs until Ctrl-C (which drains running jobs) or for {@code --seconds N}. Run a
 * second copy with {@code --db jdbc:postgresql://…} on a shared database to see clustering; the H2
 * default is single-node.
 */
public final class ExampleNode {
  private ExampleNode() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(o.db);
    pool.setUsername(o.user);
    pool.setPassword(o.password);
    pool.setMaximumPoolSize(Baton.connectionsNeeded(o.threads));
    pool.setPoolName("baton-example");

    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      Baton node =
          Baton.builder(dataSource)
              .threads(o.threads)
              .task(
                  Task.named("heartbeat")
                      .every(Duration.ofSeconds(2))
                      .runs(PrintingJob.class)
                      .data("message", "still here")
                      .description("Prints a line every two seconds")
                      .build())
              .task(
                  Task.named("report")
                      .cron("0/10 * * * * ?")
                      .runs(PrintingJob.class)
                      .data("message", "cron report, on every tenth second")
                      .build())
              .start();
      CountDownLatch stop = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                node.close();
                stop.countDown();
              },
              "baton-example-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      System.out.println("Baton node " + node.nodeId() + " running on " + o.db);
      for (TaskInfo t : node.tasks()) {
        TriggerInfo trigger = t.triggers().isEmpty() ? null : t.triggers().get(0);
        System.out.printf(
            "  task %-10s %-32s next %s%n",
            t.name(), t.schedule(), trigger == null ? "-" : trigger.nextFireTime());
      }
      System.out.println(
          o.seconds > 0 ? "Stopping after " + o.seconds + " s." : "Press Ctrl-C to stop.");
      if (o.seconds > 0) {
        stop.await(o.seconds, TimeUnit.SECONDS);
        Runtime.getRuntime().removeShutdownHook(hook);
        node.close();
      } else {
        stop.await();
      }
    }
  }

  /** Command-line options; bad ones are refused with a message naming them. */
  private static final class Options {
    String db =
        "jdbc:h2:file:" + Path.of("baton-data", "baton").toAbsolutePath() + ";AUTO_SERVER=FALSE";
    String user = "sa";
    String password = "";
    int threads = 4;
    long seconds;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help")) {
          System.out.println(
              "usage: java -jar baton-example.jar [--db JDBC_URL] [--db-user U] [--db-password P]"
                  + " [--threads N] [--seconds N]");
          System.exit(0);
        }
        if (i + 1 >= args.length) fail(flag + " needs a value");
        String value = args[++i];
        switch (flag) {
          case "--db" -> o.db = value;
          case "--db-user" -> o.user = value;
          case "--db-password" -> o.password = value;
          case "--threads" -> o.threads = number(flag, value, 1, 1000);
          case "--seconds" -> o.seconds = number(flag, value, 1, Integer.MAX_VALUE);
          default -> fail("unknown flag " + flag + " (see --help)");
        }
      }
      return o;
    }

    private static int number(String flag, String value, int min, int max) {
      try {
        int n = Integer.parseInt(value);
        if (n < min || n > max)
          fail(flag + " must be between " + min + " and " + max + ", got " + value);
        return n;
      } catch (NumberFormatException e) {
        fail(flag + " must be a whole number, got '" + value + "'");
        return 0;
      }
    }

    private static void fail(String message) {
      System.err.println("error: " + message);
      System.exit(2);
    }
  }
}
