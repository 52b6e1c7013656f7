package dev.rumstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upgrade with forget sets open, on a real broker and registry: what the release before
 * per-request state left (its topics and changelogs, its group's offsets, its state directory as
 * its close left it: without checkpoints, so every store comes back from the changelogs, as after a
 * crash) is taken over by this release. Its 30 accepted requests, still in open sets, must come out
 * in sets once each, beside new ones, and a request it accepted stays a duplicate.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class UpgradeIT {

  /** The release whose state the fixture holds: the last one-record-per-set release. */
  private static final String RELEASE = "d734379";

  @Test
  void openSetsOfThePreviousReleaseComeOutOnceWithNewRequestsBeside(TestEnvironment environment)
      throws Exception {
    ReleaseFixture fixture = ReleaseFixture.read(RELEASE);
    // The release remembered its request ids with the time it accepted them, when the fixture was
    // written: remember them for as long as the fixture is used.
    try (PipelineHarness harness =
        new PipelineHarness(environment, Map.of("rumstream.dedup.retention", "3650d"))) {
      Set<String> accepted = acceptedBefore(fixture);
      assertThat(accepted).as("the fixture's open requests").hasSize(30);
      fixture.replay(harness);
      try (ServiceShell<StreamsService> shell = harness.startService()) {
        PipelineHarness.awaitRunning(shell);
        // A request the release accepted, sent again, then new requests, one sharing example 2.
        harness.sendRaw(
            PipelineHarness.MODEL,
            harness.bytes(PipelineHarness.request("old-7", List.of(14L, 16L, 507L))));
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          added.add("new-" + i);
          harness.sendRaw(
              PipelineHarness.MODEL,
              harness.bytes(PipelineHarness.request("new-" + i, List.of(2L + i, 900L + i))));
        }
        harness.flush();
        Set<String> expected = new TreeSet<>(accepted);
        expected.addAll(added);

        List<ForgetSet> sets =
            harness.forgetSets(s -> requestIds(s).keySet().containsAll(expected));

        Map<String, Integer> inSets = requestIds(sets);
        assertThat(inSets.keySet()).as("every request in a set").containsAll(expected);
        assertThat(inSets).as("each in one set, once").allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(sets).extracting(ForgetSet::getForgetSetId).doesNotHaveDuplicates();
        Map<Long, Set<String>> byExample = new HashMap<>();
        sets.forEach(
            s ->
                s.getExamples()
                    .forEach(
                        e ->
                            byExample
                                .computeIfAbsent(e.getExampleId(), k -> new TreeSet<>())
                                .addAll(e.getRequestIds())));
        for (int i = 0; i < 30; i++) {
          // What the release's requests asked for (UpgradeFixtureIT): 2i mod 40, 2i+2 mod 40,
          // 500+i.
          for (long example : List.of((long) (2 * i % 40), (long) ((2 * i + 2) % 40), 500L + i)) {
            assertThat(byExample.get(example)).as("example %d", example).contains("old-" + i);
          }
        }
        assertThat(byExample.get(2L)).contains("old-0", "old-1", "new-0");
        // The resend went to the new requests' partition before them: a second ACCEPTED receipt
        // for it would have been committed by the time their sets were.
        List<DeletionReceipt> receipts =
            environment
                .consume(
                    harness.topic(Topic.DELETION_RECEIPTS),
                    Integer.MAX_VALUE,
                    AvroDeserializer.forClass(DeletionReceipt.class, harness.registry),
                    Duration.ofSeconds(5))
                .stream()
                .map(ConsumerRecord::value)
                .toList();
        assertThat(
                receipts.stream()
                    .filter(r -> r.getStatus() == ReceiptStatus.ACCEPTED)
                    .collect(
                        Collectors.groupingBy(
                            DeletionReceipt::getRequestId, Collectors.counting())))
            .as("one ACCEPTED receipt per request, the resent one included")
            .containsOnlyKeys(expected)
            .allSatisfy((id, n) -> assertThat(n).isOne());
      }
    }
  }

  /** The requests the release accepted, from its receipts topic. */
  private static Set<String> acceptedBefore(ReleaseFixture fixture) throws Exception {
    return fixture.values("deletion-receipts", DeletionReceipt.class).stream()
        .filter(r -> r.getStatus() == ReceiptStatus.ACCEPTED)
        .map(DeletionReceipt::getRequestId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, Integer> requestIds(List<ForgetSet> sets) {
    Map<String, Integer> counts = new HashMap<>();
    sets.forEach(s -> s.getRequestIds().forEach(id -> counts.merge(id, 1, Integer::sum)));
    return counts;
  }
}
