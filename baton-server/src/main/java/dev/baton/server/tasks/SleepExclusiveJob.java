package dev.baton.server.tasks;

import org.quartz.DisallowConcurrentExecution;

/**
 * Built-in task type {@code sleep-exclusive}: a {@link SleepJob} that never overlaps itself on any
 * two nodes of the cluster.
 */
@DisallowConcurrentExecution
public class SleepExclusiveJob extends SleepJob {}
