package dev.baton.scheduling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Remembers the fencing token each execution saw, by fire instance id. */
public class TokenJob implements Job {
  static final Map<String, Long> SEEN = new ConcurrentHashMap<>();

  @Override
  public void execute(JobExecutionContext ctx) {
    SEEN.put(ctx.getFireInstanceId(), Executions.fencingToken(ctx).orElse(-1));
  }
}
