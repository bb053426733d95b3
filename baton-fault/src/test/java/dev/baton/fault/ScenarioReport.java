package dev.baton.fault;

import java.util.List;

/**
 * What one scenario did and what the checks found. Violations break a guarantee and fail the suite;
 * notes are what happened and is allowed (e.g. a zombie overlapping after a false death verdict,
 * which the README documents).
 *
 * @param faults the faults injected, described
 * @param firings history entries whose job body ran
 * @param recoveryRuns of those, recovery re-runs after a node death
 * @param vetoed firings vetoed because their lock was busy
 * @param duplicates firings run twice without a node death to explain it
 * @param overlaps overlaps of a non-concurrent task or of two lock holders, not explained by a
 *     paused node
 * @param zombieOverlaps overlaps involving a node paused past failure detection (documented, not
 *     violations)
 * @param refusedWrites fenced writes the resource refused (stale token)
 * @param lost scheduled firings with no entry and no misfire-policy explanation
 * @param accounted scheduled firings with no entry, due while no live node could run them
 * @param unrecordedAtCrash scheduled firings with no entry, due within a second before a kill: they
 *     may have run on the killed node before its history writer flushed (documented crash loss)
 * @param errored triggers left in ERROR
 * @param unhealthy surviving nodes not answering UP
 * @param failoverMs per recovered firing: node kill to the recovered run's start
 */
record ScenarioReport(
    String scenario,
    String database,
    List<String> faults,
    int firings,
    int recoveryRuns,
    int vetoed,
    int duplicates,
    int overlaps,
    int zombieOverlaps,
    int refusedWrites,
    int lost,
    int accounted,
    int unrecordedAtCrash,
    int errored,
    int unhealthy,
    List<Long> failoverMs,
    long durationMs,
    List<String> violations,
    List<String> notes) {

  Long failoverP50() {
    if (failoverMs.isEmpty()) return null;
    List<Long> sorted = failoverMs.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }

  Long failoverMax() {
    return failoverMs.stream().max(Long::compare).orElse(null);
  }
}
