package dev.baton.fault;

import dev.baton.fault.HistoryTables.Entry;
import dev.baton.fault.HistoryTables.FencedWrite;
import dev.baton.fault.HistoryTables.Trigger;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.quartz.CronExpression;

/**
 * Baton's guarantees, checked after a scenario from the history, trigger and fenced-resource
 * tables: no firing run twice (recovery re-runs aside), no overlap of a non-concurrent task or of
 * two lock holders (on the resource: no write with an older token accepted after a newer one),
 * every scheduled firing executed or accounted for, no trigger in ERROR, every surviving node
 * healthy.
 */
final class Invariants {
  /** A firing due this long before the window's end may still be on its way; not yet expected. */
  static final long WINDOW_SLACK_MS = 1_500;

  /**
   * Kill to recovered start with the default check-in interval (1 s) and grace (2 s). A timing, so
   * a miss is reported (on a loaded CI machine it can be scheduling noise), not failed on.
   */
  static final long FAILOVER_TARGET_MS = 5_000;

  /**
   * Past this, failure detection is broken rather than slow: stock Quartz's default failover (7.5 s
   * check-in plus 7.5 s grace). A violation.
   */
  static final long FAILOVER_LIMIT_MS = 15_000;

  /**
   * How long before a kill a firing may have started without its history entry reaching the
   * database.
   */
  static final long UNFLUSHED_AT_CRASH_MS = 1_000;

  /**
   * The most a node commits a firing ahead of its time (Baton's firing lead, bounded at 25 ms): a
   * firing committed ahead on a node killed before its time never started.
   */
  static final long FIRING_LEAD_MAX_MS = 25;

  /** The trigger group of the task DSL's triggers and of runs. */
  private static final String BATON_GROUP = "baton";

  /**
   * How soon after a pause ends an execution the node starts is still the pause's work: a node
   * stopped between firing a trigger and starting its job starts the job the moment it wakes, as
   * the cluster (which judged it dead from its stale check-in) starts the recovery re-run. Seen in
   * the exactly-once scenario: the job started 13 ms after SIGCONT, the recovery 55 ms after.
   */
  static final long ZOMBIE_WAKE_MS = 1_000;

  private final ScenarioRun run;
  private final List<String> violations = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private Invariants(ScenarioRun run) {
    this.run = run;
  }

  static ScenarioReport check(ScenarioRun run) throws Exception {
    return new Invariants(run).check();
  }

  /** How many firings due in the window have no entry yet (late ones still count as missing). */
  static int missing(ScenarioRun run) throws Exception {
    return new Invariants(run)
        .lostFirings(HistoryTables.history(run.db()), HistoryTables.triggers(run.db()))[0];
  }

  private ScenarioReport check() throws Exception {
    List<Entry> history = HistoryTables.history(run.db());
    List<Trigger> triggers = HistoryTables.triggers(run.db());
    List<Entry> ran = history.stream().filter(Entry::ran).toList();

    int duplicates = duplicates(ran);
    int[] overlaps = overlaps(ran);
    int refused = fencedResource(HistoryTables.fencedWrites(run.db()));
    int[] lost = lostFirings(history, triggers);
    int errored = errored(triggers);
    int unhealthy = unhealthy();
    List<Long> failover = failover(ran);
    staleRunning(history);
    history.stream()
        .filter(e -> e.outcome().equals("SKIPPED"))
        .forEach(
            e ->
                violations.add(
                    "firing consumed by a no-op: " + e.firingKey() + " SKIPPED on " + e.node()));
    violations.addAll(run.extraViolations());
    notes.addAll(run.notes());
    return new ScenarioReport(
        run.name(),
        run.db().kind(),
        run.faults(),
        ran.size(),
        (int) ran.stream().filter(Entry::recovery).count(),
        (int) history.stream().filter(e -> e.outcome().equals("VETOED")).count(),
        duplicates,
        overlaps[0],
        overlaps[1],
        refused,
        lost[0],
        lost[1],
        lost[2],
        errored,
        unhealthy,
        failover,
        run.elapsedMs(),
        List.copyOf(violations),
        List.copyOf(notes));
  }

