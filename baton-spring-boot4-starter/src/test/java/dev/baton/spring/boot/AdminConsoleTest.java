package dev.baton.spring.boot;

import dev.baton.spring.starter.admin.AdminConsoleContract;

/** The admin console served by a Boot 4 application. */
class AdminConsoleTest extends AdminConsoleContract {
  @Override
  protected Class<?> autoConfiguration() {
    return BatonAutoConfiguration.class;
  }
}
