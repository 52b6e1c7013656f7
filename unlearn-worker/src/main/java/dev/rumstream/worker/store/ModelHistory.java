package dev.rumstream.worker.store;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.LongStream;

/**
 * What a store has read of one model's versions, so that a job's questions read only the versions
 * that can still matter to it, however long the history. Two rules of the store make that exact:
 * versions are numbered from 0 without gaps (a version is only written as the next number, in one
 * rename), and a PURGED manifest is never rewritten. So a version purged before a later promotion,
 * with only such versions below it, is settled for good, and a new version, whoever wrote it, is
 * found by looking for the next number. For every version seen it keeps the hash of its job id (4
 * bytes a version), which finds a job's versions among settled ones without reading the others. Not
 * thread-safe: the store guards each history.
 */
final class ModelHistory {
  private long settled;
  private long seen;
  private boolean checked;
  private int[] jobs = new int[64];

  /** Versions below this number are settled: PURGED, and never read for a job again. */
  long settled() {
    return settled;
  }

  /** Versions below this number exist and were read; this one may not exist yet. */
  long seen() {
    return seen;
  }

  /** Whether the model's directory was listed once and found without gaps. */
  boolean checked() {
    return checked;
  }

  void check() {
    checked = true;
  }

  /** Records a version read: the next one unseen, or one seen before. */
  void saw(VersionManifest version) {
    long number = version.version();
    if (number > seen) {
      throw new IllegalStateException("version " + number + " read before version " + seen);
    }
    if (number == seen) {
      if (seen == jobs.length) {
        jobs = Arrays.copyOf(jobs, jobs.length * 2);
      }
      seen++;
    }
    jobs[(int) number] = Objects.hashCode(version.jobId());
  }

  /**
   * Forgets the versions from {@code number} on: its directory is gone (moved away by an operator,
   * a damaged volume), so they are looked for again and the numbering is checked again.
   */
  void vanished(long number) {
    seen = Math.min(seen, number);
    checked = false;
  }

  /** The oldest version not settled yet is settled now. */
  void settleNext() {
    settled++;
  }

  /** The versions seen whose job may be {@code jobId} (an equal hash), oldest first. */
  long[] maybeOfJob(String jobId) {
    int hash = Objects.hashCode(jobId);
    return LongStream.range(0, seen).filter(v -> jobs[(int) v] == hash).toArray();
  }
}