  /** Firings whose body ran more than once, beyond what recovery re-runs explain. */
  private int duplicates(List<Entry> ran) {
    int count = 0;
    Map<String, List<Entry>> byFiring =
        ran.stream()
            .filter(e -> e.scheduled() != null)
            .collect(Collectors.groupingBy(Entry::firingKey));
    for (Map.Entry<String, List<Entry>> f : byFiring.entrySet()) {
      List<Entry> runs = f.getValue();
      long recoveries = runs.stream().filter(Entry::recovery).count();
      if (runs.size() - recoveries > 1) {
        count++;
        violations.add(
            "firing "
                + f.getKey()
                + " ran "
                + runs.size()
                + " times ("
                + recoveries
                + " recovery re-runs): "
                + runs.stream().map(e -> e.node() + "/" + e.outcome()).toList());
      }
    }
    return count;
  }

  /**
   * Overlapping executions of each non-concurrent task and of each lock's tasks. An overlap that
   * involves a node paused past failure detection is the documented limit, counted apart.
   *
   * @return {violating overlaps, zombie overlaps}
   */
  private int[] overlaps(List<Entry> ran) {
    int[] counts = new int[2];
    for (TaskSpec t : run.tasks()) {
      if (t.nonConcurrent())
        overlapsOf(
            "task " + t.name(),
            ran.stream().filter(e -> e.task().equals(t.name())).toList(),
            counts);
    }
    Map<String, List<String>> byLock =
        run.tasks().stream()
            .filter(t -> t.lock() != null)
            .collect(
                Collectors.groupingBy(
                    TaskSpec::lock, Collectors.mapping(TaskSpec::name, Collectors.toList())));
    byLock.forEach(
        (lock, names) -> {
          List<Entry> holders = ran.stream().filter(e -> names.contains(e.task())).toList();
          overlapsOf("lock " + lock, holders, counts);
          tokensIncrease(lock, holders);
        });
    return counts;
  }

  private void overlapsOf(String what, List<Entry> runs, int[] counts) {
    List<Entry> sorted = runs.stream().sorted(Comparator.comparingLong(Entry::start)).toList();
    Entry longest = null;
    for (Entry e : sorted) {
      if (longest != null && e.start() < end(longest)) {
        String detail = what + ": " + describe(longest) + " overlaps " + describe(e);
        if (run.endLostAtKill(longest) || run.endLostAtKill(e)) {
          notes.add(
              "indeterminate (an end lost with a killed node's history, taken as the kill time): "
                  + detail);
        } else if (run.pausedAt(longest.node(), longest.start() - ZOMBIE_WAKE_MS, end(longest))
            || run.pausedAt(e.node(), e.start() - ZOMBIE_WAKE_MS, end(e))) {
          counts[1]++;
          notes.add("zombie overlap (node paused past failure detection, documented): " + detail);
        } else {
          counts[0]++;
          violations.add("overlap of " + detail);
        }
      }
      if (longest == null || end(e) > end(longest)) longest = e;
    }
  }

  /** Fencing tokens of successive holders of one lock strictly increase. */
  private void tokensIncrease(String lock, List<Entry> holders) {
    Long previous = null;
    for (Entry e : holders.stream().sorted(Comparator.comparingLong(Entry::start)).toList()) {
      if (e.token() == null) {
        violations.add("lock " + lock + ": " + describe(e) + " ran without a fencing token");
        continue;
      }
      if (previous != null && e.token() <= previous) {
        violations.add(
            "lock "
                + lock
                + ": token "
                + e.token()
                + " of "
                + describe(e)
                + " not above the previous holder's "
                + previous);
      }
      previous = e.token();
    }
  }

  /**
   * The resource's view: in the order it applied them, no write with a token lower than one it
   * already accepted was accepted. Returns the number of refused (stale-token) writes.
   */
  private int fencedResource(List<FencedWrite> writes) {
    long highest = Long.MIN_VALUE;
    int refused = 0;
    for (FencedWrite w : writes) {
      if (!w.accepted()) {
        refused++;
        continue;
      }
      if (w.token() < highest) {
        violations.add(
            "fenced resource accepted write #"
                + w.seq()
                + " by "
                + w.node()
                + " with token "
                + w.token()
                + " after token "
                + highest
                + ": two lock holders overlapped on the resource");
      }
      highest = Math.max(highest, w.token());
    }
    if (refused > 0) {
      Set<String> nodes =
          writes.stream()
              .filter(w -> !w.accepted())
              .map(FencedWrite::node)
              .collect(Collectors.toSet());
      notes.add("fenced resource refused " + refused + " stale-token writes from " + nodes);
    }
    return refused;
  }

