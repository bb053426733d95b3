package dev.baton.bench;

/** One way to take and give back a lock, as each benchmarked library does it. */
interface Contender {
  /** A name for the report. */
  String name();

  /** Takes the lock, waiting as long as needed; returns what {@link #release} needs. */
  Object acquire() throws Exception;

  void release(Object held) throws Exception;
}
