package dev.baton.internal;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * This process's host, pid and a generated node id that is unique per process, and the one rule for
 * node ids and table prefixes.
 */
public final class NodeIdentity {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Node ids travel in log lines, URLs and lock rows; keep them plain. */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

  /** Table prefixes are spliced into SQL: a letter, then letters, digits or '_'. */
  private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,19}");

  /** What a node's settings and a lock client's builder both accept as a node id. */
  public static boolean validNodeId(String id) {
    return id != null && NODE_ID.matcher(id).matches();
  }

  /** What a node's settings and a lock client's builder both accept as a table prefix. */
  public static boolean validTablePrefix(String prefix) {
    return prefix != null && TABLE_PREFIX.matcher(prefix).matches();
  }

  private NodeIdentity() {}

  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      String env = System.getenv("HOSTNAME");
      return env != null && !env.isBlank() ? env : "localhost";
    }
  }

  public static long pid() {
    return ProcessHandle.current().pid();
  }

  /** host-pid-random: readable, and unique even for two nodes of one host and pid namespace. */
  public static String generateNodeId() {
    String host = host().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    if (host.length() > 60) host = host.substring(0, 60);
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    return host + "-" + pid() + "-" + HexFormat.of().formatHex(random);
  }

  public static String version() {
    Package p = NodeIdentity.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    if (v != null) return v;
    try (var in = NodeIdentity.class.getResourceAsStream("baton-version.txt")) {
      return in == null
          ? "dev"
          : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    } catch (java.io.IOException e) {
      return "dev";
    }
  }
}
