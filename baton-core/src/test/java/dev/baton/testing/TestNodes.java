package dev.baton.testing;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The nodes one test starts on one database, each with its own pool and settings that keep tests
 * quick (4 threads, short idle wait and drain); {@link #close()} closes them all.
 */
public final class TestNodes implements AutoCloseable {
  private final TestDatabase db;
  private final List<Baton> nodes = new CopyOnWriteArrayList<>();

  public TestNodes(TestDatabase db) {
    this.db = db;
  }

  /** Starts node {@code id}; {@code options} may change any setting. */
  public Baton start(String id, UnaryOperator<BatonBuilder> options) {
    return track(options.apply(builder(id)).start());
  }

  /** Builds node {@code id} in standby: nothing fires until it is started. */
  public Baton build(String id, UnaryOperator<BatonBuilder> options) {
    return track(options.apply(builder(id)).build());
  }

  private BatonBuilder builder(String id) {
    return Baton.builder(db.pool(16))
        .nodeId(id)
        .threads(4)
        .idleWait(Duration.ofMillis(500))
        .drainTimeout(Duration.ofSeconds(10));
  }

  /** Closes {@code node} with the others, for nodes a test builds itself. */
  public Baton track(Baton node) {
    nodes.add(node);
    return node;
  }

  @Override
  public void close() {
    nodes.forEach(Baton::close);
    nodes.clear();
  }
}