  /**
   * Every firing due in the window has an entry (any outcome). A missing one is accounted for only
   * when it was due while no live node could run its task (the scenario says when), as the misfire
   * policy then decides once a capable node returns.
   *
   * <p>A firing due just before a kill may have run on the killed node and finished before its
   * history was written (the writer flushes every 150 ms; a crash loses what is queued): counted
   * apart.
   *
   * @return {lost, accounted (no capable node), unrecorded at a crash}
   */
  private int[] lostFirings(List<Entry> history, List<Trigger> triggers) throws ParseException {
    int[] counts = new int[3];
    long end = run.windowEnd().toEpochMilli() - WINDOW_SLACK_MS;
    Map<String, Trigger> byTask =
        triggers.stream()
            .collect(Collectors.toMap(Trigger::task, Function.identity(), (a, b) -> a));
    // Each submitted run is a firing of its own, told apart by its trigger (task#id).
    Set<String> runsPresent = new HashSet<>();
    history.forEach(e -> runsPresent.add(e.trigger()));
    for (ScenarioRun.SubmittedRun r : run.runs()) {
      if (runsPresent.contains(r.trigger())) continue;
      classifyMissing(counts, r.trigger(), r.task(), r.at().toEpochMilli(), end);
    }
    for (TaskSpec t : run.tasks()) {
      Trigger trigger = byTask.get(t.name());
      Set<Long> present = new HashSet<>();
      history.stream()
          .filter(e -> e.task().equals(t.name()) && e.scheduled() != null)
          .forEach(e -> present.add(e.scheduled()));
      List<Long> expected =
          t.at() != null ? List.of(t.at().toEpochMilli()) : expected(trigger, end);
      for (long due : expected) {
        if (due > end || present.contains(due)) continue;
        classifyMissing(counts, t.name(), t.name(), due, end);
      }
    }
    return counts;
  }

  /**
   * A firing of {@code what} (a task, or a run's trigger) of {@code task}, due at {@code due},
   * without a history entry: accounted when no capable node was up; unrecorded when a kill right
   * after it lost its entry, or when the killed node had committed it ahead of its time (executing
   * at the kill, due within the firing lead after it) and died before it started; else lost.
   */
  private void classifyMissing(int[] counts, String what, String task, long due, long end) {
    if (due > end) return;
    String killed = run.killedJustAfter(due, UNFLUSHED_AT_CRASH_MS);
    ScenarioRun.Kill before = run.killedHolding(BATON_GROUP + "." + what + "@" + due);
    String missing = "firing of " + what + " due " + Instant.ofEpochMilli(due) + " has no entry: ";
    if (run.noCapableNodeAt(task, due) != null) {
      counts[1]++;
    } else if (before != null
        && before.at().toEpochMilli() < due
        && due - before.at().toEpochMilli() <= FIRING_LEAD_MAX_MS) {
      counts[2]++;
      notes.add(
          missing
              + "committed ahead of its time on "
              + before.node()
              + ", which was killed "
              + (due - before.at().toEpochMilli())
              + " ms before it, with the execution entry in Quartz's table; a firing whose node"
              + " dies before its job starts is lost unless recoverable (documented); not counted"
              + " as lost");
    } else if (killed != null) {
      counts[2]++;
      notes.add(
          missing
              + "due within "
              + UNFLUSHED_AT_CRASH_MS
              + " ms before the kill of "
              + killed
              + ", whose unwritten history a crash loses (documented); not counted as lost");
    } else {
      counts[0]++;
      violations.add(
          "lost firing: task "
              + what
              + " due "
              + Instant.ofEpochMilli(due)
              + " has no history entry");
    }
  }

  private static List<Long> expected(Trigger trigger, long end) throws ParseException {
    List<Long> out = new ArrayList<>();
    if (trigger == null) return out;
    if (trigger.repeatIntervalMs() != null) {
      for (long t = trigger.startTime(); t <= end; t += trigger.repeatIntervalMs()) out.add(t);
    } else if (trigger.cron() != null) {
      CronExpression cron = new CronExpression(trigger.cron());
      cron.setTimeZone(TimeZone.getTimeZone(trigger.timeZone()));
      for (Date d = cron.getNextValidTimeAfter(new Date(trigger.startTime() - 1));
          d != null && d.getTime() <= end;
          d = cron.getNextValidTimeAfter(d)) {
        out.add(d.getTime());
      }
    }
    return out;
  }

