package dev.baton.spring;

import dev.baton.DatabaseUnavailableException;
import dev.baton.InvalidSettingException;
import dev.baton.UnsupportedDatabaseException;

/**
 * Text of a start-up failure caused by a refused Baton setting, shared by the starters' {@code
 * FailureAnalyzer}s (whose base classes differ between Boot generations only by package).
 *
 * @param description what was refused, naming the property
 * @param action what to change
 */
public record BatonFailureDescription(String description, String action) {

  /**
   * Core's refusal of a serialized {@code JOB_DATA} blob has no type of its own (a Quartz
   * persistence exception wrapping an IOException), so it is recognised by this part of its
   * message.
   */
  static final String SERIALIZED_JOB_DATA =
      " holds a serialized Java object (written by Quartz without useProperties=true)";

  /** Describes the first Baton start-up failure in {@code failure}'s cause chain; null if none. */
  public static BatonFailureDescription of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidBatonPropertyException p) {
        return new BatonFailureDescription(
            "Baton could not start: property '"
                + p.property()
                + "' is invalid.\n\n    "
                + p.setting().getMessage(),
            "Fix '"
                + p.property()
                + "' in the application's configuration (application.properties,"
                + " environment or command line): "
                + fix(p.setting()));
      }
      if (t instanceof UnsupportedQuartzVersionException q) {
        return new BatonFailureDescription(
            q.getMessage()
                + ": Baton overrides Quartz job-store internals that changed in "
                + QuartzVersionCheck.MINIMUM
                + ".",
            "Use Quartz "
                + QuartzVersionCheck.MINIMUM
                + " or later. Under the Spring Boot 3.5 parent (which"
                + " manages Quartz 2.5.0) set the property <quartz.version>"
                + QuartzVersionCheck.MINIMUM
                + "</quartz.version> in the application's pom.xml (Gradle:"
                + " ext['quartz.version']).");
      }
      if (t.getMessage() != null && t.getMessage().contains(SERIALIZED_JOB_DATA)) {
        return new BatonFailureDescription(
            "Baton found job data written by stock Quartz as serialized Java objects:\n\n    "
                + t.getMessage(),
            "Convert the data once, with no stock Quartz node running: 'java -jar baton.jar"
                + " migrate-quartz --cluster-name <scheduler name> ...' (dry run, then --apply; see"
                + " the README, 'From Quartz'). Or, for jobs defined as JobDetail/Trigger beans,"
                + " start once with spring.quartz.overwrite-existing-jobs=true: Spring stores every"
                + " bean again and Baton writes its data as text.");
      }
      if (t instanceof DatabaseUnavailableException d) {
        return new BatonFailureDescription(
            "Baton could not reach the database: " + d.getMessage(),
            "Check spring.datasource.* (or the @QuartzDataSource), that the database is up, and"
                + " baton.startup-timeout (how long Baton waits for it, 30 s by default).");
      }
      if (t instanceof UnsupportedDatabaseException d) {
        return new BatonFailureDescription(
            "Baton does not support the application's database: " + d.getMessage(),
            "Run Baton on H2 2.x, PostgreSQL 13+, MySQL 8+ or MariaDB 10.6+, or set"
                + " baton.enabled=false.");
      }
      if (t instanceof InvalidSettingException s) {
        return new BatonFailureDescription(
            "Baton could not start: setting '"
                + s.setting()
                + "' is invalid.\n\n    "
                + s.getMessage(),
            "Fix the value passed to BatonBuilder."
                + s.setting()
                + "(...) in the application's own Baton bean.");
      }
      if (t.getCause() == t) break;
    }
    return null;
  }

  private static String fix(InvalidSettingException s) {
    String m = s.getMessage();
    int i = m.indexOf(" is invalid: ");
    return i < 0 ? m : m.substring(i + " is invalid: ".length());
  }
}
