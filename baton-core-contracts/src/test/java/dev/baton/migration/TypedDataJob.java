package dev.baton.migration;

import dev.baton.testing.Recorder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;

/**
 * Reads the values a stock Quartz stored as Java objects through {@link JobDataMap}'s typed
 * getters, as an application's job does, and records what it got (by task name).
 */
public class TypedDataJob implements Job {
  static final Map<String, List<Object>> READ = new ConcurrentHashMap<>();

  @Override
  public void execute(JobExecutionContext ctx) {
    JobDataMap data = ctx.getMergedJobDataMap();
    Recorder.record(
        ctx,
        () ->
            READ.put(
                ctx.getJobDetail().getKey().getName(),
                List.of(
                    data.getString("name"),
                    data.getInt("count"),
                    data.getLong("big"),
                    data.getBoolean("flag"),
                    data.getDouble("ratio"),
                    data.getInt("fromTrigger"))));
  }
}
