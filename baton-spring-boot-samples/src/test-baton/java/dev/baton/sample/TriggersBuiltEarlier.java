package dev.baton.sample;

import java.util.Date;
import org.quartz.spi.MutableTrigger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Test only, and only with {@code sample.triggers-built-before-ms} set: the application's trigger
 * beans start that long before now, as in an application whose boot takes that long between
 * building its {@code Trigger} beans (start time "now") and Spring storing them. A real boot's gap
 * varies from run to run; a fixed one makes a rewinding store show up in every run.
 */
@Component
@ConditionalOnProperty("sample.triggers-built-before-ms")
class TriggersBuiltEarlier implements BeanPostProcessor {
  private final long millis;

  TriggersBuiltEarlier(@Value("${sample.triggers-built-before-ms}") long millis) {
    this.millis = millis;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String name) {
    if (bean instanceof MutableTrigger t) {
      t.setStartTime(new Date(System.currentTimeMillis() - millis));
    }
    return bean;
  }
}
