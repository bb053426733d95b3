package dev.baton.spring.starter;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** Application code as users write it: a {@code @Transactional} method on a JdbcTemplate. */
public class EffectService {
  private final JdbcTemplate jdbc;

  public EffectService(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  public void write(String fireId) {
    jdbc.update("INSERT INTO effects (fire_id) VALUES (?)", fireId);
  }
}
