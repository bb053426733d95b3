package dev.baton;

import dev.baton.internal.ClusterScheduler;

/**
 * The engine behind a started node, for tests that drive the job store directly. In package {@code
 * dev.baton} so that it reads {@code Baton}'s package-private accessor: no reflection, no API.
 */
public final class NodeInternals {
  private NodeInternals() {}

  /** The engine of {@code node}. */
  public static ClusterScheduler engine(Baton node) {
    return node.engine();
  }
}
