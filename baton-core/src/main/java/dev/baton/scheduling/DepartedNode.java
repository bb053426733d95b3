package dev.baton.scheduling;

import dev.baton.history.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * A node that left the cluster, kept in view for a while after it went: when, how, and what the
 * cluster recovered from it.
 *
 * @param nodeId the Quartz instance id it had
 * @param departedAt when it left, on the database's clock: the moment of its clean leave, or the
 *     moment a survivor declared it dead (not the moment it actually stopped, which nobody saw)
 * @param departure how it left
 * @param declaredBy for {@link Departure#DECLARED_DEAD}: the node that declared it dead and ran the
 *     recovery of its work; null for a clean leave
 * @param host host name, null if it was not a Baton node (a stock Quartz member)
 * @param pid process id, or -1 when unknown
 * @param version Baton version, null when unknown
 * @param startedAt when it had started, null when unknown
 * @param recovered the executions that were running on it when it was declared dead, each with what
 *     became of it; empty for a clean leave (a node leaves only after a complete drain) and when
 *     that node recorded no history
 */
public record DepartedNode(
    String nodeId,
    Instant departedAt,
    Departure departure,
    String declaredBy,
    String host,
    long pid,
    String version,
    Instant startedAt,
    List<Recovered> recovered) {

  /** Copies {@code recovered} so that the value stays immutable. */
  public DepartedNode {
    recovered = recovered == null ? List.of() : List.copyOf(recovered);
  }

  /** How a node left. */
  public enum Departure {
    /** It drained and left on its own ({@code close()}, SIGTERM). */
    LEFT,
    /**
     * It missed its check-ins past the failure grace and a survivor declared it dead (a crash, a
     * kill, a lost network or database connection, or a long pause).
     */
    DECLARED_DEAD
  }

  /** What became of an execution that was running on a node declared dead. */
  public enum Fate {
    /** Its firing was re-run on a survivor (a recoverable task). */
    RERUN,
    /** Its task is recoverable but the re-run has not started yet. */
    RERUN_PENDING,
    /**
     * Not re-run: its task is not recoverable (or no longer exists). The dead node may still have
     * finished it, if it was only paused: see {@link Recovered#outcome()}.
     */
    ABANDONED
  }

  /**
   * One execution that was running on the node when it was declared dead, from the execution
   * history.
   *
   * @param executionId its history id
   * @param task the task's name
   * @param scheduledFireTime when the firing was due
   * @param startedAt when it started on the departed node
   * @param outcome its history outcome now: {@link Outcome#ABANDONED}, or the late result of a node
   *     that was only paused and finished after all
   * @param fate whether and how it was re-run
   * @param rerunId the re-run's history id; null without one
   * @param rerunNode the node that ran the re-run; null without one
   * @param rerunOutcome the re-run's outcome (RUNNING while it runs); null without one
   */
  public record Recovered(
      String executionId,
      String task,
      Instant scheduledFireTime,
      Instant startedAt,
      Outcome outcome,
      Fate fate,
      String rerunId,
      String rerunNode,
      Outcome rerunOutcome) {}
}