  private int errored(List<Trigger> triggers) {
    List<Trigger> errored = triggers.stream().filter(t -> "ERROR".equals(t.state())).toList();
    errored.forEach(
        t ->
            violations.add(
                "trigger "
                    + t.group()
                    + "."
                    + t.name()
                    + " of task "
                    + t.task()
                    + " left in ERROR"));
    return errored.size();
  }

  private int unhealthy() {
    int count = 0;
    for (FaultNode n : run.survivors()) {
      if (!n.api().healthy()) {
        count++;
        violations.add(
            "surviving node " + n.id() + " is not healthy (GET /api/health); log " + n.log());
      }
    }
    return count;
  }

  /**
   * Kill to the recovered run's start, for every recovery re-run after a kill; and every
   * recoverable firing Quartz had executing on a killed node must have been re-run. A history entry
   * of the killed node still without an end but not executing in Quartz at the kill had finished,
   * and its end was lost with the crash (documented): noted.
   */
  private List<Long> failover(List<Entry> ran) {
    List<Long> out = new ArrayList<>();
    Set<String> recovered =
        ran.stream().filter(Entry::recovery).map(Entry::firingKey).collect(Collectors.toSet());
    for (ScenarioRun.Kill kill : run.kills()) {
      for (String firing : kill.mustRecover()) {
        if (!recovered.contains(firing)) {
          violations.add(
              "recoverable firing "
                  + firing
                  + " executing on "
                  + kill.node()
                  + " when it was killed was never re-run");
        }
      }
      long at = kill.at().toEpochMilli();
      ran.stream()
          .filter(e -> e.node().equals(kill.node()) && e.end() == null && e.start() <= at)
          .filter(e -> !kill.executing().contains(e.firingKey()))
          .forEach(
              e ->
                  notes.add(
                      "history entry "
                          + e.firingKey()
                          + " on "
                          + kill.node()
                          + " is "
                          + e.outcome()
                          + " but had finished before the kill (not executing in Quartz): its end"
                          + " was lost with the crash"));
    }
    // Each recovery re-run is timed from the latest kill before it.
    for (Entry e : ran) {
      if (!e.recovery()) continue;
      run.kills().stream()
          .filter(k -> k.at().toEpochMilli() <= e.start() && !k.node().equals(e.node()))
          .map(k -> e.start() - k.at().toEpochMilli())
          .min(Long::compare)
          .ifPresent(out::add);
    }
    for (long ms : out) {
      if (ms > FAILOVER_LIMIT_MS) {
        violations.add("failover " + ms + " ms, above the " + FAILOVER_LIMIT_MS + " ms limit");
      } else if (ms > FAILOVER_TARGET_MS) {
        notes.add("failover " + ms + " ms, above the " + FAILOVER_TARGET_MS + " ms target");
      }
    }
    return out;
  }

  /**
   * After the settle, no entry may still say RUNNING: its node finished it or was declared dead.
   */
  private void staleRunning(List<Entry> history) {
    history.stream()
        .filter(e -> e.outcome().equals("RUNNING"))
        .forEach(
            e ->
                violations.add(
                    "history entry "
                        + e.id()
                        + " ("
                        + e.task()
                        + " on "
                        + e.node()
                        + ") still RUNNING after the settle"));
  }

  private long end(Entry e) {
    if (e.end() != null) return e.end();
    Instant death = run.deathOf(e.node());
    return death != null ? death.toEpochMilli() : Long.MAX_VALUE;
  }

  private static String describe(Entry e) {
    return e.task()
        + "@"
        + e.scheduled()
        + " on "
        + e.node()
        + " ["
        + Instant.ofEpochMilli(e.start())
        + " .. "
        + (e.end() == null ? "?" : Instant.ofEpochMilli(e.end()))
        + "]"
        + (e.recovery() ? " (recovery)" : "")
        + (e.token() != null ? " token " + e.token() : "");
  }

  static String nullToDash(Object o) {
    return Objects.toString(o, "–");
  }
}
