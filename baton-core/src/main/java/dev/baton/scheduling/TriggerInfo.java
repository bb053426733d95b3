package dev.baton.scheduling;

import java.time.Instant;

/**
 * One trigger of a task.
 *
 * @param name trigger name; a task's own trigger has the task's name, "run now" triggers others
 * @param group trigger group
 * @param state Quartz's state: WAITING, ACQUIRED, EXECUTING, BLOCKED, PAUSED, PAUSED_BLOCKED,
 *     COMPLETE or ERROR
 * @param nextFireTime null when it will not fire again
 * @param previousFireTime null when it has not fired yet
 */
public record TriggerInfo(
    String name, String group, String state, Instant nextFireTime, Instant previousFireTime) {}
