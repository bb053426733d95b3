package dev.baton.locks;

/**
 * Work run while holding a lock by {@link ClusterLocks#withLock}. It gets the handle, whose {@link
 * ClusterLock#fencingToken()} should go with every write to the protected resource.
 *
 * @param <T> what the body returns
 * @param <E> what it may throw
 */
@FunctionalInterface
public interface LockedBody<T, E extends Exception> {
  T run(ClusterLock lock) throws E;
}
