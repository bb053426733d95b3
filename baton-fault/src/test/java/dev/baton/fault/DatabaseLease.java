package dev.baton.fault;

/**
 * A scenario's fresh database and what owns it: closing the lease drops the database or stops the
 * server made for it, so that nothing a scenario created outlives it.
 *
 * @param owner closed with the lease; for a database on a server the suite keeps, a no-op
 */
record DatabaseLease(FaultDatabase db, AutoCloseable owner) implements AutoCloseable {
  @Override
  public void close() throws Exception {
    owner.close();
  }
}
