package dev.baton.spring.boot3;

import dev.baton.spring.starter.admin.AdminConsoleContract;

/** The admin console served by a Boot 3 application. */
class AdminConsoleTest extends AdminConsoleContract {
  @Override
  protected Class<?> autoConfiguration() {
    return BatonAutoConfiguration.class;
  }
}
