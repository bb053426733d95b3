package dev.baton.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/**
 * {@code baton health}: the node's {@code /api/health}, one line for people (or its JSON); exit 0
 * when UP, 1 when DOWN or unreachable. Needs no token.
 */
@Command(
    name = "health",
    description = "Show whether the node is UP or DOWN, and why; exit 1 when DOWN.",
    mixinStandardHelpOptions = true)
public final class HealthCommand extends ClientCommand {
  @Override
  protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
    return api.getAnyStatus("/api/health");
  }

  @Override
  protected int exitCode(JsonNode result) {
    return "UP".equals(text(result, "status")) ? 0 : 1;
  }

  @Override
  protected void print(JsonNode result) {
    String status = text(result, "status");
    StringBuilder line =
        new StringBuilder(status == null ? "UNKNOWN" : status)
            .append("  node ")
            .append(text(result, "nodeId"))
            .append("  scheduler ")
            .append(text(result, "scheduler"));
    JsonNode database = result.path("checks").path("database");
    if (!database.isMissingNode()) {
      line.append("  database ")
          .append(text(database, "status"))
          .append(" (last contact ")
          .append(database.path("lastContactAgeMs").asLong())
          .append(" ms ago)");
    }
    String reason = text(result, "reason");
    if (reason != null) line.append("\nreason: ").append(reason);
    spec.commandLine().getOut().println(line);
  }
}
