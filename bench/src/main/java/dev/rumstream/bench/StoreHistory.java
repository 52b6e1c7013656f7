package dev.rumstream.bench;

import dev.rumstream.avro.VersionStatus;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the model store's questions cost a job as the model's history grows: a store with a history
 * of N versions (all purged but the last job's, as after N / 3 forget sets), then, per round, the
 * questions a job asks of it, next to one listing of the whole history.
 */
@Command(
    name = "store-history",
    mixinStandardHelpOptions = true,
    description =
        "Times the model store's questions a job asks (its earlier attempts, the promoted version,"
            + " the next number, the unpurged versions, the census) and one listing of every"
            + " version, for stores with a history of each --histories length.")
public final class StoreHistory implements Callable<Integer> {
  private static final String MODEL = "m";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Option(
      names = "--histories",
      split = ",",
      description = "history lengths, versions; default ${DEFAULT-VALUE}")
  private List<Integer> histories = List.of(1_000, 10_000, 50_000);

  @Option(names = "--rounds", description = "timed rounds per history; default ${DEFAULT-VALUE}")
  private int rounds = 7;

  @Option(
      names = "--dir",
      description = "where the stores are built (deleted after); default a temporary directory")
  private Path dir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StoreHistory()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Path base = dir == null ? Files.createTempDirectory("store-history") : dir;
    System.out.printf(Locale.ROOT, "load average %s%n", Machine.loadAverage());
    try {
      for (int length : histories) {
        Path root = base.resolve("h" + length);
        long built = System.nanoTime();
        build(root, length);
        System.out.printf(
            Locale.ROOT,
            "history of %,d versions built in %.1f s%n",
            length,
            (System.nanoTime() - built) / 1e9);
        long started = System.nanoTime();
        ModelStore store = new ModelStore(root);
        store.promoted(MODEL);
        double firstUse = (System.nanoTime() - started) / 1e6;
        double[] job = new double[rounds];
        double[] listing = new double[rounds];
        for (int round = 0; round < rounds; round++) {
          job[round] = millis(() -> aJobsQuestions(store, "job-new"));
          listing[round] = millis(() -> store.versions(MODEL));
        }
        System.out.printf(
            Locale.ROOT,
            "  %,d versions: first use %.0f ms; a job's questions median %.2f ms (min %.2f, max"
                + " %.2f); one listing of every version median %.1f ms (min %.1f, max %.1f)%n",
            length,
            firstUse,
            median(job),
            Arrays.stream(job).min().orElse(0),
            Arrays.stream(job).max().orElse(0),
            median(listing),
            Arrays.stream(listing).min().orElse(0),
            Arrays.stream(listing).max().orElse(0));
        deleteRecursively(root);
      }
    } finally {
      if (dir == null) {
        deleteRecursively(base);
      }
    }
    System.out.printf(Locale.ROOT, "load average %s%n", Machine.loadAverage());
    return 0;
  }

  /** The questions a job and its publication ask the store (JobApplier, Purge, Publisher). */
  private static void aJobsQuestions(ModelStore store, String jobId) {
    store.byJob(MODEL, jobId);
    store.promoted(MODEL);
    store.attempts(MODEL, jobId);
    store.nextVersion(MODEL);
    store.recent(MODEL);
    store.unpurged(MODEL);
    store.attempts(MODEL, jobId);
    store.unpurged(MODEL);
    store.recent(MODEL);
    Map<VersionStatus, Long> census = store.census(MODEL);
    if (census.values().stream().mapToLong(Long::longValue).sum() != store.nextVersion(MODEL)) {
      throw new IllegalStateException("the census misses versions: " + census);
    }
  }

  /**
   * Versions 0 to length - 1: every one but the last three written, promoted and purged through the
   * store once, then copied by number (the store's own writes fsync every file, hours for a long
   * history); the last three written through the store as the last job leaves them.
   */
  private static void build(Path root, int length) throws IOException {
    ModelStore store = new ModelStore(root);
    store.write(manifest(0, null), d -> params(d, 0));
    VersionManifest v1 = store.write(manifest(1, "job-1"), d -> params(d, 1));
    store.promote(v1, at(1));
    store.purge(store.version(MODEL, 0).orElseThrow(), at(1));
    VersionManifest v2 = store.write(manifest(2, "job-2"), d -> params(d, 2));
    store.promote(v2, at(2));
    // Version 1 as a job leaves it: superseded, then purged; the template of the copies.
    String purged =
        Files.readString(store.directory(store.purge(v1, at(2))).resolve(ModelStore.MANIFEST));
    int copied = Math.max(0, length - 3);
    for (long v = 2; v < copied; v++) {
      Path target = store.versionDir(MODEL, v);
      deleteRecursively(target);
      Files.createDirectories(target);
      Files.writeString(
          target.resolve(ModelStore.MANIFEST),
          purged
              .replace("\"version\" : 1,", "\"version\" : " + v + ",")
              .replace("\"parentVersion\" : 0,", "\"parentVersion\" : " + (v - 1) + ",")
              .replace("\"job-1\"", "\"job-" + v + "\""),
          StandardCharsets.UTF_8);
    }
    ModelStore tail = new ModelStore(root);
    for (long v = Math.max(copied, 3); v < length; v++) {
      VersionManifest next = tail.write(manifest(v, "job-" + v), d -> params(d, 0));
      tail.promote(next, at(v));
      for (VersionManifest old : tail.unpurged(MODEL)) {
        tail.purge(old, at(v).plusSeconds(5));
      }
    }
  }

  private static Instant at(long version) {
    return START.plus(Duration.ofSeconds(10 * version));
  }

  private static VersionManifest manifest(long version, String jobId) {
    Instant created = at(version);
    return new VersionManifest(
        MODEL,
        version,
        version == 0 ? null : version - 1,
        jobId,
        jobId == null ? null : "set-" + version / 3,
        jobId == null ? null : "MEDIUM",
        jobId == null ? null : "FINE_TUNE",
        Map.of("lr", "0.1", "epochs", "10"),
        LongStream.range(0, 60).mapToObj(i -> "request-" + version + "-" + i).toList(),
        LongStream.range(0, 60).map(i -> version * 60 + i).boxed().toList(),
        LongStream.range(0, Math.min(60 * version, 59_000)).boxed().toList(),
        "fashion-mnist",
        60_000,
        "SMALL_CNN",
        null,
        0,
        created,
        "cpu",
        new VersionManifest.Evidence(0.5, 0.9, 0.88, 0.4, 0.5, null, 60, 59_000, 1200L, 990, 2000),
        version == 0 ? VersionStatus.PROMOTED : VersionStatus.CANDIDATE,
        created,
        version == 0 ? created : null,
        null,
        null,
        1,
        false);
  }

  private static String params(Path dir, long version) throws IOException {
    byte[] bytes = ("parameters " + version).getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve(ModelStore.PARAMS), bytes);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double millis(Runnable work) {
    long started = System.nanoTime();
    work.run();
    return (System.nanoTime() - started) / 1e6;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
