package dev.baton.server;

import dev.baton.testing.JdbcUrls;
import dev.baton.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Starts real nodes in this JVM on a test database, on a free port, with a known token. */
final class TestNode {
  static final String TOKEN = "test-token-0123456789abcdef";

  private TestNode() {}

  static BatonNode start(TestDatabase db, String nodeId, int threads) throws IOException {
    return start(JdbcUrls.of(db), JdbcUrls.user(db), nodeId, threads);
  }

  static BatonNode start(String url, String user, String nodeId, int threads) throws IOException {
    return start(url, user, nodeId, threads, null);
  }

  static BatonNode start(String url, String user, String nodeId, int threads, Path plugins)
      throws IOException {
    Path dataDir = Files.createTempDirectory("baton-node");
    return BatonNode.start(
        new NodeConfig(
            url,
            user,
            null,
            nodeId,
            "127.0.0.1",
            0,
            plugins,
            threads,
            dataDir,
            Duration.ofSeconds(2),
            TOKEN));
  }

  static String base(BatonNode node) {
    return "http://127.0.0.1:" + node.port();
  }
}
