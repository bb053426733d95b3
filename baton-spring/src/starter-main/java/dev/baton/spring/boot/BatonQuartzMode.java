package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.spring.BatonLifecycle;
import dev.baton.spring.BatonNodeFactory;
import dev.baton.spring.BatonProperties;
import dev.baton.spring.BatonSchedulerFactory;
import dev.baton.spring.QuartzPropertiesTranslation;
import dev.baton.spring.SpringJobFactory;
import dev.baton.spring.SpringJobTransactions;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * What Quartz mode does, whichever Boot line: builds the node with {@code spring.quartz.*}'s
 * cluster name, sizes and intervals unless {@code baton.*} says otherwise, and hands it to Boot's
 * {@code SchedulerFactoryBean}. Each starter's {@link BatonQuartzConfiguration} declares the beans,
 * with the Quartz types of its Boot line, and calls here.
 */
final class BatonQuartzMode {
  private BatonQuartzMode() {}

  /** The node on {@code dataSource}, Boot's choice for the Quartz tables. */
  static Baton node(
      DataSource dataSource,
      BatonProperties properties,
      ObjectProvider<Task> tasks,
      Environment environment,
      ConfigurableListableBeanFactory beans) {
    List<Task> all = tasks.orderedStream().toList();
    // Spring's SchedulerFactoryBean installs its SpringBeanJobFactory at start; until then, and for
    // the Task beans registered now, a factory that injects the same way.
    return new BatonNodeFactory(
            dataSource, properties, quartzSettings(environment), all, new SpringJobFactory(beans))
        .jobTransactions(SpringJobTransactions.ifAvailable(beans, dataSource))
        .build();
  }

  /** Hands Boot's {@code factoryBean} the node, which it then starts; the lifecycle only drains. */
  static void customize(SchedulerFactoryBean factoryBean, Baton baton, BatonLifecycle lifecycle) {
    lifecycle.startedByQuartz();
    factoryBean.setSchedulerFactory(new BatonSchedulerFactory(baton));
  }

  private static QuartzPropertiesTranslation quartzSettings(Environment environment) {
    String name = environment.getProperty("spring.quartz.scheduler-name");
    Map<String, String> props =
        Binder.get(environment)
            .bind("spring.quartz.properties", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    return new QuartzPropertiesTranslation(name, props);
  }
}
