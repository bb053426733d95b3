package dev.baton.history;

import java.time.Instant;

/**
 * One firing (a trigger at one scheduled fire time) whose job body ran more than once.
 *
 * @param task the task's name
 * @param trigger the trigger's name
 * @param triggerGroup the trigger's group
 * @param scheduledFireTime when the firing was due
 * @param executions how many entries ran it (succeeded, failed, running or abandoned)
 * @param recoveryRuns how many of those were recovery re-runs after a node was declared dead
 */
public record DuplicateFiring(
    String task,
    String trigger,
    String triggerGroup,
    Instant scheduledFireTime,
    int executions,
    int recoveryRuns) {

  /**
   * Whether the repeats are more than the recovery re-runs explain: a firing that ran twice with no
   * node declared dead in between breaks the at-most-once guarantee.
   */
  public boolean unexplained() {
    return executions - recoveryRuns > 1;
  }
}
