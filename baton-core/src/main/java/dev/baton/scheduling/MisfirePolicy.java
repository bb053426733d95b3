package dev.baton.scheduling;

/**
 * What happens to firings missed while no node could run them (all nodes down, no capable node, or
 * a backlog longer than the misfire threshold).
 */
public enum MisfirePolicy {
  /** Fire once as soon as possible, then continue on schedule. The default. */
  FIRE_ONCE_NOW,
  /** Drop the missed firings and wait for the next scheduled time. A missed one-shot never runs. */
  SKIP,
  /** Run every missed firing, back to back, as soon as possible. */
  FIRE_ALL_MISSED
}
