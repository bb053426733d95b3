/**
 * Tasks and what the cluster knows of them: {@link dev.baton.scheduling.Task} (a DSL that reads
 * like the schedule), {@link dev.baton.scheduling.Schedule}, {@link dev.baton.scheduling.Run} (one
 * firing of a task with data of its own), {@link dev.baton.scheduling.MisfirePolicy}, {@link
 * dev.baton.scheduling.RetryPolicy}, and the read-only views {@link dev.baton.scheduling.TaskInfo},
 * {@link dev.baton.scheduling.TriggerInfo} and {@link dev.baton.scheduling.NodeInfo}. API only: the
 * scheduler behind it is {@code dev.baton.internal}.
 */
package dev.baton.scheduling;
