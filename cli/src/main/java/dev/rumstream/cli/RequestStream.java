package dev.rumstream.cli;

import dev.rumstream.avro.DeletionReason;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.engine.memorization.MemorizationScores;
import dev.rumstream.worker.Bootstrap;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A realistic stream of deletion requests for the demo: users asking to delete a few of their
 * examples each, drawn from weakly, moderately and strongly memorized examples alike (the paper's
 * mixed forget set), with about 10% resent duplicates and about 5% malformed records (unreadable
 * bytes, and readable requests that break a rule).
 */
record RequestStream(
    List<DeletionRequest> valid, List<Record> records, int duplicates, int malformed, int invalid) {

  /** One record to send: a request, or raw bytes that are not one. */
  record Record(DeletionRequest request, byte[] raw) {}

  static RequestStream fromStoredScores(
      ModelStore store, VersionManifest v0, int count, Random random) {
    MemorizationScores scores = Bootstrap.storedScores(store, v0);
    Integer[] order = IntStream.range(0, scores.size()).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> scores.values()[i]));
    int n = order.length;
    int pool = Math.min(1000, n / 3);
    // Confidence falls as memorization rises: the lowest-confidence examples are the most
    // memorized.
    List<List<Long>> groups =
        List.of(
            ids(scores, order, n - pool, n),
            ids(scores, order, n / 2 - pool / 2, n / 2 + pool / 2),
            ids(scores, order, 0, pool));
    Instant now = Instant.now();
    List<DeletionRequest> valid = new ArrayList<>();
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Long> exampleIds = new ArrayList<>();
      for (int k = 0; k < 1 + random.nextInt(6); k++) {
        List<Long> group = groups.get(random.nextInt(groups.size()));
        exampleIds.add(group.get(random.nextInt(group.size())));
      }
      if (random.nextInt(10) == 0) {
        exampleIds.add(exampleIds.get(0));
      }
      DeletionRequest request =
          request("demo-" + i, "subject-" + random.nextInt(count), exampleIds, now);
      valid.add(request);
      records.add(new Record(request, null));
    }
    int duplicates = Math.max(1, count / 10);
    for (int i = 0; i < duplicates; i++) {
      records.add(new Record(valid.get(random.nextInt(valid.size())), null));
    }
    List<Record> bad =
        List.of(
            new Record(null, "{\"requestId\":\"not-avro\"}".getBytes(StandardCharsets.UTF_8)),
            new Record(null, new byte[] {0, 0x7f, 0, 0, 1, 2, 3}),
            new Record(
                request("demo-bad-range", "subject-x", List.of(v0.datasetSize() + 5), now), null),
            new Record(
                DeletionRequest.newBuilder(request("demo-bad-empty", "subject-y", List.of(1L), now))
                    .setExampleIds(List.of())
                    .build(),
                null));
    records.addAll(bad);
    Collections.shuffle(records, random);
    return new RequestStream(valid, records, duplicates, bad.size(), 2);
  }

  private static List<Long> ids(MemorizationScores scores, Integer[] order, int from, int to) {
    List<Long> ids = new ArrayList<>();
    for (int i = Math.max(0, from); i < Math.min(order.length, to); i++) {
      ids.add(scores.ids()[order[i]]);
    }
    return ids;
  }

  private static DeletionRequest request(
      String id, String subject, List<Long> exampleIds, Instant at) {
    return DeletionRequest.newBuilder()
        .setRequestId(id)
        .setModelId(Demo.MODEL)
        .setSubjectId(subject)
        .setExampleIds(exampleIds)
        .setReason(DeletionReason.GDPR_ERASURE)
        .setRequestedAt(at)
        .setDeadline(at.plusSeconds(30L * 24 * 3600))
        .setReference(null)
        .setSource("rumstream-demo")
        .build();
  }
}
