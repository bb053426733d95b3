package dev.baton.scheduling;

/** What registering a task did to the database. */
public enum Registration {
  /** The task did not exist and was created. */
  CREATED,
  /** The stored definition differed and was replaced in place, in one transaction. */
  UPDATED,
  /** The stored definition was identical; nothing was written. */
  UNCHANGED
}
