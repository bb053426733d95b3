package dev.baton.micrometer;

import dev.baton.Baton;
import dev.baton.scheduling.NodeInfo;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.TriggerInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of the cluster as this node sees it: triggers per state and live nodes. Refreshed by
 * {@link #refresh()} on {@link BatonMetrics}'s refresh thread rather than on every scrape, so a
 * scrape never runs database queries.
 */
final class ClusterGauges {
  private static final Logger log = LoggerFactory.getLogger(ClusterGauges.class);

  /** Quartz's trigger states. */
  enum State {
    WAITING,
    ACQUIRED,
    EXECUTING,
    BLOCKED,
    PAUSED,
    PAUSED_BLOCKED,
    COMPLETE,
    ERROR
  }

  private final Baton baton;
  private final EnumMap<State, AtomicLong> triggers = new EnumMap<>(State.class);
  private final AtomicLong liveNodes = new AtomicLong();
  private final AtomicLong nodes = new AtomicLong();
  private final AtomicLong stuckTasks = new AtomicLong();

  ClusterGauges(Baton baton, MeterRegistry registry) {
    this.baton = baton;
    for (State s : State.values()) {
      AtomicLong n = new AtomicLong();
      triggers.put(s, n);
      Gauge.builder("baton.triggers", n, AtomicLong::get)
          .description("Triggers in the cluster by state")
          .tag("state", s.name())
          .register(registry);
    }
    Gauge.builder("baton.nodes.live", liveNodes, AtomicLong::get)
        .description("Live cluster members")
        .register(registry);
    Gauge.builder("baton.nodes", nodes, AtomicLong::get)
        .description("Known cluster members, live or not")
        .register(registry);
    Gauge.builder("baton.tasks.stuck", stuckTasks, AtomicLong::get)
        .description("Tasks no live node can run")
        .register(registry);
  }

  /** Re-reads tasks and nodes. Never throws: a failed refresh keeps the last values and logs. */
  void refresh() {
    try {
      List<TaskInfo> tasks = baton.tasks();
      EnumMap<State, Long> counts = new EnumMap<>(State.class);
      long stuck = 0;
      for (TaskInfo t : tasks) {
        // This node is live: what it can run is not stuck, even before its node row says so.
        if (!t.runnableByLiveNode() && !t.runnableHere()) stuck++;
        for (TriggerInfo tr : t.triggers()) {
          try {
            counts.merge(State.valueOf(tr.state()), 1L, Long::sum);
          } catch (IllegalArgumentException unknown) {
            // A state Quartz added later; not charted.
          }
        }
      }
      triggers.forEach((s, n) -> n.set(counts.getOrDefault(s, 0L)));
      stuckTasks.set(stuck);
      List<NodeInfo> members = baton.nodes();
      nodes.set(members.size());
      liveNodes.set(members.stream().filter(NodeInfo::alive).count());
    } catch (RuntimeException e) {
      log.warn("Node {} could not refresh cluster gauges: {}", baton.nodeId(), e.toString());
    }
  }
}
