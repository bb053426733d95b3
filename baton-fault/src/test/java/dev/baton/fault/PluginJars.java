package dev.baton.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * The suite's job classes, compiled at test time into plugin jars that nodes load from their {@code
 * --plugins} directory, as an operator deploys them: the fenced writer (a job under a cluster lock
 * that writes to a resource checking the fencing token) and the v1/v2 jars of the rolling upgrade
 * (v1 has classes A and B, v2 has A and C).
 */
final class PluginJars {
  private PluginJars() {}

  /** {@code fault.FencedWriteJob}; see {@link FencedResource} for what it writes. */
  static final String FENCED_WRITE_JOB = "fault.FencedWriteJob";

  private static final String FENCED_SOURCE =
      """
      package fault;

      import java.sql.*;
      import org.quartz.*;

      /** Under a cluster lock: fenced writes every 'stepMillis' for 'millis' ms, each recorded. */
      public class FencedWriteJob implements Job {
        public void execute(JobExecutionContext ctx) throws JobExecutionException {
          JobDataMap d = ctx.getMergedJobDataMap();
          Object t = ctx.get("baton.fencingToken");
          if (!(t instanceof Number)) throw new JobExecutionException("no fencing token: not run under a lock");
          long token = ((Number) t).longValue();
          long millis = Long.parseLong(d.getString("millis"));
          long step = Long.parseLong(d.getString("stepMillis"));
          try (Connection c = DriverManager.getConnection(d.getString("url"), d.getString("user"), d.getString("password"))) {
            String node = ctx.getScheduler().getSchedulerInstanceId();
            long end = System.currentTimeMillis() + millis;
            write(c, node, token, ctx.getFireInstanceId());
            boolean interrupted = false;
            // A holder that learns late: after an interrupt (lease lost) it still makes the write it
            // was about to make, as real code caught mid-step would; the resource must refuse it.
            while (!interrupted && System.currentTimeMillis() < end) {
              try {
                Thread.sleep(step);
              } catch (InterruptedException e) {
                interrupted = true;
              }
              write(c, node, token, ctx.getFireInstanceId());
            }
          } catch (SQLException | SchedulerException e) {
            throw new JobExecutionException(e);
          }
        }

        private static void write(Connection c, String node, long token, String fireId) throws SQLException {
          c.setAutoCommit(false);
          try (PreparedStatement u = c.prepareStatement(
                  "UPDATE fenced_resource SET token = ?, writes = writes + 1 WHERE id = 1 AND token <= ?");
              PreparedStatement i = c.prepareStatement(
                  "INSERT INTO fenced_writes (node_id, token, fire_id, at_ms, accepted) VALUES (?, ?, ?, ?, ?)")) {
            u.setLong(1, token);
            u.setLong(2, token);
            int rows = u.executeUpdate();
            if (rows > 1) throw new SQLException("fenced_resource has " + rows + " rows with id 1");
            i.setString(1, node);
            i.setLong(2, token);
            i.setString(3, fireId);
            i.setLong(4, System.currentTimeMillis());
            i.setBoolean(5, rows == 1);
            i.executeUpdate();
            c.commit();
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
      }
      """;

  /** {@code fault.ClockProbeJob}: inserts the database's time at the start of each execution. */
  static final String CLOCK_PROBE_JOB = "fault.ClockProbeJob";

  private static final String CLOCK_PROBE_SOURCE =
      """
      package fault;

      import java.sql.*;
      import org.quartz.*;

      /**
       * Records, first thing in each execution, the database's own time next to the firing's
       * scheduled time: whether a node fired early is then read on the database's clock, whatever
       * the node's clock says. One connection per class loader, kept open.
       */
      public class ClockProbeJob implements Job {
        private static Connection conn;

        public void execute(JobExecutionContext ctx) throws JobExecutionException {
          JobDataMap d = ctx.getMergedJobDataMap();
          String url = d.getString("url");
          String now = url.startsWith("jdbc:postgresql")
              ? "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)"
              : "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)";
          synchronized (ClockProbeJob.class) {
            try {
              if (conn == null || !conn.isValid(1)) conn = DriverManager.getConnection(url, d.getString("user"), d.getString("password"));
              try (PreparedStatement p = conn.prepareStatement(
                  "INSERT INTO clock_probe (task, node_id, fire_id, scheduled_ms, local_ms, db_ms) VALUES (?, ?, ?, ?, ?, " + now + ")")) {
                p.setString(1, ctx.getJobDetail().getKey().getName());
                p.setString(2, ctx.getScheduler().getSchedulerInstanceId());
                p.setString(3, ctx.getFireInstanceId());
                p.setLong(4, ctx.getScheduledFireTime().getTime());
                p.setLong(5, System.currentTimeMillis());
                p.executeUpdate();
              }
            } catch (SQLException | SchedulerException e) {
              conn = null;
              throw new JobExecutionException(e);
            }
          }
        }
      }
      """;

