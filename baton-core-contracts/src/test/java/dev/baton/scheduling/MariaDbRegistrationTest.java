package dev.baton.scheduling;

import dev.baton.testing.MariaDbDatabase;
import dev.baton.testing.TestDatabase;

class MariaDbRegistrationTest extends RegistrationContract {
  @Override
  protected TestDatabase newDatabase() {
    return new MariaDbDatabase();
  }

  @Override
  protected String trueLiteral() {
    return "1";
  }
}
