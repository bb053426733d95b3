package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.history.HistoryQuery;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the starters' {@code baton} actuator endpoint shows and does. Answers are plain maps, lists
 * and strings (times in ISO-8601) so that they serialize the same under Boot 3's Jackson 2 and Boot
 * 4's Jackson 3.
 */
public final class BatonEndpointView {
  /** Executions shown by {@link #summary()}. */
  public static final int RECENT_HISTORY = 20;

  /** Shown instead of a job data value. */
  public static final String MASK = "******";

  private final Baton baton;

  public BatonEndpointView(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
  }

  /** This node, the cluster's nodes, tasks, held locks and the most recent executions. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", baton.nodeId());
    m.put("cluster", baton.settings().clusterName());
    m.put("version", baton.version());
    m.put("firing", baton.isRunning());
    m.put("nodes", nodes());
    m.put("tasks", tasks());
    m.put("locks", locks());
    m.put("history", history(RECENT_HISTORY));
    return m;
  }

  /** Cluster members with their last check-in. */
  public List<Object> nodes() {
    return plainList(baton.nodes());
  }

  /**
   * Every task (Quartz job) with its triggers. Job data values are masked, as Boot's own {@code
   * quartz} endpoint masks them by default: they may hold credentials.
   */
  @SuppressWarnings("unchecked")
  public List<Object> tasks() {
    List<Object> tasks = plainList(baton.tasks());
    for (Object t : tasks) {
      Object data = ((Map<String, Object>) t).get("data");
      if (data instanceof Map<?, ?> m) ((Map<String, Object>) m).replaceAll((k, v) -> MASK);
    }
    return tasks;
  }

  /** Cluster locks currently held. */
  public List<Object> locks() {
    return plainList(baton.locks().held());
  }

  /** The {@code limit} most recent executions, newest first. */
  public List<Object> history(int limit) {
    return plainList(baton.history().query(HistoryQuery.all().limit(limit)).entries());
  }

  /** Puts triggers in ERROR back in service; answers how many. */
  public Map<String, Object> resetErrored() {
    return Map.of("reset", baton.resetErroredTriggers());
  }

  private static List<Object> plainList(Collection<?> items) {
    List<Object> out = new ArrayList<>(items.size());
    for (Object o : items) out.add(plain(o));
    return out;
  }

  /** Records become maps of their components; times and enums become strings. */
  static Object plain(Object o) {
    if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean) return o;
    if (o instanceof Temporal || o instanceof Duration || o instanceof Enum<?>) return o.toString();
    if (o instanceof Optional<?> opt) return plain(opt.orElse(null));
    if (o instanceof Collection<?> c) return plainList(c);
    if (o instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (o.getClass().isRecord()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent c : o.getClass().getRecordComponents()) {
        try {
          out.put(c.getName(), plain(c.getAccessor().invoke(o)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c, e);
        }
      }
      return out;
    }
    return o.toString();
  }
}