  /**
   * {@code fault.FailOnceJob}: its first attempt fails, a retry (trigger data baton.attempt)
   * succeeds.
   */
  static final String FAIL_ONCE_JOB = "fault.FailOnceJob";

  /** {@code fault.ExactlyOnceJob}: one {@code effects} row per execution, exactly once. */
  static final String EXACTLY_ONCE_JOB = "fault.ExactlyOnceJob";

  private static final String EXACTLY_ONCE_SOURCE =
      """
      package fault;

      import dev.baton.scheduling.ExactlyOnce;
      import dev.baton.scheduling.Executions;
      import java.sql.*;
      import org.quartz.*;

      /**
       * Writes its effects row first, then works for 'millis' ms, then stamps the row's end: all in
       * the execution's transaction, which commits with the completion or not at all.
       */
      @ExactlyOnce
      @DisallowConcurrentExecution
      public class ExactlyOnceJob implements Job {
        public void execute(JobExecutionContext ctx) throws JobExecutionException {
          Connection c = Executions.connection(ctx);
          long millis = Long.parseLong(ctx.getMergedJobDataMap().getString("millis"));
          try {
            try (PreparedStatement i = c.prepareStatement(
                "INSERT INTO effects (fire_id, node_id, token, started_ms) VALUES (?, ?, ?, ?)")) {
              i.setString(1, ctx.getFireInstanceId());
              i.setString(2, ctx.getScheduler().getSchedulerInstanceId());
              i.setLong(3, Executions.fencingToken(ctx).orElseThrow());
              i.setLong(4, System.currentTimeMillis());
              i.executeUpdate();
            }
            Thread.sleep(millis);
            try (PreparedStatement u = c.prepareStatement(
                "UPDATE effects SET ended_ms = ? WHERE fire_id = ?")) {
              u.setLong(1, System.currentTimeMillis());
              u.setString(2, ctx.getFireInstanceId());
              u.executeUpdate();
            }
          } catch (SQLException | SchedulerException e) {
            throw new JobExecutionException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobExecutionException(e);
          }
        }
      }
      """;

  private static final String FAIL_ONCE_SOURCE =
      """
      package fault;

      import org.quartz.*;

      /** Fails unless this firing is a retry, which Baton marks with 'baton.attempt' in its trigger data. */
      public class FailOnceJob implements Job {
        public void execute(JobExecutionContext ctx) throws JobExecutionException {
          if (ctx.getTrigger().getJobDataMap().get("baton.attempt") == null) {
            throw new JobExecutionException("first attempt fails on purpose");
          }
        }
      }
      """;

  /** Writes {@code dir/retry.jar} with {@link #FAIL_ONCE_JOB}. */
  static Path failOnce(Path dir) throws IOException {
    return jar(dir, "retry", Map.of(FAIL_ONCE_JOB, FAIL_ONCE_SOURCE));
  }

  /** Writes {@code dir/exactly.jar} with {@link #EXACTLY_ONCE_JOB}. */
  static Path exactlyOnce(Path dir) throws IOException {
    return jar(dir, "exactly", Map.of(EXACTLY_ONCE_JOB, EXACTLY_ONCE_SOURCE));
  }

  /** Writes {@code dir/clock.jar} with {@link #CLOCK_PROBE_JOB}. */
  static Path clockProbe(Path dir) throws IOException {
    return jar(dir, "clock", Map.of(CLOCK_PROBE_JOB, CLOCK_PROBE_SOURCE));
  }

  /** Writes {@code dir/fenced.jar} with {@link #FENCED_WRITE_JOB}. */
  static Path fencedWriter(Path dir) throws IOException {
    return jar(dir, "fenced", Map.of("fault.FencedWriteJob", FENCED_SOURCE));
  }

  /**
   * Writes {@code dir/upgrade-<version>.jar} with {@code upgrade.Job<X>} for each X in {@code
   * classes}.
   */
  static Path upgrade(Path dir, String version, String... classes) throws IOException {
    Map<String, String> sources = new java.util.LinkedHashMap<>();
    for (String x : classes) {
      sources.put(
          "upgrade.Job" + x,
          """
          package upgrade;
          /** Rolling-upgrade job %s, plugin %s. */
          public class Job%s implements org.quartz.Job {
            public void execute(org.quartz.JobExecutionContext ctx) {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
          """
              .formatted(x, version, x));
    }
    return jar(dir, "upgrade-" + version, sources);
  }

  private static Path jar(Path dir, String name, Map<String, String> sources) throws IOException {
    Path src = Files.createTempDirectory("fault-plugin-src");
    List<String> args =
        new ArrayList<>(
            List.of("-classpath", System.getProperty("java.class.path"), "-d", src.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    if (ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new))
        != 0) {
      throw new IllegalStateException("javac failed for plugin " + name);
    }
    Files.createDirectories(dir);
    Path jar = dir.resolve(name + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> classes = Files.walk(src)) {
      for (Path c : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
        j.putNextEntry(new JarEntry(src.relativize(c).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(c));
        j.closeEntry();
      }
    }
    return jar;
  }
}
