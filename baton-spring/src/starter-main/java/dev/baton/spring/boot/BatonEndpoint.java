package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.spring.BatonEndpointView;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/baton}: this node, the cluster's nodes, tasks, held locks and recent history;
 * {@code /actuator/baton/{nodes|tasks|locks|history}} for one part; {@code POST
 * /actuator/baton/reset-errored} puts triggers in ERROR back in service.
 */
@Endpoint(id = "baton")
public class BatonEndpoint {
  private static final int HISTORY_LIMIT = 100;
  private final BatonEndpointView view;

  public BatonEndpoint(Baton baton) {
    this.view = new BatonEndpointView(baton);
  }

  @ReadOperation
  public Map<String, Object> summary() {
    return view.summary();
  }

  @ReadOperation
  public Object part(@Selector String part) {
    return switch (part) {
      case "nodes" -> view.nodes();
      case "tasks" -> view.tasks();
      case "locks" -> view.locks();
      case "history" -> view.history(HISTORY_LIMIT);
      default ->
          throw new InvalidEndpointRequestException(
              "Unknown part '" + part + "'", "use nodes, tasks, locks or history");
    };
  }

  @WriteOperation
  public Map<String, Object> act(@Selector String action) {
    if (!"reset-errored".equals(action)) {
      throw new InvalidEndpointRequestException(
          "Unknown action '" + action + "'", "use reset-errored");
    }
    return view.resetErrored();
  }
}
