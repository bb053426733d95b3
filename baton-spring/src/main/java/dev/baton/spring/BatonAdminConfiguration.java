package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.InvalidSettingException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Serves the node's admin API and dashboard from the application ({@link BatonAdminConsole}) when
 * {@code baton.admin.port} is set; imported by both starters' auto-configurations.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(BatonAdminConfiguration.PortSet.class)
public class BatonAdminConfiguration {
  static final String PORT = BatonProperties.PREFIX + ".admin.port";

  /**
   * The console, checked at once.
   *
   * @throws InvalidBatonPropertyException when {@code baton-server}, which serves them, is not on
   *     the class path, or a {@code baton.admin.*} value is invalid
   */
  @Bean
  public BatonAdminConsole batonAdminConsole(
      Baton baton, BatonProperties properties, ResourceLoader resources) {
    if (!ClassUtils.isPresent("dev.baton.server.AdminConsole", resources.getClassLoader())) {
      throw new InvalidBatonPropertyException(
          PORT,
          new InvalidSettingException(
              PORT,
              properties.getAdmin().getPort(),
              "add the dependency dev.baton:baton-server, which serves the admin API and dashboard,"
                  + " or remove "
                  + PORT));
    }
    return new BatonAdminConsole(baton, properties.getAdmin());
  }

  /** Only when the port is set: the console is opt-in. */
  static final class PortSet implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return context.getEnvironment().containsProperty(PORT);
    }
  }
}
