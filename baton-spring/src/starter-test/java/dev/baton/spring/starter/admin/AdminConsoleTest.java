package dev.baton.spring.starter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.spring.BatonAdminConsole;
import dev.baton.spring.InvalidBatonPropertyException;
import dev.baton.spring.boot.BatonAutoConfiguration;
import dev.baton.spring.starter.CountingJob;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin API and dashboard served by the application ({@code baton.admin.*}), under each Boot
 * line's dependency management: both starters run this test.
 */
class AdminConsoleTest {
  private static final String TOKEN = "a-token-of-sixteen-or-more";
  private final HttpClient http = HttpClient.newHttpClient();

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BatonAutoConfiguration.class))
        .withUserConfiguration(Application.class)
        .withPropertyValues("baton.drain-timeout=1s");
  }

  @Test
  void withAPortTheApplicationServesTheApiBehindTheTokenAndTheDashboard() {
    runner()
        .withPropertyValues("baton.admin.port=0", "baton.admin.token=" + TOKEN)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              int port = ctx.getBean(BatonAdminConsole.class).port();
              assertThat(port).isPositive();
              String base = "http://127.0.0.1:" + port;

              HttpResponse<String> health = get(base + "/api/health", null);
              assertThat(health.statusCode()).isEqualTo(200);
              assertThat(health.body())
                  .contains("\"nodeId\":\"" + ctx.getBean(Baton.class).nodeId() + "\"");
              assertThat(get(base + "/api/tasks", null).statusCode()).isEqualTo(401);
              assertThat(get(base + "/api/tasks", "wrong-token-wrong-token").statusCode())
                  .isEqualTo(401);
              HttpResponse<String> tasks = get(base + "/api/tasks", TOKEN);
              assertThat(tasks.statusCode()).isEqualTo(200);
              assertThat(tasks.body()).contains("\"name\":\"admin-counted\"");
              HttpResponse<String> dashboard = get(base + "/", null);
              assertThat(dashboard.statusCode()).isEqualTo(200);
              assertThat(dashboard.body()).containsIgnoringCase("<html");
            });
  }

  @Test
  void closingTheContextStopsServing() throws Exception {
    int[] port = new int[1];
    runner()
        .withPropertyValues("baton.admin.port=0", "baton.admin.token=" + TOKEN)
        .run(
            ctx -> {
              port[0] = ctx.getBean(BatonAdminConsole.class).port();
              assertThat(get("http://127.0.0.1:" + port[0] + "/api/health", null).statusCode())
                  .isEqualTo(200);
            });
    try {
      get("http://127.0.0.1:" + port[0] + "/api/health", null);
      throw new AssertionError("port " + port[0] + " still answers after the context closed");
    } catch (ConnectException expected) {
      // nothing listens any more
    }
  }

  @Test
  void withoutAPortNothingIsServed() {
    runner()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(BatonAdminConsole.class);
            });
  }

  @Test
  void aMissingOrShortTokenFailsTheStartNamingTheProperty() {
    runner()
        .withPropertyValues("baton.admin.port=0")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(dev.baton.InvalidSettingException.class)
                    .hasMessageContaining("baton.admin.token"));
    runner()
        .withPropertyValues("baton.admin.port=0", "baton.admin.token=short")
        .run(
            ctx -> {
              assertThat(ctx)
                  .getFailure()
                  .hasRootCauseInstanceOf(dev.baton.InvalidSettingException.class);
              assertThat(propertyOf(ctx.getStartupFailure())).isEqualTo("baton.admin.token");
              assertThat(ctx.getStartupFailure()).hasStackTraceContaining("at least 16");
            });
    runner()
        .withPropertyValues("baton.admin.port=70000", "baton.admin.token=" + TOKEN)
        .run(ctx -> assertThat(propertyOf(ctx.getStartupFailure())).isEqualTo("baton.admin.port"));
  }

  @Test
  void aPortInUseFailsTheStartNamingTheProperty() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      runner()
          .withPropertyValues(
              "baton.admin.port=" + taken.getLocalPort(), "baton.admin.token=" + TOKEN)
          .run(
              ctx -> {
                assertThat(propertyOf(ctx.getStartupFailure())).isEqualTo("baton.admin.port");
                assertThat(ctx.getStartupFailure()).hasStackTraceContaining("choose a free port");
              });
    }
  }

  @Test
  void aPortWithoutBatonServerFailsTheStartNamingTheDependency() {
    runner()
        .withClassLoader(new FilteredClassLoader("dev.baton.server."))
        .withPropertyValues("baton.admin.port=0", "baton.admin.token=" + TOKEN)
        .run(
            ctx -> {
              assertThat(propertyOf(ctx.getStartupFailure())).isEqualTo("baton.admin.port");
              assertThat(ctx.getStartupFailure()).hasStackTraceContaining("dev.baton:baton-server");
            });
  }

  private static String propertyOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidBatonPropertyException e) return e.property();
    }
    throw new AssertionError("no InvalidBatonPropertyException in " + failure, failure);
  }

  private HttpResponse<String> get(String url, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An application with its DataSource and one Task bean. */
  @Configuration(proxyBeanMethods = false)
  static class Application {
    @Bean
    DataSource dataSource() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return ds;
    }

    @Bean
    Task counted() {
      return Task.named("admin-counted").every(Duration.ofHours(1)).runs(CountingJob.class).build();
    }
  }
}
