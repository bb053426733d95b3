package dev.baton;

import dev.baton.history.ExecutionHistory;
import dev.baton.locks.ClusterLocks;
import dev.baton.scheduling.DepartedNode;
import dev.baton.scheduling.NodeInfo;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.Run;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.UnknownTaskException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an application, and each of Baton's own modules (the admin API, the Spring glue, metrics),
 * does with a cluster through one node: register and change tasks, read what the cluster knows of
 * them, its history and its locks. Every call acts on the shared database, so its effect is
 * cluster-wide and survives this node. {@link Baton} is the implementation; its lifecycle (start,
 * drain) is not part of this interface.
 */
public interface BatonClient {
  /**
   * Registers (creates, or updates in place) a task; unchanged definitions write nothing.
   *
   * @throws dev.baton.scheduling.InvalidTaskException when this node cannot load or run its job
   *     class; nothing is written then
   */
  Registration register(Task task);

  /**
   * Registers several tasks, validating every one before anything is written; returns what happened
   * to each, by name. A name given twice is registered once, with its last definition.
   */
  Map<String, Registration> register(Collection<Task> tasks);

  /**
   * Submits a run of a registered task, with data of its own ({@link Run}): typically of an {@link
   * dev.baton.scheduling.Schedule#onDemand() on-demand} task, though any task may have runs. It
   * costs one trigger row, no job row. Returns {@code CREATED}, or {@code UNCHANGED} when a run of
   * that task with that id is still pending (it is left as it is).
   *
   * @throws UnknownTaskException when there is no such task; nothing is stored then
   */
  Registration submit(Run run);

  /**
   * Submits many runs, set-based: up to 1,000 per transaction, a few statements each. Returns what
   * happened to each, in the order given (an id given twice is stored once, {@code UNCHANGED} the
   * second time). A database failure in a later transaction leaves the earlier ones stored.
   *
   * @throws UnknownTaskException when one of their tasks does not exist; nothing is stored then
   */
  List<Registration> submit(List<Run> runs);

  /** Deletes a task and its triggers (its pending runs included); false when it did not exist. */
  boolean unschedule(String task);

  /**
   * Fires a task once, now, on a capable node.
   *
   * @throws UnknownTaskException when there is no such task
   */
  void triggerNow(String task);

  /**
   * Runs a task once more by hand, typically after its retries were exhausted: one firing now, on a
   * capable node, never retried automatically; its history entry says attempt "manual".
   *
   * @throws UnknownTaskException when there is no such task
   */
  void retry(String task);

  /**
   * Pauses one task across the cluster; it stays paused across restarts and re-registration.
   *
   * @throws UnknownTaskException when there is no such task
   */
  void pause(String task);

  /**
   * Resumes a paused task; firings missed meanwhile follow its misfire policy.
   *
   * @throws UnknownTaskException when there is no such task
   */
  void resume(String task);

  /** Pauses every task, including ones created later, until {@link #resumeAll()}. */
  void pauseAll();

  /** Resumes every task, and ends the pause of tasks created later. */
  void resumeAll();

  /**
   * Every task in the cluster with its triggers, states and next fire times, except Baton's own
   * maintenance tasks (names starting {@value Task#RESERVED_PREFIX}).
   */
  List<TaskInfo> tasks();

  /** One task, Baton's own included, if it exists. */
  Optional<TaskInfo> task(String name);

  /** Cluster members with their last check-in, live ones flagged. */
  List<NodeInfo> nodes();

  /**
   * Nodes that left the cluster within the last {@code within}, newest first (at most 100): when
   * they left, whether cleanly or declared dead and by which node, and for a node declared dead the
   * executions that were running on it (from the execution history) with what became of each:
   * re-run (on which node, with which outcome), re-run pending, or abandoned. Departures are kept 7
   * days.
   *
   * @param within how far back to look: more than zero and at most 7 days
   * @throws IllegalArgumentException when {@code within} is out of that range
   */
  List<DepartedNode> departedNodes(Duration within);

  /** Puts triggers in ERROR back in service (done at every start too); returns how many. */
  int resetErroredTriggers();

  /**
   * The cluster's execution history: one entry per execution attempt, queryable by task, outcome,
   * node and time.
   */
  ExecutionHistory history();

  /** Cluster locks owned by this node, on the application's DataSource. */
  ClusterLocks locks();

  /** The id of the node this client acts through. */
  String nodeId();
}
