package dev.baton.internal;

import org.quartz.impl.JobDetailImpl;

/**
 * A stored job whose class this node cannot load. Quartz reads the non-concurrency flags from the
 * class's annotations; without the class they come from the stored columns, so misfire handling,
 * recovery and blocking keep working on nodes that lack the class.
 */
public final class UnavailableJobDetail extends JobDetailImpl {
  private static final long serialVersionUID = 1L;
  private final String storedClassName;
  private final boolean nonConcurrent;
  private final boolean persistData;

  public UnavailableJobDetail(String storedClassName, boolean nonConcurrent, boolean persistData) {
    this.storedClassName = storedClassName;
    this.nonConcurrent = nonConcurrent;
    this.persistData = persistData;
    setJobClass(UnavailableJob.class);
  }

  String storedClassName() {
    return storedClassName;
  }

  @Override
  public boolean isConcurrentExecutionDisallowed() {
    return nonConcurrent;
  }

  @Override
  public boolean isPersistJobDataAfterExecution() {
    return persistData;
  }

  @Override
  public Object clone() {
    return super.clone();
  }
}
