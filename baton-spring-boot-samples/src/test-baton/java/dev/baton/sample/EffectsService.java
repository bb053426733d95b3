package dev.baton.sample;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** Application code as users write it: a {@code @Transactional} write through a JdbcTemplate. */
public class EffectsService {
  private final JdbcTemplate jdbc;

  public EffectsService(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  public void record(String fireId, String node, long token) {
    jdbc.update(
        "INSERT INTO effects (fire_id, node_id, token, started_ms) VALUES (?, ?, ?, ?)",
        fireId,
        node,
        token,
        System.currentTimeMillis());
  }

  @Transactional
  public void finish(String fireId) {
    jdbc.update(
        "UPDATE effects SET ended_ms = ? WHERE fire_id = ?", System.currentTimeMillis(), fireId);
  }
}
