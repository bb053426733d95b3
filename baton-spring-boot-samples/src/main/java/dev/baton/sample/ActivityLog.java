package dev.baton.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Service;

/** The service the jobs get injected: records what ran, so the tests can see it. */
@Service
public class ActivityLog {
  private final Map<String, List<String>> entries = new ConcurrentHashMap<>();

  /** Records one run of {@code what}, with a detail. */
  public void record(String what, String detail) {
    entries.computeIfAbsent(what, k -> new CopyOnWriteArrayList<>()).add(detail);
  }

  /** The details recorded for {@code what}, oldest first. */
  public List<String> entries(String what) {
    return entries.getOrDefault(what, List.of());
  }
}
