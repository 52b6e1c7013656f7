package dev.rumstream.streams.it;

import static dev.rumstream.streams.it.PipelineHarness.DATASET_SIZE;
import static dev.rumstream.streams.it.PipelineHarness.MODEL;
import static dev.rumstream.streams.it.PipelineHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.DeletionRequest;
import dev.rumstream.avro.ForgetSet;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.UnlearnJob;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.service.ServiceShell;
import dev.rumstream.streams.StreamsService;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.topics.Keys;
import dev.rumstream.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deletion topology end to end on a real broker and schema registry. */
@ExtendWith(KafkaEnvironmentExtension.class)
class DeletionPipelineIT {

  /** What was sent, and what every output must therefore show. */
  private record Traffic(
      List<DeletionRequest> valid, int duplicates, List<DeletionRequest> invalid, int unreadable) {
    Set<String> validIds() {
      return valid.stream().map(DeletionRequest::getRequestId).collect(Collectors.toSet());
    }
  }

  /**
   * 1,000 records: 850 distinct valid requests, 100 duplicates of them (10%), and 50 malformed
   * (5%): 25 that cannot be deserialized and 25 that are read but invalid. Sent in a seeded
   * shuffled order.
   */
  private static Traffic send(PipelineHarness harness, int from, int to, long seed)
      throws Exception {
    Random random = new Random(seed);
    List<DeletionRequest> valid = new ArrayList<>();
    List<DeletionRequest> invalid = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      List<Long> ids = new ArrayList<>();
      for (int k = 0; k < 1 + random.nextInt(5); k++) {
        ids.add((long) random.nextInt((int) DATASET_SIZE));
      }
      DeletionRequest request = request("req-" + seed + "-" + i, ids);
      valid.add(request);
      records.add(harness.bytes(request));
    }
    int duplicates = (to - from) * 100 / 850;
    for (int i = 0; i < duplicates; i++) {
      records.add(harness.bytes(valid.get(random.nextInt(valid.size()))));
    }
    int malformed = (to - from) * 50 / 850;
    for (int i = 0; i < malformed / 2; i++) {
      DeletionRequest bad = request("bad-" + seed + "-" + i, List.of(DATASET_SIZE + i));
      invalid.add(bad);
      records.add(harness.bytes(bad));
    }
    int unreadable = malformed - malformed / 2;
    for (int i = 0; i < unreadable; i++) {
      records.add(
          i % 2 == 0
              ? ("garbage " + i).getBytes(StandardCharsets.UTF_8)
              : new byte[] {0, 0x7f, 0, 0, 0, 1});
    }
    java.util.Collections.shuffle(records, random);
    records.forEach(record -> harness.sendRaw(MODEL, record));
    harness.flush();
    return new Traffic(valid, duplicates, invalid, unreadable);
  }

  @Test
  void aThousandRequestsWithDuplicatesAndMalformedRecordsGiveExactCounts(
      TestEnvironment environment) throws Exception {
    try (PipelineHarness harness =
        new PipelineHarness(environment, Map.of("rumstream.window.max.examples", "400"))) {
      harness.publishModel();
      Traffic traffic = send(harness, 0, 850, 1);
      try (ServiceShell<StreamsService> service = harness.startService()) {
        PipelineHarness.awaitRunning(service);

        List<DeletionReceipt> receipts = harness.receipts(850 + 25);
        assertThat(receipts).hasSize(875);
        assertThat(receipts).extracting(DeletionReceipt::getRequestId).doesNotHaveDuplicates();
        Map<ReceiptStatus, Long> byStatus =
            receipts.stream()
                .collect(Collectors.groupingBy(DeletionReceipt::getStatus, Collectors.counting()));
        assertThat(byStatus)
            .containsEntry(ReceiptStatus.ACCEPTED, 850L)
            .containsEntry(ReceiptStatus.REJECTED, 25L);

        List<ConsumerRecord<String, byte[]>> dead = harness.deadLetters(50);
        assertThat(dead).hasSize(50);
        assertThat(dead)
            .filteredOn(r -> stage(r).equals("deserialization"))
            .hasSize(traffic.unreadable());
        assertThat(dead)
            .filteredOn(r -> stage(r).equals("validation"))
            .hasSize(traffic.invalid().size());

        assertEveryRequestInExactlyOneSetAndEveryExampleInExactlyOneJob(
            harness, traffic.validIds(), traffic);
      }
    }
  }

  @Test
  void aRestartMidStreamLosesNoRequestAndDuplicatesNoJob(TestEnvironment environment)
      throws Exception {
    try (PipelineHarness harness =
        new PipelineHarness(environment, Map.of("rumstream.window.max.examples", "150"))) {
      harness.publishModel();
      Traffic first = send(harness, 0, 425, 2);
      try (ServiceShell<StreamsService> service = harness.startService()) {
        PipelineHarness.awaitRunning(service);
        assertThat(harness.receipts(200)).hasSizeGreaterThanOrEqualTo(200);
      }
      // The first instance is gone mid-stream with forget sets still open in its state; a new
      // instance on another
      // machine (empty local state) takes over, and some requests of the first half are sent again.
      Traffic second = send(harness, 425, 850, 3);
      for (DeletionRequest again : first.valid().subList(0, 40)) {
        harness.sendRaw(MODEL, harness.bytes(again));
      }
      harness.flush();
      try (ServiceShell<StreamsService> service = harness.startServiceWithEmptyState()) {
        PipelineHarness.awaitRunning(service);
        Set<String> validIds = new HashSet<>(first.validIds());
        validIds.addAll(second.validIds());
        int rejected = first.invalid().size() + second.invalid().size();
        List<DeletionReceipt> receipts = harness.receipts(validIds.size() + rejected);
        assertThat(receipts).hasSize(validIds.size() + rejected);
        assertThat(receipts).extracting(DeletionReceipt::getRequestId).doesNotHaveDuplicates();
        assertThat(receipts)
            .filteredOn(r -> r.getStatus() == ReceiptStatus.ACCEPTED)
            .extracting(DeletionReceipt::getRequestId)
            .containsExactlyInAnyOrderElementsOf(validIds);
        assertEveryRequestInExactlyOneSetAndEveryExampleInExactlyOneJob(harness, validIds, null);
      }
    }
  }

  @Test
  void aHotModelSpreadOverPartitionsAndStreamThreadsKeepsItsJobsInOneQueue(
      TestEnvironment environment) throws Exception {
    try (PipelineHarness harness =
        new PipelineHarness(
            environment,
            Map.of("rumstream.window.max.examples", "150", "num.stream.threads", "2"))) {
      harness.publishModel();
      Random random = new Random(4);
      Set<String> sent = new HashSet<>();
      for (int i = 0; i < 400; i++) {
        DeletionRequest request =
            request("hot-" + i, List.of((long) random.nextInt((int) DATASET_SIZE)));
        sent.add(request.getRequestId());
        // Keyed as producers are told to: by model and request id, so one model's requests
        // spread over every partition of deletion-requests.
        harness.sendRaw(Keys.request(MODEL, request.getRequestId()), harness.bytes(request));
      }
      harness.flush();
      try (ServiceShell<StreamsService> service = harness.startService()) {
        PipelineHarness.awaitRunning(service);
        List<ForgetSet> sets =
            harness.forgetSets(
                seen -> seen.stream().mapToInt(s -> s.getRequestIds().size()).sum() >= sent.size());
        assertThat(sets.stream().map(s -> s.getForgetSetId().replaceAll(".*-(p\\d+)-\\d+$", "$1")))
            .as("sets gathered on both partitions, by both stream threads")
            .contains("p0", "p1");
        assertThat(sets.stream().flatMap(s -> s.getRequestIds().stream()))
            .doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(sent);
        int expectedJobs = jobCount(sets);
        List<ConsumerRecord<String, UnlearnJob>> jobs =
            environment.consume(
                harness.topic(Topic.UNLEARN_JOBS),
                expectedJobs,
                AvroDeserializer.forClass(UnlearnJob.class, harness.registry));
        assertThat(jobs).hasSize(expectedJobs);
        assertThat(jobs.stream().map(ConsumerRecord::partition).distinct())
            .as("every job of the model in one partition: one queue, applied one at a time")
            .hasSize(1);
      }
    }
  }

  private static void assertEveryRequestInExactlyOneSetAndEveryExampleInExactlyOneJob(
      PipelineHarness harness, Set<String> acceptedIds, Traffic traffic) {
    List<ForgetSet> sets =
        harness.forgetSets(
            seen ->
                seen.stream().mapToInt(s -> s.getRequestIds().size()).sum() >= acceptedIds.size());
    List<String> grouped = sets.stream().flatMap(s -> s.getRequestIds().stream()).toList();
    assertThat(grouped)
        .as("each accepted request in exactly one forget set")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(acceptedIds);
    assertThat(sets).extracting(ForgetSet::getForgetSetId).doesNotHaveDuplicates();

    int expectedJobs = jobCount(sets);
    List<UnlearnJob> jobs = harness.jobs(expectedJobs);
    assertThat(jobs).extracting(UnlearnJob::getJobId).as("no job twice").doesNotHaveDuplicates();
    assertThat(jobs).hasSize(expectedJobs);
    Map<String, List<Long>> examplesBySet = new HashMap<>();
    jobs.forEach(
        job ->
            examplesBySet
                .computeIfAbsent(job.getForgetSetId(), k -> new ArrayList<>())
                .addAll(job.getExampleIds()));
    for (ForgetSet set : sets) {
      assertThat(examplesBySet.get(set.getForgetSetId()))
          .as("the jobs of %s", set.getForgetSetId())
          .containsExactlyInAnyOrderElementsOf(
              set.getExamples().stream().map(e -> e.getExampleId()).toList());
    }
    if (traffic != null) {
      Set<Long> requested =
          traffic.valid().stream()
              .flatMap(r -> r.getExampleIds().stream())
              .collect(Collectors.toSet());
      Set<Long> unlearned =
          jobs.stream().flatMap(j -> j.getExampleIds().stream()).collect(Collectors.toSet());
      assertThat(unlearned).isEqualTo(requested);
    }
  }

  /** One job per memorization level present in a set. */
  private static int jobCount(List<ForgetSet> sets) {
    return sets.stream()
        .mapToInt(s -> (int) s.getExamples().stream().map(e -> e.getLevel()).distinct().count())
        .sum();
  }

  private static String stage(ConsumerRecord<String, byte[]> record) {
    return new String(
        record.headers().lastHeader("rumstream.dlq.stage").value(), StandardCharsets.UTF_8);
  }
}
