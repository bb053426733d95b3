package dev.baton.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.api.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of the CLI commands: where the node is, the token, and JSON or table output. Exit codes: 0
 * done, 1 the API refused or could not be reached (its message on stderr) or, for {@code health},
 * the node is DOWN; 2 bad flags.
 */
public abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "${env:BATON_URL:-http://127.0.0.1:8640}",
      description = "The node's address (env BATON_URL, default http://127.0.0.1:8640)")
  String url;

  @Option(
      names = "--token",
      defaultValue = "${env:BATON_ADMIN_TOKEN}",
      description = "Admin token (default: env BATON_ADMIN_TOKEN)")
  String token;

  @Option(names = "--json", description = "Print the API's JSON instead of a table")
  boolean json;

  @Override
  public final Integer call() {
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      spec.commandLine()
          .getErr()
          .println("Invalid value '" + url + "' for option '--url': give http://host:port");
      return 2;
    }
    try {
      JsonNode result = execute(new ApiClient(url, token));
      if (json) {
        spec.commandLine()
            .getOut()
            .println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
      } else {
        print(result);
      }
      spec.commandLine().getOut().flush();
      return exitCode(result);
    } catch (ApiClient.ApiError e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      spec.commandLine().getErr().println("error: " + e.getOriginalMessage());
      return 1;
    }
  }

  /** Calls the API. */
  protected abstract JsonNode execute(ApiClient api) throws ApiClient.ApiError;

  /** The exit code for an answer the API gave; 0 unless a command says otherwise. */
  protected int exitCode(JsonNode result) {
    return 0;
  }

  /** Prints the result for a person. */
  protected abstract void print(JsonNode result);

  /** A text field, or null. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
