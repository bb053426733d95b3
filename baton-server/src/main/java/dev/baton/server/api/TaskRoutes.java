package dev.baton.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Baton;
import dev.baton.scheduling.Registration;
import dev.baton.scheduling.Run;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.UnknownTaskException;
import dev.baton.server.tasks.BuiltInTypes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /api/tasks} routes: list, read (with the task page's detail), next fire times, create
 * or replace, delete, run, submit runs, retry, pause, resume.
 */
final class TaskRoutes {
  private final Baton baton;

  TaskRoutes(Baton baton) {
    this.baton = baton;
  }

  void list(Context ctx) {
    List<TaskView> tasks = baton.tasks().stream().map(this::view).toList();
    AdminServer.json(ctx, 200, Map.of("tasks", tasks));
  }

  /** The task's view, with what its page shows: next fire times, where it runs, retry and limit. */
  void get(Context ctx) {
    AdminServer.json(ctx, 200, TaskDetail.of(baton, existing(ctx.pathParam("name"))));
  }

  /** {@code GET /api/tasks/{name}/next?count=N}: its next N fire times (default 5, at most 100). */
  void next(Context ctx) {
    int count = count(ctx.queryParam("count"));
    TaskInfo task = existing(ctx.pathParam("name"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("task", task.name());
    out.put("schedule", task.schedule());
    out.put("nextFireTimes", TaskDetail.nextFireTimes(baton, task, count));
    AdminServer.json(ctx, 200, out);
  }

  private static int count(String v) {
    if (v == null) return TaskDetail.DEFAULT_NEXT;
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("count", "count must be a whole number; got '" + v + "'");
    }
    if (n < 1 || n > TaskDetail.MAX_NEXT) {
      throw ApiException.badRequest(
          "count", "count must be 1 to " + TaskDetail.MAX_NEXT + "; got " + n);
    }
    return n;
  }

  /** Validates the whole definition first; {@code register} then writes it in one transaction. */
  void put(Context ctx, byte[] body) {
    String name = ctx.pathParam("name");
    Task task = TaskRequest.parse(name, Json.parseBody(body));
    Registration r = baton.register(task);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("registration", r.name());
    out.put("task", view(existing(name)));
    AdminServer.json(ctx, r == Registration.CREATED ? 201 : 200, out);
  }

  void delete(Context ctx) {
    String name = ctx.pathParam("name");
    if (!baton.unschedule(name)) throw new UnknownTaskException(name);
    AdminServer.json(ctx, 200, Map.of("deleted", name));
  }

  void run(Context ctx) {
    String name = ctx.pathParam("name");
    baton.triggerNow(name);
    AdminServer.json(ctx, 202, Map.of("triggered", name));
  }

  /**
   * {@code POST /api/tasks/{name}/runs}: submits runs of the task ({@link RunRequest}), all
   * validated first; 201 when one was created, 200 when every id was already pending.
   */
  void submit(Context ctx, byte[] body) {
    String name = ctx.pathParam("name");
    JsonNode json = Json.parseBody(body);
    List<Run> runs = RunRequest.parse(name, json);
    // A built-in type's runs carry data it reads, checked as a definition's is.
    if (BuiltInTypes.typeOf(existing(name).jobClass()).isPresent()) {
      for (int i = 0; i < runs.size(); i++) {
        String field = json.has("runs") ? "runs[" + i + "].data" : "data";
        BuiltInTypes.checkData(runs.get(i).data())
            .ifPresent(
                p -> {
                  throw ApiException.badRequest(field, p);
                });
      }
    }
    List<Registration> results = baton.submit(runs);
    List<Map<String, Object>> each = new ArrayList<>(runs.size());
    int created = 0;
    for (int i = 0; i < runs.size(); i++) {
      if (results.get(i) == Registration.CREATED) created++;
      each.add(Map.of("id", runs.get(i).id(), "registration", results.get(i).name()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("task", name);
    out.put("created", created);
    out.put("unchanged", runs.size() - created);
    out.put("runs", each);
    AdminServer.json(ctx, created > 0 ? 201 : 200, out);
  }

  /** Runs a task once more by hand (after a terminal failure, typically); never retried itself. */
  void retry(Context ctx) {
    String name = ctx.pathParam("name");
    baton.retry(name);
    AdminServer.json(ctx, 202, Map.of("retried", name));
  }

  void pause(Context ctx) {
    String name = ctx.pathParam("name");
    baton.pause(name);
    AdminServer.json(ctx, 200, view(existing(name)));
  }

  void resume(Context ctx) {
    String name = ctx.pathParam("name");
    baton.resume(name);
    AdminServer.json(ctx, 200, view(existing(name)));
  }

  private TaskView view(TaskInfo t) {
    return TaskView.of(t, baton.isRunning());
  }

  private TaskInfo existing(String name) {
    return baton.task(name).orElseThrow(() -> new UnknownTaskException(name));
  }
}
