package dev.rumstream.worker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.avro.VersionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract, with plain bytes standing in for model parameters. */
class ModelStoreTest {
  @TempDir Path root;

  private static VersionManifest manifest(long version, String jobId, List<Long> deleted) {
    return manifest(version, jobId, deleted, VersionStatus.PROMOTED, 1);
  }

  private static VersionManifest manifest(
      long version, String jobId, List<Long> deleted, VersionStatus status, int attempt) {
    Instant created = Instant.parse("2026-11-27T08:00:00Z");
    return new VersionManifest(
        "m",
        version,
        version == 0 ? null : version - 1,
        jobId,
        jobId == null ? null : "fs-1",
        jobId == null ? null : "HIGH",
        jobId == null ? null : "SALUN",
        Map.of("lr", "0.1"),
        List.of("r1"),
        List.of(),
        deleted,
        "fashion-mnist",
        60_000,
        "SMALL_CNN",
        null,
        0,
        created,
        "cpu",
        new VersionManifest.Evidence(0.5, 0.9, 0.88, 0.4, null, 3, 5000, 1200),
        status,
        created,
        status == VersionStatus.PROMOTED ? created : null,
        null,
        null,
        attempt,
        false);
  }

  /** Version 0 with parameters "zero" and a companion scores file. */
  private static VersionManifest writeVersionZeroWithScores(ModelStore store, String scores) {
    return store.write(
        manifest(0, null, List.of()),
        dir -> {
          Files.writeString(dir.resolve("scores.bin"), scores);
          return writeBytes(dir, "zero");
        });
  }

