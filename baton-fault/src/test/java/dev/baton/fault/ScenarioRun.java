package dev.baton.fault;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * One scenario in progress: its database, the node processes it started (all killed by {@link
 * #close()}), the workload it registered and the faults it injected, with their times, for the
 * checks in {@link Invariants}.
 */
final class ScenarioRun implements AutoCloseable {
  /**
   * A {@code kill -9} of {@code node} at {@code at}.
   *
   * @param executing the firings (history firing keys) Quartz had executing on the node at the
   *     kill, read from {@code QRTZ_FIRED_TRIGGERS} right after it (recovery needs the failure
   *     grace first, so nothing has changed them yet)
   * @param mustRecover those of them whose task is recoverable
   */
  record Kill(String node, Instant at, List<String> executing, List<String> mustRecover) {}

  /** {@code node} stopped with SIGSTOP from {@code from} to {@code to}. */
  record Pause(String node, Instant from, Instant to) {}

  /** No live node could run {@code task} from {@code from} on (to null: until the end). */
  record Gap(String task, Instant from, Instant to, String why) {}

  static final Duration BACKLOG_WAIT = Duration.ofSeconds(30);

  private final String name;
  private final FaultDatabase db;
  private final Path jar;
  private final Path logDir;
  private final Instant started = Instant.now();
  private final List<FaultNode> nodes = new CopyOnWriteArrayList<>();
  private final List<TaskSpec> tasks = new CopyOnWriteArrayList<>();
  private final List<Kill> kills = new CopyOnWriteArrayList<>();
  private final List<Pause> pauses = new CopyOnWriteArrayList<>();
  private final List<Gap> gaps = new CopyOnWriteArrayList<>();
  private final List<String> faults = new CopyOnWriteArrayList<>();
  private final List<String> extraViolations = new CopyOnWriteArrayList<>();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> deaths = new ConcurrentHashMap<>();
  private Instant windowEnd;
  private long elapsedMs;

  ScenarioRun(String name, FaultDatabase db, Path jar, Path logDir) {
    this.name = name;
    this.db = db;
    this.jar = jar;
    this.logDir = logDir.resolve(name + "-" + db.kind());
  }

  /** Starts {@code count} nodes at once, named {@code prefix-1..count} (numbering continues). */
  List<FaultNode> startNodes(int count, String prefix, Path plugins, String version) {
    return startNodes(count, prefix, plugins, version, 4);
  }

  /** As {@link #startNodes(int, String, Path, String)}, each node with {@code threads} workers. */
  List<FaultNode> startNodes(int count, String prefix, Path plugins, String version, int threads) {
    int first = (int) nodes.stream().filter(n -> n.id().startsWith(prefix + "-")).count() + 1;
    List<CompletableFuture<FaultNode>> starting =
        IntStream.range(first, first + count)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            return FaultNode.start(
                                jar,
                                db,
                                prefix + "-" + i,
                                plugins,
                                version,
                                logDir,
                                Map.of(),
                                threads);
                          } catch (Exception e) {
                            throw new IllegalStateException(e);
                          }
                        }))
            .toList();
    List<FaultNode> started = new ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<FaultNode> f : starting) {
      try {
        started.add(f.join());
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    nodes.addAll(started);
    if (failure != null) throw failure;
    return started;
  }

  /** Starts one node with extra environment (e.g. libfaketime's), waiting until it listens. */
  FaultNode startNode(String id, Path plugins, String version, Map<String, String> env) {
    try {
      FaultNode n = FaultNode.start(jar, db, id, plugins, version, logDir, env, 4);
      nodes.add(n);
      return n;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registers {@code spec} through {@code node}. */
  void registerVia(FaultNode node, TaskSpec spec) {
    node.api().putTask(spec.name(), spec.definition());
    tasks.add(spec);
  }

  /** A run submitted to an on-demand task: due at {@code at}, its trigger {@code task#id}. */
  record SubmittedRun(String task, String id, Instant at) {
    String trigger() {
      return task + "#" + id;
    }
  }

  private final List<SubmittedRun> runs = new CopyOnWriteArrayList<>();

  /** Submits one run of {@code task} per time, through the first surviving node, in one request. */
  void submitRuns(String task, List<Instant> ats) {
    List<Map<String, Object>> body = new ArrayList<>();
    List<SubmittedRun> submitted = new ArrayList<>();
    for (Instant at : ats) {
      SubmittedRun r = new SubmittedRun(task, "r" + (runs.size() + submitted.size()), at);
      submitted.add(r);
      body.add(Map.of("id", r.id(), "at", at.toString()));
    }
    survivors().get(0).api().submitRuns(task, Map.of("runs", body), body.size());
    runs.addAll(submitted);
  }

  /** The runs submitted so far. */
  List<SubmittedRun> runs() {
    return runs;
  }

  /** Registers tasks through the first surviving node. */
  void register(TaskSpec... specs) {
    for (TaskSpec t : specs) {
      survivors().get(0).api().putTask(t.name(), t.definition());
      tasks.add(t);
    }
  }

  /** {@code kill -9} and remember when. */
  Instant kill(FaultNode node) throws Exception {
    Instant at = node.kill();
    kills.add(
        new Kill(
            node.id(),
            at,
            HistoryTables.executing(db, node.id(), false),
            HistoryTables.executing(db, node.id(), true)));
    deaths.put(node.id(), at);
    faults.add("kill -9 " + node.id() + " at " + at.toString().substring(11, 23));
    return at;
  }

  /** SIGSTOP for {@code duration}, then SIGCONT. */
  Pause pause(FaultNode node, Duration duration) throws Exception {
    Instant from = Instant.now();
    node.pause();
    try {
      Thread.sleep(duration.toMillis());
    } finally {
      node.resume();
    }
    Pause p = new Pause(node.id(), from, Instant.now());
    pauses.add(p);
    faults.add("SIGSTOP " + node.id() + " " + duration.toSeconds() + " s");
    return p;
  }

  /** A graceful stop (SIGTERM, drain), as a rolling upgrade does. */
  void stopGracefully(FaultNode node) throws Exception {
    node.stopGracefully(Duration.ofSeconds(60));
    deaths.put(node.id(), Instant.now());
  }

  void fault(String description) {
    faults.add(description);
  }

  void gap(String task, Instant from, Instant to, String why) {
    gaps.add(new Gap(task, from, to, why));
  }

  void violation(String message) {
    extraViolations.add(message);
  }

  void note(String message) {
    notes.add(message);
  }

  /**
   * Ends the workload: the check window ends now; firings due in it that are late (e.g. a backlog
   * after an outage) get up to {@link #BACKLOG_WAIT} to run — a late firing is not a lost one —
   * then every task is paused and the suite waits until no execution on a surviving node is still
   * running, so that every interval has its end.
   */
  void settle() throws Exception {
    windowEnd = Instant.now();
    try {
      await("late firings of the window run")
          .atMost(BACKLOG_WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Invariants.missing(this) == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Reported by the check as lost firings.
    }
    AdminClient api = survivors().get(0).api();
    for (TaskSpec t : tasks) api.post("/api/tasks/" + t.name() + "/pause");
    List<String> survivorIds = survivors().stream().map(FaultNode::id).toList();
    await("executions on surviving nodes finish")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> runningOn(survivorIds) == 0);
    // The history writer flushes every 150 ms; a dead node's RUNNING rows turn ABANDONED with
    // recovery.
    await("history settles")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> runningOn(null) == 0);
  }

  private int runningOn(List<String> nodeIds) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT NODE_ID FROM QRTZ_BATON_HISTORY WHERE OUTCOME = 'RUNNING'")) {
      int n = 0;
      while (r.next()) if (nodeIds == null || nodeIds.contains(r.getString(1))) n++;
      return n;
    }
  }

  ScenarioReport check() throws Exception {
    elapsedMs = Duration.between(started, Instant.now()).toMillis();
    return Invariants.check(this);
  }

  /** Nodes still running (not killed, not stopped); a paused node that was resumed counts. */
  List<FaultNode> survivors() {
    return nodes.stream().filter(FaultNode::alive).toList();
  }

  /** Whether {@code node} was paused at some point within [from, to]. */
  boolean pausedAt(String node, long from, long to) {
    return pauses.stream()
        .anyMatch(
            p ->
                p.node().equals(node)
                    && p.from().toEpochMilli() <= to
                    && p.to().toEpochMilli() >= from);
  }

  /** Why no live node could run {@code task} at {@code due}, or null if one could. */
  String noCapableNodeAt(String task, long due) {
    return gaps.stream()
        .filter(
            g ->
                g.task().equals(task)
                    && g.from().toEpochMilli() <= due
                    && (g.to() == null || due <= g.to().toEpochMilli()))
        .map(Gap::why)
        .findFirst()
        .orElse(null);
  }

  /**
   * The kill of the node that had the firing {@code firingKey} (a history firing key) executing in
   * Quartz's table when it was killed, or null.
   */
  Kill killedHolding(String firingKey) {
    return kills.stream().filter(k -> k.executing().contains(firingKey)).findFirst().orElse(null);
  }

  /** The node killed within {@code windowMs} after {@code due}, or null. */
  String killedJustAfter(long due, long windowMs) {
    return kills.stream()
        .filter(k -> k.at().toEpochMilli() >= due && k.at().toEpochMilli() - due <= windowMs)
        .map(Kill::node)
        .findFirst()
        .orElse(null);
  }

  /**
   * Whether {@code e} is an entry of a killed node without an end that Quartz did not have
   * executing at the kill: it finished before, and its end was lost with the crash, so its true end
   * is unknown.
   */
  boolean endLostAtKill(HistoryTables.Entry e) {
    return e.end() == null
        && kills.stream()
            .anyMatch(k -> k.node().equals(e.node()) && !k.executing().contains(e.firingKey()));
  }

  Instant deathOf(String node) {
    return deaths.get(node);
  }

  String name() {
    return name;
  }

  FaultDatabase db() {
    return db;
  }

  Path logDir() {
    return logDir;
  }

  List<TaskSpec> tasks() {
    return tasks;
  }

  List<Kill> kills() {
    return kills;
  }

  List<String> faults() {
    return List.copyOf(faults);
  }

  List<String> extraViolations() {
    return extraViolations;
  }

  List<String> notes() {
    return notes;
  }

  Instant windowEnd() {
    return windowEnd;
  }

  long elapsedMs() {
    return elapsedMs;
  }

  /** Kills every node this scenario started. */
  @Override
  public void close() {
    nodes.forEach(FaultNode::close);
  }
}
