package dev.rumstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.config.Settings;
import dev.rumstream.testkit.KafkaEnvironmentExtension;
import dev.rumstream.testkit.TestEnvironment;
import dev.rumstream.worker.store.VersionManifest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker process killed with SIGKILL in the middle of a job, then restarted: nothing is lost,
 * applied twice or announced twice, on the real broker and registry.
 */
@ExtendWith(KafkaEnvironmentExtension.class)
class WorkerCrashIT {
  /**
   * The promotion gate is not under test here (LifecycleIT tests it): it lets every version pass,
   * so the lineage is one version per job whatever the small untrained model measures.
   */
  static final Map<String, String> ANY_VERSION_PASSES =
      Map.of(
          "rumstream.gate.max.retain.drop", "1",
          "rumstream.gate.max.test.drop", "1",
          "rumstream.gate.max.under.forgetting", "1",
          "rumstream.gate.max.over.forgetting", "1");

  @Test
  void aWorkerKilledMidJobLosesNothingAndAppliesNothingTwice(TestEnvironment environment)
      throws Exception {
    try (WorkerHarness harness = new WorkerHarness(environment, ANY_VERSION_PASSES)) {
      harness.storeVersionZero();
      List<String> firstRequests = List.of("crash-a", "crash-b");
      List<String> secondRequests = List.of("crash-c");
      harness.send(WorkerHarness.forgetSet("set-1", firstRequests, 100, 8));
      harness.send(WorkerHarness.forgetSet("set-2", secondRequests, 500, 1));

      WorkerProcess first = WorkerProcess.start(harness.settings, "Applying job set-1-1");
      assertThat(first.awaitLine(180)).as("the first worker reached the Fine-tune job").isTrue();
      Thread.sleep(1000);
      first.kill();
      assertThat(harness.store.byJob(WorkerHarness.MODEL, "set-1-1"))
          .as("killed before the job was stored")
          .isEmpty();

      WorkerProcess second = WorkerProcess.start(harness.settings, "Published version 6");
      try {
        assertThat(second.awaitLine(300)).as("the restarted worker finished every job").isTrue();
      } finally {
        second.kill();
      }

      List<VersionManifest> lineage = harness.store.versions(WorkerHarness.MODEL);
      assertThat(lineage)
          .extracting(VersionManifest::version)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(lineage.subList(1, 7))
          .allSatisfy(v -> assertThat(v.parentVersion()).isEqualTo(v.version() - 1));
      assertThat(lineage.subList(1, 7))
          .extracting(VersionManifest::jobId)
          .doesNotHaveDuplicates()
          .containsExactly("set-1-0", "set-1-1", "set-1-2", "set-2-0", "set-2-1", "set-2-2");
      assertThat(lineage.get(6).deletedIds())
          .containsExactlyInAnyOrder(
              100L, 101L, 110L, 111L, 120L, 121L, 500L, 501L, 510L, 511L, 520L, 521L);

      List<ModelVersion> promotions =
          harness.versions(18).stream()
              .filter(v -> v.getStatus() == VersionStatus.PROMOTED)
              .toList();
      assertThat(promotions)
          .extracting(ModelVersion::getVersion)
          .as("each version promoted once, in order")
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(lineage.subList(0, 6))
          .as("every older version purged")
          .allSatisfy(v -> assertThat(v.status()).isEqualTo(VersionStatus.PURGED));
      List<DeletionReceipt> receipts = harness.receipts(3);
      assertThat(receipts)
          .extracting(DeletionReceipt::getRequestId)
          .as("each receipt exactly once")
          .containsExactlyInAnyOrder("crash-a", "crash-b", "crash-c");
      assertThat(receipts)
          .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ReceiptStatus.COMPLETED));
      assertThat(receipts)
          .filteredOn(r -> r.getRequestId().equals("crash-c"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getModelVersion()).isEqualTo(6L);
                assertThat(r.getSubjectHash()).isEqualTo("hmac-sha256:crash-c");
                assertThat(r.getExampleCount()).isEqualTo(2);
                assertThat(r.getOutcomes()).hasSize(3);
              });
    }
  }

  @Test
  void aWorkerKilledBetweenPromotionAndPurgePurgesEveryOlderVersionAfterItsRestart(
      TestEnvironment environment) throws Exception {
    // A long grace holds the worker between announcing the promotion and purging.
    Map<String, String> longGrace = new java.util.HashMap<>(ANY_VERSION_PASSES);
    longGrace.put("rumstream.store.purge.grace", "40s");
    try (WorkerHarness harness = new WorkerHarness(environment, longGrace)) {
      harness.storeVersionZero();
      harness.send(WorkerHarness.forgetSet("purge-set", List.of("purge-a"), 700, 1));

      WorkerProcess first =
          WorkerProcess.start(harness.settings, "Promoted version 3 of crash-test");
      try {
        assertThat(first.awaitLine(240))
            .as("the first worker promoted the set's last version")
            .isTrue();
        // It announces the promotion, then waits out the grace before it purges: kill it between.
        await("the promotion announced")
            .atMost(Duration.ofSeconds(60))
            .until(() -> harness.promotedVersions().contains(3L));
      } finally {
        first.kill();
      }
      assertThat(harness.store.unpurged(WorkerHarness.MODEL))
          .as("killed inside the grace: the superseded versions still have their files")
          .isNotEmpty();
      assertThat(harness.records(dev.rumstream.topics.Topic.DELETION_RECEIPTS))
          .as("no receipt before the purge")
          .isEmpty();

      Map<String, String> restarted = new java.util.HashMap<>(harness.settings);
      restarted.put("rumstream.store.purge.grace", "1s");
      WorkerProcess second = WorkerProcess.start(restarted, "(1 receipts)");
      try {
        assertThat(second.awaitLine(240)).as("the restarted worker completed the set").isTrue();
      } finally {
        second.kill();
      }
      List<VersionManifest> versions = harness.store.versions(WorkerHarness.MODEL);
      assertThat(versions.subList(0, 3))
          .allSatisfy(v -> assertThat(v.status()).isEqualTo(VersionStatus.PURGED));
      assertThat(versions.get(3).status()).isEqualTo(VersionStatus.PROMOTED);
      assertThat(harness.store.unpurged(WorkerHarness.MODEL)).isEmpty();
      List<DeletionReceipt> receipts = harness.receipts(1);
      assertThat(receipts)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getRequestId()).isEqualTo("purge-a");
                assertThat(r.getOlderVersionsPurgedAt()).isNotNull();
              });
      assertThat(
              harness.versions(12).stream()
                  .filter(v -> v.getStatus() == VersionStatus.PURGED)
                  .map(ModelVersion::getVersion))
          .containsExactlyInAnyOrder(0L, 1L, 2L);
    }
  }

  /** A worker in its own JVM, as in production, so that it can be killed without warning. */
  static final class WorkerProcess {
    private final Process process;
    private final CountDownLatch seen = new CountDownLatch(1);
    private final List<String> output = new ArrayList<>();

    private WorkerProcess(Process process, String awaited) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                      output.add(line);
                    }
                    if (line.contains(awaited)) {
                      seen.countDown();
                    }
                  }
                } catch (java.io.IOException e) {
                  // The process was killed: its output ends here.
                }
              },
              "worker-output");
      reader.setDaemon(true);
      reader.start();
    }

    static WorkerProcess start(Map<String, String> settings, String awaited)
        throws java.io.IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder =
          new ProcessBuilder(
                  java,
                  "-Xmx2g",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.rumstream.worker.WorkerApp")
              .redirectErrorStream(true);
      // Only the harness's settings: a RUMSTREAM_* variable of the test run (RUMSTREAM_TEST_ENV)
      // is no worker setting, and the worker refuses unknown ones.
      builder.environment().keySet().removeIf(name -> Settings.keyOf(name) != null);
      settings.forEach((key, value) -> builder.environment().put(environmentName(key), value));
      return new WorkerProcess(builder.start(), awaited);
    }

    /**
     * {@code rumstream.model.store} → {@code RUMSTREAM_MODEL_STORE}, {@code bootstrap.servers} →
     * {@code KAFKA_BOOTSTRAP_SERVERS}.
     */
    static String environmentName(String key) {
      String upper = key.toUpperCase(java.util.Locale.ROOT).replace("_", "__").replace('.', '_');
      return key.startsWith("rumstream.") || key.startsWith("schema.registry.")
          ? upper
          : "KAFKA_" + upper;
    }

    boolean awaitLine(long seconds) throws InterruptedException {
      boolean found = seen.await(seconds, TimeUnit.SECONDS);
      if (!found) {
        synchronized (output) {
          output.stream().skip(Math.max(0, output.size() - 40)).forEach(System.out::println);
        }
      }
      return found;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
