package dev.baton.scheduling;

import java.util.ArrayList;
import java.util.List;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.spi.OperableTrigger;

/**
 * Group commit of job completions. Quartz records every completed execution in its own
 * transaction under the cluster-wide {@code TRIGGER_ACCESS} row lock, so with many short jobs the
 * nodes spend most of their time queueing for that lock one completion at a time. Here the
 * completions that arrive while one is being written are written together, in one transaction and
 * one lock acquisition, by the first of their threads (the leader); each thread returns only once
 * its own completion is committed, exactly as with Quartz. Each completion runs Quartz's own
 * statements unchanged. If the shared transaction fails, each completion is written again on its
 * own, through Quartz's retrying path.
 */
final class CompletionGroupCommit {
  /** One finished execution, as Quartz reports it; compared by identity. */
  static final class Completion {
    final OperableTrigger trigger;
    final JobDetail job;
    final CompletedExecutionInstruction instruction;

    Completion(OperableTrigger trigger, JobDetail job, CompletedExecutionInstruction instruction) {
      this.trigger = trigger;
      this.job = job;
      this.instruction = instruction;
    }
  }

  /** Where completions are written. */
  interface Writer {
    /** Writes every completion in one transaction under {@code TRIGGER_ACCESS}. */
    void writeAll(List<Completion> group) throws JobPersistenceException;

    /** Writes one completion on its own, retrying until it succeeds or the store shuts down. */
    void writeOne(Completion completion);
  }

  private final Writer writer;
  private final List<Completion> queued = new ArrayList<>();
  private final List<Completion> done = new ArrayList<>();
  private boolean writing;

  CompletionGroupCommit(Writer writer) {
    this.writer = writer;
  }

  /** Records {@code c}; returns when it is committed. */
  void complete(Completion c) {
    List<Completion> group;
    synchronized (this) {
      queued.add(c);
      boolean interrupted = false;
      while (writing && !done.contains(c)) {
        try {
          wait();
        } catch (InterruptedException e) {
          // Quartz's own completion cannot be interrupted either; keep the flag for the caller.
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      if (done.remove(c)) return; // a leader wrote it
      // Not written, and nobody is writing: this thread leads, with everything queued so far.
      writing = true;
      group = new ArrayList<>(queued);
      queued.clear();
    }
    try {
      writeGroup(group);
    } finally {
      synchronized (this) {
        group.remove(c);
        done.addAll(group);
        writing = false;
        notifyAll();
      }
    }
  }

  private void writeGroup(List<Completion> group) {
    if (group.size() > 1) {
      try {
        writer.writeAll(group);
        return;
      } catch (JobPersistenceException | RuntimeException e) {
        // Rolled back as a whole: write each on its own, so that one bad completion cannot
        // hold back the others and each gets Quartz's retries.
      }
    }
    for (Completion one : group) writer.writeOne(one);
  }
}
