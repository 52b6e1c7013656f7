package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.worker.store.VersionManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The model kept between jobs: used only for the version the store names, dropped when told. */
class ModelCacheTest {
  private final List<String> closed = new ArrayList<>();
  private final ModelCache<String, String> cache = new ModelCache<>(m -> m + "'", closed::add);
  private final AtomicInteger loads = new AtomicInteger();

  private static VersionManifest version(long number, String checksum) {
    VersionManifest v0 =
        VersionManifest.original(
            "m",
            Map.of(),
            "fashion-mnist",
            60_000,
            "SMALL_CNN",
            Instant.parse("2026-11-29T08:00:00Z"),
            "cpu",
            new VersionManifest.Evidence(null, 0.9, 0.88, null, null, 0, 60_000, 0));
    return new VersionManifest(
        "m",
        number,
        null,
        null,
        null,
        null,
        null,
        Map.of(),
        List.of(),
        List.of(),
        List.of(),
        v0.datasetId(),
        v0.datasetSize(),
        v0.architecture(),
        checksum,
        1,
        v0.createdAt(),
        "cpu",
        v0.evidence(),
        v0.status(),
        v0.statusChangedAt(),
        v0.promotedAt(),
        null,
        null,
        1,
        false);
  }

  private String load(String model) {
    loads.incrementAndGet();
    return model;
  }

  @Test
  void loadsAVersionOnceAndHandsOutCopies() {
    VersionManifest v3 = version(3, "aa");

    assertThat(cache.copyOf(v3, () -> load("v3"))).isEqualTo("v3'");
    assertThat(cache.copyOf(v3, () -> load("v3"))).isEqualTo("v3'");
    assertThat(loads).hasValue(1);
    assertThat(cache.holds(v3)).isTrue();
  }

  @Test
  void anotherVersionOrChecksumIsLoadedFromTheStoreAndTheOldEntryClosed() {
    cache.copyOf(version(3, "aa"), () -> load("v3"));

    assertThat(cache.copyOf(version(3, "bb"), () -> load("v3 restored"))).isEqualTo("v3 restored'");
    assertThat(cache.copyOf(version(4, "bb"), () -> load("v4"))).isEqualTo("v4'");
    assertThat(loads).hasValue(3);
    assertThat(closed).containsExactly("v3", "v3 restored");
  }

  @Test
  void aKeptModelServesTheNextJobWithoutALoad() {
    VersionManifest v4 = version(4, "cc");
    cache.copyOf(version(3, "aa"), () -> load("v3"));

    cache.keep(v4, "v4", "v4 predictions");

    assertThat(cache.copyOf(v4, () -> load("v4 from the store"))).isEqualTo("v4''");
    assertThat(loads).hasValue(1);
    assertThat(closed).containsExactly("v3");
  }

  @Test
  void predictionsServeOnlyTheVersionTheyWereKeptWith() {
    VersionManifest v4 = version(4, "cc");
    cache.keep(v4, "v4", "v4 predictions");

    assertThat(cache.predictions(v4)).contains("v4 predictions");
    assertThat(cache.predictions(version(4, "dd"))).isEmpty();
    assertThat(cache.predictions(version(5, "cc"))).isEmpty();

    cache.copyOf(version(5, "ee"), () -> load("v5"));
    assertThat(cache.predictions(version(5, "ee"))).as("a loaded model has none").isEmpty();
  }

  @Test
  void predictionsAreDroppedWithTheirModel() {
    VersionManifest v4 = version(4, "cc");
    cache.keep(v4, "v4", "v4 predictions");

    cache.invalidate();

    assertThat(cache.predictions(v4)).isEmpty();
    cache.keep(v4, "v4", "v4 predictions");
    cache.clear();
    assertThat(cache.predictions(v4)).isEmpty();
  }

  @Test
  void anInvalidatedEntryIsDroppedAtItsNextUse() {
    VersionManifest v3 = version(3, "aa");
    cache.copyOf(v3, () -> load("v3"));

    cache.invalidate();
    assertThat(closed).as("not under a running job").isEmpty();

    assertThat(cache.holds(v3)).isFalse();
    assertThat(closed).containsExactly("v3");
    cache.copyOf(v3, () -> load("v3"));
    assertThat(loads).hasValue(2);
  }

  @Test
  void clearingClosesTheEntry() {
    cache.copyOf(version(3, "aa"), () -> load("v3"));

    cache.clear();

    assertThat(closed).containsExactly("v3");
    assertThat(cache.holds(version(3, "aa"))).isFalse();
  }
}
