package dev.rumstream.audit;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a whole audit trail ({@code rumstream audit verify}): every record authentic under the
 * audit key, each request's records numbered 0, 1, 2, ... in order, each chained onto the one
 * before it, starting with ACCEPTED or REJECTED and ending at most once in COMPLETED; and, given
 * the receipts, every COMPLETED receipt matched by a COMPLETED record (which finds a trail cut at
 * its end). Says what is wrong where (partition and offset).
 */
public final class AuditVerification {
  private static final Set<AuditTransition> FIRST =
      Set.of(AuditTransition.ACCEPTED, AuditTransition.REJECTED);

  /**
   * One record as read: its place on the topic, its key, and the record, or why it could not be
   * read (then {@code record} is null).
   */
  public record Entry(int partition, long offset, String key, AuditRecord record, String unread) {}

  /** Something wrong, and where. */
  public record Problem(int partition, long offset, String requestId, String what) {
    @Override
    public String toString() {
      return (offset < 0 ? "receipts" : "partition " + partition + " offset " + offset)
          + (requestId == null ? "" : " (request " + requestId + ")")
          + ": "
          + what;
    }
  }

  /** The outcome over a whole topic. */
  public record Report(long records, int requests, int completed, List<Problem> problems) {
    public boolean verified() {
      return problems.isEmpty();
    }
  }

  private final AuditChain chain;

  public AuditVerification(AuditChain chain) {
    this.chain = chain;
  }

  /**
   * @param entries the topic's records, each partition in offset order
   * @param completedReceipts the ids of the requests whose latest receipt is COMPLETED
   */
  public Report verify(List<Entry> entries, Set<String> completedReceipts) {
    List<Problem> problems = new ArrayList<>();
    Map<String, AuditRecord> last = new LinkedHashMap<>();
    Map<String, Entry> lastEntry = new HashMap<>();
    int completed = 0;
    for (Entry entry : entries) {
      AuditRecord record = entry.record();
      if (record == null) {
        problems.add(problem(entry, entry.key(), "cannot be read: " + entry.unread()));
        continue;
      }
      String id = record.getRequestId();
      if (!id.equals(entry.key())) {
        problems.add(problem(entry, id, "keyed '" + entry.key() + "', not by its request id"));
      }
      if (!chain.authentic(record)) {
        problems.add(
            problem(
                entry,
                id,
                "its mac does not match its content: changed, or not written"
                    + " under this audit key"));
      }
      AuditRecord before = last.get(id);
      int expected = before == null ? 0 : before.getSequence() + 1;
      if (record.getSequence() != expected) {
        problems.add(
            problem(
                entry,
                id,
                record.getSequence() > expected
                    ? "sequence "
                        + record.getSequence()
                        + " where "
                        + expected
                        + " was due: "
                        + (record.getSequence() - expected)
                        + " record(s) missing"
                    : "sequence "
                        + record.getSequence()
                        + " again or out of order (after "
                        + (expected - 1)
                        + ")"));
      }
      boolean inPlace = record.getSequence() == expected;
      String previousMac = before == null ? null : before.getMac();
      if (inPlace && !Objects.equals(previousMac, record.getPreviousMac())) {
        problems.add(problem(entry, id, "does not chain onto the record before it"));
      }
      if (before == null && !FIRST.contains(record.getTransition())) {
        problems.add(
            problem(
                entry,
                id,
                "the trail starts with " + record.getTransition() + ", not ACCEPTED or REJECTED"));
      }
      if (before != null
          && (before.getTransition() == AuditTransition.COMPLETED
              || before.getTransition() == AuditTransition.REJECTED)) {
        problems.add(
            problem(entry, id, record.getTransition() + " after " + before.getTransition()));
      }
      if (record.getTransition() == AuditTransition.COMPLETED) {
        completed++;
      }
      if (record.getSequence() >= expected) {
        last.put(id, record);
        lastEntry.put(id, entry);
      }
    }
    for (String id : completedReceipts) {
      AuditRecord end = last.get(id);
      if (end == null) {
        problems.add(new Problem(-1, -1, id, "COMPLETED receipt, but no audit trail"));
      } else if (end.getTransition() != AuditTransition.COMPLETED) {
        Entry at = lastEntry.get(id);
        problems.add(
            problem(
                at,
                id,
                "COMPLETED receipt, but the trail ends here at "
                    + end.getTransition()
                    + ": its last record(s) are missing"));
      }
    }
    return new Report(entries.size(), last.size(), completed, List.copyOf(problems));
  }

  private static Problem problem(Entry entry, String requestId, String what) {
    return new Problem(entry.partition(), entry.offset(), requestId, what);
  }
}
