package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.internal.classloading.JobClasses;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.Task;
import dev.baton.testing.H2Database;
import dev.baton.testing.TestNodes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Baton's rule for which job classes an injecting factory can build ({@link JobClasses}) agrees
 * with what Spring's {@code createBean} really builds, and a node with {@link SpringJobFactory}
 * fires a package-private job whose package-private constructor takes a bean.
 */
class SpringJobFactoryTest {
  /** The bean the jobs take. */
  static final class Greeter {
    final List<String> greeted = new CopyOnWriteArrayList<>();
  }

  static final class PackagePrivateInjected implements Job {
    private final Greeter greeter;

    PackagePrivateInjected(Greeter greeter) {
      this.greeter = greeter;
    }

    @Override
    public void execute(JobExecutionContext context) {
      greeter.greeted.add(context.getJobDetail().getKey().getName());
    }
  }

  private static final class PrivateClassPrivateConstructor implements Job {
    private PrivateClassPrivateConstructor(Greeter greeter) {}

    @Override
    public void execute(JobExecutionContext context) {}
  }

  static final class PrivateNoArgument implements Job {
    private PrivateNoArgument() {}

    @Override
    public void execute(JobExecutionContext context) {}
  }

  static final class NoArgumentAmongOthers implements Job {
    NoArgumentAmongOthers() {}

    NoArgumentAmongOthers(Greeter greeter) {}

    @Override
    public void execute(JobExecutionContext context) {}
  }

  static final class AutowiredAmongOthers implements Job {
    AutowiredAmongOthers(Greeter greeter) {}

    @Autowired
    AutowiredAmongOthers(Greeter greeter, Greeter again) {}

    @Override
    public void execute(JobExecutionContext context) {}
  }

  static final class NoneChoosable implements Job {
    NoneChoosable(Greeter greeter) {}

    NoneChoosable(Greeter greeter, Greeter again) {}

    @Override
    public void execute(JobExecutionContext context) {}
  }

  @Test
  void batonCountsRunnableExactlyTheJobClassesSpringBuilds() {
    try (AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext()) {
      spring.registerBean(Greeter.class);
      spring.refresh();
      var beans = spring.getAutowireCapableBeanFactory();
      for (Class<?> c :
          List.of(
              PackagePrivateInjected.class,
              PrivateClassPrivateConstructor.class,
              PrivateNoArgument.class,
              NoArgumentAmongOthers.class,
              AutowiredAmongOthers.class)) {
        assertThatCode(() -> beans.createBean(c))
            .as("Spring builds %s", c)
            .doesNotThrowAnyException();
        assertThat(JobClasses.problem(c, true)).as("Baton's answer for %s", c).isNull();
      }
      assertThatThrownBy(() -> beans.createBean(NoneChoosable.class))
          .hasMessageContaining("No default constructor");
      assertThat(JobClasses.problem(NoneChoosable.class, true))
          .contains("annotate the one to use with @Autowired");
    }
  }

  @Test
  void aNodeWithSpringsJobFactoryFiresAPackagePrivateJobWithAnInjectedPackagePrivateConstructor() {
    try (AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
        H2Database db = new H2Database();
        TestNodes nodes = new TestNodes(db)) {
      spring.registerBean(Greeter.class);
      spring.refresh();
      Task task =
          Task.named("injected")
              .every(Duration.ofMillis(200))
              .runs(PackagePrivateInjected.class)
              .build();
      assertThatThrownBy(() -> nodes.start("plain", b -> b.task(task)))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("is not public");

      Baton node =
          nodes.start(
              "spring",
              b ->
                  b.jobFactory(new SpringJobFactory(spring.getAutowireCapableBeanFactory()))
                      .task(task));
      assertThat(node).isNotNull();
      Greeter greeter = spring.getBean(Greeter.class);
      await().atMost(Duration.ofSeconds(30)).until(() -> greeter.greeted.size() >= 2);
      assertThat(greeter.greeted).containsOnly("injected");
    }
  }
}
