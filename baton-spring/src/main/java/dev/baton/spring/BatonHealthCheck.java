package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.scheduling.NodeInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the application's Baton node is healthy: firing, its database answering (its clock read
 * just now) and its own check-in recent enough that the cluster counts it as live. Shared by the
 * starters' health indicators; one check costs two short queries.
 */
public final class BatonHealthCheck {
  /**
   * One answer.
   *
   * @param up whether the node is healthy
   * @param reason why it is not; null when up
   * @param details what the answer rests on, for the health endpoint
   */
  public record Result(boolean up, String reason, Map<String, Object> details) {}

  private final Baton baton;

  public BatonHealthCheck(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
  }

  /** Checks now. */
  public Result check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("node", baton.nodeId());
    details.put("cluster", baton.settings().clusterName());
    boolean firing = baton.isRunning();
    details.put("firing", firing);
    if (!firing) return new Result(false, "not firing: in standby or shut down", details);
    Optional<Duration> offset = baton.databaseClockOffset();
    if (offset.isEmpty()) {
      return new Result(false, "database unreachable: its clock could not be read", details);
    }
    details.put("databaseClockOffsetMillis", offset.get().toMillis());
    Optional<NodeInfo> self;
    try {
      self = baton.nodes().stream().filter(n -> n.nodeId().equals(baton.nodeId())).findFirst();
    } catch (RuntimeException e) {
      return new Result(false, "cluster state unreadable: " + e.getMessage(), details);
    }
    if (self.isEmpty()) {
      return new Result(
          false, "this node has no check-in row: the cluster does not count it", details);
    }
    NodeInfo n = self.get();
    details.put("lastCheckin", String.valueOf(n.lastCheckin()));
    if (!n.alive()) {
      return new Result(
          false,
          "check-in stale: last at "
              + n.lastCheckin()
              + " with interval "
              + n.checkinInterval()
              + ", so the cluster treats this node as dead",
          details);
    }
    return new Result(true, null, details);
  }
}
