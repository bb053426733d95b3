package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.InvalidSettingException;
import dev.baton.server.AdminConsole;
import dev.baton.server.AdminToken;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The node's admin API and dashboard, served by the application on a port of their own ({@code
 * baton.admin.port}, with {@code baton-server} on the class path): started just before the node and
 * stopped just after its drain, so that they show the node leave.
 */
public final class BatonAdminConsole implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(BatonAdminConsole.class);

  private final Baton baton;
  private final String bind;
  private final int port;
  private final AdminToken token;
  private volatile AdminConsole console;

  /**
   * Checks the settings now, so that a bad one fails the application's start naming its property.
   *
   * @throws InvalidBatonPropertyException for a port outside 0–65535, a blank address, or a token
   *     missing or shorter than 16 characters
   */
  public BatonAdminConsole(Baton baton, BatonProperties.Admin admin) {
    this.baton = Objects.requireNonNull(baton, "baton");
    Integer p = admin.getPort();
    if (p == null || p < 0 || p > 65_535) {
      throw invalid("port", p, "give a port from 0 (any free one) to 65535");
    }
    if (admin.getBind() == null || admin.getBind().isBlank()) {
      throw invalid(
          "bind", admin.getBind(), "give the address to bind, e.g. 127.0.0.1 (the default)");
    }
    if (admin.getToken() == null || admin.getToken().isBlank()) {
      throw invalid(
          "token",
          "(none)",
          "give the admin API's token (at least 16 characters; e.g. from an environment variable:"
              + " baton.admin.token=${BATON_ADMIN_TOKEN}); every route but /api/health requires"
              + " it");
    }
    try {
      this.token = AdminToken.given(admin.getToken(), BatonProperties.PREFIX + ".admin.token");
    } catch (IllegalArgumentException e) {
      throw invalid("token", "(" + admin.getToken().length() + " characters)", e.getMessage());
    }
    this.port = p;
    this.bind = admin.getBind();
  }

  private static InvalidBatonPropertyException invalid(String name, Object value, String fix) {
    String property = BatonProperties.PREFIX + ".admin." + name;
    return new InvalidBatonPropertyException(
        property, new InvalidSettingException(property, value, fix));
  }

  /** The bound port, once started (the one chosen when 0 was asked for); -1 before. */
  public int port() {
    AdminConsole c = console;
    return c == null ? -1 : c.port();
  }

  /**
   * @throws InvalidBatonPropertyException naming {@code baton.admin.port} when it cannot be bound
   */
  @Override
  public void start() {
    try {
      console = AdminConsole.start(baton, bind, port, token);
    } catch (RuntimeException e) {
      throw invalid(
          "port",
          port,
          "could not be served on "
              + bind
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); choose a free port, or 0 for any");
    }
    log.info("Baton admin API and dashboard at {}", console.url());
  }

  @Override
  public void stop() {
    AdminConsole c = console;
    console = null;
    if (c != null) c.close();
  }

  @Override
  public boolean isRunning() {
    return console != null;
  }

  /** One below the node's: starts before it, stops after its drain. */
  @Override
  public int getPhase() {
    return BatonLifecycle.PHASE - 1;
  }
}