  private static String writeBytes(Path dir, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve(ModelStore.PARAMS), bytes);
    return sha256(bytes);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String fileChecksum(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  @Test
  void storesVersionsAndReadsThemBackInOrderWithTheirChecksums() throws IOException {
    ModelStore store = new ModelStore(root);
    VersionManifest v0 = store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    VersionManifest v1 =
        store.write(manifest(1, "fs-1-0", List.of(4L, 7L)), dir -> writeBytes(dir, "one"));

    assertThat(store.versions("m")).containsExactly(v0, v1);
    assertThat(store.latest("m")).contains(v1);
    assertThat(store.byJob("m", "fs-1-0")).contains(v1);
    assertThat(store.byJob("m", "fs-9-0")).isEmpty();
    assertThat(v1.checksum()).isEqualTo(sha256("one".getBytes(StandardCharsets.UTF_8)));
    assertThat(v1.sizeBytes()).isEqualTo(3);
    assertThat(v1.deletedIds()).containsExactly(4L, 7L);
    String loaded = store.<String>load(v1, Files::readString, ModelStoreTest::fileChecksum);
    assertThat(loaded).isEqualTo("one");
    try (var listing = Files.list(root.resolve("m"))) {
      assertThat(listing.map(p -> p.getFileName().toString()).toList())
          .as("no staging directories are left")
          .containsExactlyInAnyOrder("v000000", "v000001", ManifestFile.LEDGERS);
    }
  }

  @Test
  void aCopiedVersionKeepsEveryFileAndLoadsVerifiedWhileTheSourceStaysUnchanged()
      throws IOException {
    ModelStore cache = new ModelStore(root.resolve("cache"));
    VersionManifest original = writeVersionZeroWithScores(cache, "scores");
    ModelStore run = new ModelStore(root.resolve("run"));

    VersionManifest copy = run.copyFrom(cache, original);

    assertThat(copy).isEqualTo(original);
    assertThat(run.latest("m")).contains(copy);
    assertThat(run.<String>load(copy, Files::readString, ModelStoreTest::fileChecksum))
        .isEqualTo("zero");
    assertThat(Files.readString(run.directory(copy).resolve("scores.bin"))).isEqualTo("scores");
    assertThat(cache.versions("m")).containsExactly(original);
    assertThatThrownBy(() -> run.copyFrom(cache, original))
        .isInstanceOf(VersionConflictException.class);
  }

  @Test
  void aSecondWriterOfTheSameVersionIsRefused() {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    assertThatThrownBy(
            () -> store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "other")))
        .isInstanceOf(VersionConflictException.class);
    String kept =
        store.<String>load(
            store.latest("m").orElseThrow(), Files::readString, ModelStoreTest::fileChecksum);
    assertThat(kept).isEqualTo("zero");
  }

  @Test
  void aVersionWhoseWriteFailsLeavesNothingBehind() {
    ModelStore store = new ModelStore(root);
    assertThatThrownBy(
            () ->
                store.write(
                    manifest(0, null, List.of()),
                    dir -> {
                      writeBytes(dir, "half");
                      throw new IOException("disk full");
                    }))
        .hasMessageContaining("Cannot write version 0");
    assertThat(store.versions("m")).isEmpty();
  }

  @Test
  void alteredTruncatedOrMissingParametersAreRefused() throws IOException {
    ModelStore store = new ModelStore(root);
    VersionManifest v0 =
        store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "parameters"));
    Path params = store.parameters(v0);

    Files.writeString(params, "parameterz");
    assertThatThrownBy(() -> store.load(v0, Files::readString, ModelStoreTest::fileChecksum))
        .isInstanceOf(CorruptVersionException.class)
        .hasMessageContaining("is not the manifest's");

    Files.writeString(params, "param");
    assertThatThrownBy(() -> store.load(v0, Files::readString, ModelStoreTest::fileChecksum))
        .isInstanceOf(CorruptVersionException.class);

    Files.delete(params);
    assertThatThrownBy(() -> store.load(v0, Files::readString, ModelStoreTest::fileChecksum))
        .isInstanceOf(CorruptVersionException.class)
        .hasMessageContaining("has no parameter file");
  }

  @Test
  void anUnreadableManifestIsReported() throws IOException {
    ModelStore store = new ModelStore(root);
    VersionManifest v0 = store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    Files.writeString(store.directory(v0).resolve(ModelStore.MANIFEST), "{ not json");
    assertThatThrownBy(() -> store.versions("m"))
        .isInstanceOf(CorruptVersionException.class)
        .hasMessageContaining("Unreadable manifest");
  }

  @Test
  void manifestsReadBeforeAreReadAgainWhenAnotherProcessRewritesThem() throws IOException {
    ModelStore worker = new ModelStore(root);
    ModelStore other = new ModelStore(root);
    worker.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    VersionManifest v1 = worker.write(candidate(1, "fs-1-0", 1), d -> writeBytes(d, "one"));
    assertThat(worker.versions("m"))
        .extracting(VersionManifest::status)
        .contains(VersionStatus.CANDIDATE);

    other.reject(other.versions("m").get(1), Instant.parse("2026-11-29T10:00:00Z"));
    assertThat(worker.versions("m").get(1).status()).isEqualTo(VersionStatus.REJECTED);

    Files.writeString(worker.directory(v1).resolve(ModelStore.MANIFEST), "{ not json");
    assertThatThrownBy(() -> worker.versions("m"))
        .as("a manifest broken after it was read is not served from memory")
        .isInstanceOf(CorruptVersionException.class);
  }

  private static VersionManifest candidate(long version, String jobId, int attempt) {
    return manifest(version, jobId, List.of(4L), VersionStatus.CANDIDATE, attempt);
  }

  @Test
  void promotionSupersedesEveryOlderVersionAndPurgeKeepsOnlyTheManifest() throws IOException {
    ModelStore store = new ModelStore(root);
    Instant t0 = Instant.parse("2026-11-29T10:00:00Z");
    VersionManifest v0 = writeVersionZeroWithScores(store, "scores of every example");
    VersionManifest rejected = store.write(candidate(1, "fs-1-0", 1), d -> writeBytes(d, "bad"));
    store.reject(rejected, t0);
    VersionManifest good = store.write(candidate(2, "fs-1-0", 2), d -> writeBytes(d, "good"));

    VersionManifest promoted = store.promote(good, t0.plusSeconds(1));

    assertThat(store.promoted("m")).contains(promoted);
    assertThat(store.byJob("m", "fs-1-0")).contains(promoted);
    assertThat(store.attempts("m", "fs-1-0")).hasSize(2);
    assertThat(store.nextVersion("m")).isEqualTo(3);
    assertThat(store.versions("m").get(0).status()).isEqualTo(VersionStatus.SUPERSEDED);
    assertThat(store.versions("m").get(1).status())
        .as("a rejected candidate stays REJECTED in the audit record")
        .isEqualTo(VersionStatus.REJECTED);
    assertThat(store.unpurged("m")).extracting(VersionManifest::version).containsExactly(0L, 1L);
    assertThat(store.unpurged("m")).allSatisfy(v -> assertThat(v.supersededAt()).isNotNull());

    for (VersionManifest old : store.unpurged("m")) {
      store.purge(old, t0.plusSeconds(12));
    }
    VersionManifest purged = store.versions("m").get(0);
    assertThat(purged.status()).isEqualTo(VersionStatus.PURGED);
    assertThat(purged.promotedAt()).as("version 0 served once").isEqualTo(v0.createdAt());
    try (var files = Files.list(store.directory(purged))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly(ModelStore.MANIFEST);
    }
    assertThatThrownBy(() -> store.load(purged, Files::readString, ModelStoreTest::fileChecksum))
        .isInstanceOf(PurgedVersionException.class)
        .hasMessageContaining("Version 0 of model m was purged")
        .hasMessageContaining("learned from data deleted since");
    assertThat(store.purge(purged, t0.plusSeconds(60))).as("idempotent").isEqualTo(purged);
    assertThat(store.unpurged("m")).isEmpty();
    assertThatThrownBy(() -> store.purge(promoted, t0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.<String>load(promoted, Files::readString, ModelStoreTest::fileChecksum))
        .isEqualTo("good");
  }

  @Test
  void afterACrashBetweenPromotingAndSupersedingTheNewerPromotedVersionServes() throws IOException {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    VersionManifest v1 = store.write(candidate(1, "fs-1-0", 1), d -> writeBytes(d, "one"));
    store.update(v1.withStatus(VersionStatus.PROMOTED, Instant.parse("2026-11-29T10:00:00Z")));

    assertThat(store.promoted("m")).map(VersionManifest::version).contains(1L);
    store.promote(store.promoted("m").orElseThrow(), Instant.parse("2026-11-29T10:00:01Z"));
    assertThat(store.versions("m").get(0).status()).isEqualTo(VersionStatus.SUPERSEDED);
  }

  @Test
  void aManifestUpdateCannotChangeTheParametersChecksum() {
    ModelStore store = new ModelStore(root);
    VersionManifest v0 = store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    VersionManifest other =
        store.write(manifest(1, "fs-1-0", List.of()), dir -> writeBytes(dir, "one"));
    VersionManifest forged = v0.withFile(other.checksum(), v0.sizeBytes());
    assertThatThrownBy(() -> store.update(forged)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manifestsFromBeforeTheLifecycleReadAsPromoted() throws IOException {
    ModelStore store = new ModelStore(root);
    VersionManifest v0 = store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    Path file = store.directory(v0).resolve(ModelStore.MANIFEST);
    String legacy =
        Files.readString(file)
            .replaceAll(
                "(?m)^\\s*\"(status|statusChangedAt|promotedAt|supersededAt|gate"
                    + "|attempt|escalated)\"\\s*:.*$\\n?",
                "")
            .replaceAll(",\\s*}\\s*$", "\n}");
    Files.writeString(file, legacy);
    assertThat(Files.readString(file)).doesNotContain("status");

    VersionManifest read = store.versions("m").get(0);
    assertThat(read.status()).isEqualTo(VersionStatus.PROMOTED);
    assertThat(read.promotedAt()).isEqualTo(v0.createdAt());
    assertThat(store.promoted("m")).contains(read);
  }

  @Test
  void theLedgerIsOneBitmapFileThatManifestsNameInsteadOfListingIt() throws IOException {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    VersionManifest v1 =
        store.write(manifest(1, "fs-1-0", List.of(7L, 4L)), dir -> writeBytes(dir, "one"));
    VersionManifest v2 =
        store.write(manifest(2, "fs-1-1", List.of(4L, 7L)), dir -> writeBytes(dir, "two"));

    String json = Files.readString(store.directory(v2).resolve(ModelStore.MANIFEST));
    assertThat(json).doesNotContain("deletedIds").contains("\"deletedCount\" : 2");
    try (var ledgers = Files.list(root.resolve("m").resolve(ManifestFile.LEDGERS))) {
      assertThat(ledgers.toList()).as("one file for one ledger").hasSize(1);
    }
    VersionManifest read = store.versions("m").get(1);
    assertThat(read.deletedIds()).hasSize(2).containsExactly(4L, 7L);
    assertThat(read.deleted().contains(7L)).isTrue();
    assertThat(read.deleted().contains(5L)).isFalse();

    store.promote(store.versions("m").get(2), Instant.parse("2026-11-29T10:00:00Z"));
    store.purge(store.versions("m").get(1), Instant.parse("2026-11-29T10:01:00Z"));
    assertThat(store.versions("m").get(1).deletedIds())
        .as("a purged version's audit record keeps its ledger")
        .containsExactly(4L, 7L);
    try (var files = Files.list(store.directory(v1))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly(ModelStore.MANIFEST);
    }
  }

  @Test
  void manifestsThatListTheLedgerStillReadAndAreRewrittenWithABitmap() throws IOException {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    VersionManifest v1 =
        store.write(manifest(1, "fs-1-0", List.of(4L, 7L)), dir -> writeBytes(dir, "one"));
    Path file = store.directory(v1).resolve(ModelStore.MANIFEST);
    String legacy =
        Files.readString(file)
            .replaceAll("\"deletedLedger\" : \"[0-9a-f]+\\.roaring\"", "\"deletedIds\" : [ 4, 7 ]")
            .replaceAll("(?m)^\\s*\"deletedCount\"\\s*:.*$\\n?", "");
    Files.writeString(file, legacy);
    deleteRecursively(root.resolve("m").resolve(ManifestFile.LEDGERS));
    assertThat(Files.readString(file)).contains("\"deletedIds\"").doesNotContain("deletedCount");

    VersionManifest read = store.versions("m").get(1);
    assertThat(read.deletedIds()).containsExactly(4L, 7L);

    store.reject(read, Instant.parse("2026-11-29T10:00:00Z"));
    assertThat(Files.readString(file)).doesNotContain("deletedIds").contains("deletedLedger");
    assertThat(store.versions("m").get(1).deletedIds()).containsExactly(4L, 7L);
  }

  @Test
  void anAlteredLedgerIsRefused() throws IOException {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    store.write(manifest(1, "fs-1-0", List.of(4L, 7L)), dir -> writeBytes(dir, "one"));
    try (var ledgers = Files.list(root.resolve("m").resolve(ManifestFile.LEDGERS))) {
      Files.write(ledgers.findFirst().orElseThrow(), new byte[] {1, 2, 3});
    }
    VersionManifest read = store.versions("m").get(1);

    assertThat(read.deletedIds()).as("the count is the manifest's").hasSize(2);
    assertThatThrownBy(() -> read.deleted().contains(4L))
        .isInstanceOf(CorruptVersionException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void aVersionSharingItsBasesParametersKeepsThemWhenTheBaseIsPurged() throws IOException {
    ModelStore store = new ModelStore(root);
    VersionManifest v0 = store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    VersionManifest v1 = store.writeSharing(candidate(1, "fs-1-0", 1), v0);

    assertThat(v1.checksum()).isEqualTo(v0.checksum());
    assertThat(v1.sizeBytes()).isEqualTo(v0.sizeBytes());
    VersionManifest promoted = store.promote(v1, Instant.parse("2026-11-29T10:00:00Z"));
    store.purge(store.versions("m").get(0), Instant.parse("2026-11-29T10:01:00Z"));

    try (var files = Files.list(store.directory(v0))) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly(ModelStore.MANIFEST);
    }
    assertThat(store.<String>load(promoted, Files::readString, ModelStoreTest::fileChecksum))
        .isEqualTo("zero");
    VersionManifest purged = store.versions("m").get(0);
    assertThatThrownBy(() -> store.writeSharing(candidate(2, "fs-1-1", 1), purged))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Three jobs, each promoted and then its predecessor purged after the grace, as the worker does;
   * returns the store.
   */
  private ModelStore historyOfThreeJobs(Instant t) throws IOException {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    for (int k = 1; k <= 3; k++) {
      VersionManifest next =
          store.write(candidate(k, "fs-" + k + "-0", 1), d -> writeBytes(d, "version"));
      store.promote(next, t.plusSeconds(10L * k));
      for (VersionManifest old : store.unpurged("m")) {
        store.purge(old, t.plusSeconds(10L * k + 5));
      }
    }
    return store;
  }

  @Test
  void aJobIsAskedAboutRecentVersionsOnlyAndStillFindsItsSettledOnes() throws IOException {
    Instant t = Instant.parse("2026-11-29T10:00:00Z");
    ModelStore store = historyOfThreeJobs(t);

    for (ModelStore asking : List.of(store, new ModelStore(root))) {
      assertThat(asking.recent("m"))
          .as("version 2 was purged after version 3 began serving: its notices may be due")
          .extracting(VersionManifest::version)
          .containsExactly(2L, 3L);
      assertThat(asking.promoted("m")).map(VersionManifest::version).contains(3L);
      assertThat(asking.latest("m")).map(VersionManifest::version).contains(3L);
      assertThat(asking.nextVersion("m")).isEqualTo(4);
      assertThat(asking.unpurged("m")).isEmpty();
      assertThat(asking.census("m"))
          .isEqualTo(Map.of(VersionStatus.PURGED, 3L, VersionStatus.PROMOTED, 1L));
      assertThat(asking.byJob("m", "fs-1-0"))
          .as("a job redelivered long after its versions were purged is still recognized")
          .map(VersionManifest::version)
          .contains(1L);
      assertThat(asking.attempts("m", "fs-1-0"))
          .singleElement()
          .extracting(VersionManifest::status)
          .isEqualTo(VersionStatus.PURGED);
      assertThat(asking.attempts("m", "fs-9-0")).isEmpty();
    }
    assertThat(store.versions("m"))
        .extracting(VersionManifest::version)
        .containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void versionsAnotherWriterStoresOrChangesAreSeen() throws IOException {
    Instant t = Instant.parse("2026-11-29T10:00:00Z");
    ModelStore worker = historyOfThreeJobs(t);
    ModelStore other = new ModelStore(root);

    VersionManifest v4 = other.write(candidate(4, "fs-4-0", 1), d -> writeBytes(d, "four"));
    assertThat(worker.latest("m")).contains(v4);
    assertThat(worker.nextVersion("m")).isEqualTo(5);
    other.promote(v4, t.plusSeconds(40));

    assertThat(worker.promoted("m")).map(VersionManifest::version).contains(4L);
    assertThat(worker.unpurged("m")).extracting(VersionManifest::version).containsExactly(3L);
    assertThat(worker.attempts("m", "fs-4-0"))
        .extracting(VersionManifest::version)
        .containsExactly(4L);
  }

  @Test
  void versionNumbersHaveNoGaps() throws IOException {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null, List.of()), dir -> writeBytes(dir, "zero"));
    store.write(candidate(1, "fs-1-0", 1), d -> writeBytes(d, "one"));

    assertThatThrownBy(() -> store.write(candidate(3, "fs-1-0", 2), d -> writeBytes(d, "three")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numbered without gaps");

    Path modelDir = root.resolve("m");
    Files.move(modelDir.resolve("v000001"), modelDir.resolve("v000002"));
    Files.writeString(
        modelDir.resolve("v000002").resolve(ModelStore.MANIFEST),
        Files.readString(modelDir.resolve("v000002").resolve(ModelStore.MANIFEST))
            .replace("\"version\" : 1", "\"version\" : 2"));
    assertThatThrownBy(() -> new ModelStore(root).promoted("m"))
        .as("a version beyond a gap would never be found by its number")
        .isInstanceOf(CorruptVersionException.class)
        .hasMessageContaining("not numbered without gaps");
  }

  @Test
  void aVersionMovedAwayIsMissingUntilItIsBackAndOneMissingBelowOthersIsAGap() throws IOException {
    ModelStore store = historyOfThreeJobs(Instant.parse("2026-11-29T10:00:00Z"));
    Path newest = store.directory(store.promoted("m").orElseThrow());
    Path away = Files.createTempDirectory(root, "away").resolve("v000003");
    Files.move(newest, away);

    assertThat(store.latest("m")).map(VersionManifest::version).contains(2L);
    assertThat(store.promoted("m")).as("version 2 was superseded").isEmpty();

    Files.move(away, newest);
    assertThat(store.promoted("m")).map(VersionManifest::version).contains(3L);

    Path middle = root.resolve("m").resolve("v000002");
    Files.move(middle, away.resolveSibling("v000002"));
    assertThatThrownBy(() -> store.latest("m"))
        .isInstanceOf(CorruptVersionException.class)
        .hasMessageContaining("not numbered without gaps");
  }

  @Test
  void aPurgedManifestNeverChanges() throws IOException {
    ModelStore store = historyOfThreeJobs(Instant.parse("2026-11-29T10:00:00Z"));
    VersionManifest purged = store.versions("m").get(1);

    assertThatThrownBy(() -> store.reject(purged, Instant.parse("2026-11-29T11:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is purged");
    assertThat(store.purge(purged, Instant.parse("2026-11-29T11:00:00Z"))).isEqualTo(purged);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
