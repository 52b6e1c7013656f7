package dev.rumstream.worker.store;

import dev.rumstream.avro.VersionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Versioned model storage on a filesystem (a persistent volume on Kubernetes): {@code
 * <root>/<model>/v<N>/} holds {@code params.bin} and {@code manifest.json}; {@code
 * <root>/<model>/ledgers/} holds the deletion ledgers the manifests name. A version is written into
 * a temporary directory, fsynced, then renamed into place in one atomic step, so a crash leaves
 * either the whole version or none of it, and two writers of the same version cannot both succeed.
 * Checksums are verified on every load.
 *
 * <p>Versions are numbered from 0 without gaps and a PURGED manifest is never rewritten, so what a
 * job asks (the promoted version, the next number, the unpurged versions, a job's attempts) is
 * answered from the versions that can still change, found by number ({@link ModelHistory}): its
 * cost does not grow with the model's history. Only {@link #versions} lists the whole history.
 */
public final class ModelStore {
  public static final String PARAMS = "params.bin";
  public static final String MANIFEST = ManifestFile.NAME;

  private final Path root;
  private final ManifestFile manifests = new ManifestFile();
  private final Map<String, ModelHistory> histories = new ConcurrentHashMap<>();

  /**
   * Writes a version's files into its (staging) directory: the parameters to {@link #PARAMS},
   * returning their checksum (hex SHA-256), and any companion files the version keeps (e.g. its
   * memorization scores).
   */
  @FunctionalInterface
  public interface ParameterWriter {
    String write(Path versionDir) throws IOException;
  }

  /** Reads verified parameters from a version's parameter file. */
  @FunctionalInterface
  public interface ParameterReader<T> {
    T read(Path file) throws IOException;
  }

  public ModelStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The ids of every model with at least one stored version. */
  public List<String> models() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .filter(model -> Files.isDirectory(versionDir(model, 0)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the models in " + root, e);
    }
  }

  /** Every stored version of a model, oldest first. */
  public List<VersionManifest> versions(String modelId) {
    Path dir = root.resolve(modelId);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<VersionManifest> manifests = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted(Comparator.comparing(Path::toString)).toList()) {
        if (ManifestFile.isVersionDirectory(child)) {
          manifests.add(this.manifests.read(child));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list the versions of model " + modelId + " in " + dir, e);
    }
    manifests.sort(Comparator.comparingLong(VersionManifest::version));
    return manifests;
  }

  /**
   * The versions a job can still be concerned with, oldest first: from the oldest one that is not
   * PURGED, or was purged after the last promotion (the notices of the forget set that purged it
   * may still be due), to the newest. Read now, so another writer's changes show; versions below
   * are settled and not read again.
   */
  public List<VersionManifest> recent(String modelId) {
    return recentOf(modelId).versions();
  }

  /** The recent versions and the number the next version gets. */
  private record Recent(List<VersionManifest> versions, long next) {}

  private Recent recentOf(String modelId) {
    ModelHistory history = histories.computeIfAbsent(modelId, m -> new ModelHistory());
    synchronized (history) {
      Deque<VersionManifest> recent = new ArrayDeque<>();
      Instant lastPromotion = Instant.MIN;
      for (long v = history.settled(); ; v++) {
        Path dir = versionDir(modelId, v);
        if (!Files.isDirectory(dir)) {
          if (v < history.seen()) {
            history.vanished(v);
          }
          break;
        }
        VersionManifest manifest = manifests.read(dir);
        history.saw(manifest);
        recent.addLast(manifest);
        if (manifest.promotedAt() != null && manifest.promotedAt().isAfter(lastPromotion)) {
          lastPromotion = manifest.promotedAt();
        }
        // Settled as soon as read, so that the first reading of a long history holds little.
        while (!recent.isEmpty() && settledBy(recent.peekFirst(), lastPromotion)) {
          recent.removeFirst();
          history.settleNext();
        }
      }
      if (!history.checked() && history.seen() > 0) {
        checkNumbering(modelId, history.seen());
        history.check();
      }
      return new Recent(List.copyOf(recent), history.seen());
    }
  }

  /** A version purged before a later one was promoted: its forget set's notices are out. */
  private static boolean settledBy(VersionManifest version, Instant lastPromotion) {
    return version.status() == VersionStatus.PURGED
        && version.statusChangedAt() != null
        && version.statusChangedAt().isBefore(lastPromotion);
  }

  /**
   * Refuses a model directory whose version numbers have a gap (versions above it would not be
   * found by number): listed once per model and store instance.
   */
  private void checkNumbering(String modelId, long found) {
    Path dir = root.resolve(modelId);
    try (Stream<Path> children = Files.list(dir)) {
      long[] numbers =
          children
              .filter(ManifestFile::isVersionDirectory)
              .mapToLong(p -> Long.parseLong(p.getFileName().toString().substring(1)))
              .toArray();
      long highest = Arrays.stream(numbers).max().orElse(-1);
      if (numbers.length != highest + 1 || highest + 1 < found) {
        throw new CorruptVersionException(
            "The versions of model "
                + modelId
                + " in "
                + dir
                + " are not numbered without gaps ("
                + numbers.length
                + " version directories up to v"
                + highest
                + "): restore the missing ones");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the versions of model " + modelId, e);
    }
  }

  public Optional<VersionManifest> latest(String modelId) {
    Recent recent = recentOf(modelId);
    if (!recent.versions().isEmpty()) {
      return Optional.of(recent.versions().get(recent.versions().size() - 1));
    }
    return recent.next() == 0 ? Optional.empty() : version(modelId, recent.next() - 1);
  }

  /**
   * The version that serves: the newest PROMOTED one (after a crash between promoting a version and
   * superseding its predecessor, two are PROMOTED for a moment; the newer one counts).
   */
  public Optional<VersionManifest> promoted(String modelId) {
    List<VersionManifest> recent = recent(modelId);
    for (int i = recent.size() - 1; i >= 0; i--) {
      if (recent.get(i).status() == VersionStatus.PROMOTED) {
        return Optional.of(recent.get(i));
      }
    }
    return Optional.empty();
  }

  /** The number the next version of a model gets: one above every version ever stored. */
  public long nextVersion(String modelId) {
    return recentOf(modelId).next();
  }

  /**
   * The version a job's promoted attempt produced, whatever happened to it since (superseded,
   * purged): a redelivered job finds it and is not applied again.
   */
  public Optional<VersionManifest> byJob(String modelId, String jobId) {
    return attempts(modelId, jobId).stream().filter(v -> v.promotedAt() != null).findFirst();
  }

  /** One stored version by its number, if it was ever written (purged ones keep their manifest). */
  public Optional<VersionManifest> version(String modelId, long version) {
    Path dir = versionDir(modelId, version);
    return Files.isDirectory(dir) ? Optional.of(manifests.read(dir)) : Optional.empty();
  }

  /**
   * Every version the attempts of a job wrote, oldest first, found by the hash of its job id among
   * every version seen (settled ones included: a job redelivered long after is still recognized).
   */
  public List<VersionManifest> attempts(String modelId, String jobId) {
    recentOf(modelId);
    ModelHistory history = histories.get(modelId);
    long[] candidates;
    synchronized (history) {
      candidates = history.maybeOfJob(jobId);
    }
    List<VersionManifest> attempts = new ArrayList<>();
    for (long number : candidates) {
      VersionManifest version = manifests.read(versionDir(modelId, number));
      if (jobId.equals(version.jobId())) {
        attempts.add(version);
      }
    }
    return attempts;
  }

  /** How many versions of the model have each status. */
  public Map<VersionStatus, Long> census(String modelId) {
    Map<VersionStatus, Long> counts = new EnumMap<>(VersionStatus.class);
    Recent recent = recentOf(modelId);
    long settled = recent.next() - recent.versions().size();
    if (settled > 0) {
      counts.put(VersionStatus.PURGED, settled);
    }
    recent.versions().forEach(v -> counts.merge(v.status(), 1L, Long::sum));
    return counts;
  }

  /**
   * Rewrites a version's manifest (a status change, the gate's verdict): written beside it, fsynced
   * and renamed over it in one atomic step, so a crash leaves the old or the new manifest. The
   * parameters and their checksum never change.
   */
  public VersionManifest update(VersionManifest changed) {
    Path dir = directory(changed);
    VersionManifest current = manifests.read(dir);
    if (current.status() == VersionStatus.PURGED) {
      throw new IllegalArgumentException(
          current.label() + " is purged: its manifest is the audit record and never changes");
    }
    if (current.version() != changed.version()
        || !Objects.equals(current.checksum(), changed.checksum())) {
      throw new IllegalArgumentException(
          "A manifest update may not change the version or its checksum: " + dir);
    }
    try {
      manifests.replace(dir, changed);
      return changed;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot update the manifest in " + dir, e);
    }
  }

  /**
   * Promotes a version: it becomes the one that serves, and every other version of the model that
   * still has parameters (the previous promoted one, version 0 included, rejected or abandoned
   * candidates) starts its purge grace at {@code at}. Idempotent.
   */
  public VersionManifest promote(VersionManifest version, Instant at) {
    VersionManifest promoted =
        version.status() == VersionStatus.PROMOTED
            ? version
            : update(version.withStatus(VersionStatus.PROMOTED, at));
    for (VersionManifest other : recent(version.modelId())) {
      if (other.version() == promoted.version() || other.supersededAt() != null) {
        continue;
      }
      switch (other.status()) {
        case PROMOTED -> update(other.withStatus(VersionStatus.SUPERSEDED, at));
        // A candidate left by a crash never served: it is rejected, and purged like the others.
        case CANDIDATE -> update(other.withStatus(VersionStatus.REJECTED, at).withSupersededAt(at));
        case REJECTED -> update(other.withSupersededAt(at));
        default -> {}
      }
    }
    return promoted;
  }

  /** Marks a candidate that failed its gate: it never serves. */
  public VersionManifest reject(VersionManifest candidate, Instant at) {
    return update(candidate.withStatus(VersionStatus.REJECTED, at));
  }

  /**
   * The versions of a model that still hold parameters although a newer version serves, oldest
   * first: superseded versions and rejected candidates. Each learned from data deleted since.
   */
  public List<VersionManifest> unpurged(String modelId) {
    return recent(modelId).stream()
        .filter(v -> v.supersededAt() != null && v.status() != VersionStatus.PURGED)
        .filter(v -> v.status() != VersionStatus.PROMOTED)
        .toList();
  }

  /**
   * Deletes every file of a version but its manifest (parameters, memorization scores), then marks
   * the manifest PURGED: it stays as the audit record. Idempotent; a crash in between is finished
   * by the next call. Refuses the version that serves.
   */
  public VersionManifest purge(VersionManifest version, Instant at) {
    if (version.status() == VersionStatus.PROMOTED) {
      throw new IllegalArgumentException(version.label() + " serves: not purging it");
    }
    Path dir = directory(version);
    VersionManifest current = manifests.read(dir);
    if (current.status() == VersionStatus.PURGED) {
      return current;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().equals(MANIFEST)) {
          Files.deleteIfExists(file);
        }
      }
      ManifestFile.fsync(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot purge " + dir, e);
    }
    return update(version.withStatus(VersionStatus.PURGED, at));
  }

  public Path parameters(VersionManifest version) {
    return directory(version).resolve(PARAMS);
  }

  /** The directory of a stored version (its parameters, manifest and companion files). */
  public Path directory(VersionManifest version) {
    return versionDir(version.modelId(), version.version());
  }

  /** Where version {@code version} of a model is (or would be) stored. */
  public Path versionDir(String modelId, long version) {
    return root.resolve(modelId).resolve(String.format("v%06d", version));
  }

  /**
   * Stores a new version. Fails with {@link VersionConflictException} when that version already
   * exists (another writer was first), and with {@link CorruptVersionException} if the parameters
   * do not match their checksum after writing.
   */
  public VersionManifest write(VersionManifest manifest, ParameterWriter parameters) {
    Path modelDir = root.resolve(manifest.modelId());
    Path target = versionDir(manifest.modelId(), manifest.version());
    if (manifest.version() > 0
        && !Files.isDirectory(versionDir(manifest.modelId(), manifest.version() - 1))) {
      throw new IllegalArgumentException(
          manifest.label()
              + " cannot be stored before version "
              + (manifest.version() - 1)
              + ": versions are numbered without gaps");
    }
    Path staging = modelDir.resolve(".staging-" + manifest.version() + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(staging);
      Path params = staging.resolve(PARAMS);
      String checksum = parameters.write(staging);
      VersionManifest complete = manifest.withFile(checksum, Files.size(params));
      manifests.write(staging, complete);
      try (Stream<Path> files = Files.list(staging)) {
        for (Path file : files.toList()) {
          ManifestFile.fsync(file);
        }
      }
      ManifestFile.fsync(staging);
      if (Files.exists(target)) {
        throw new VersionConflictException(target + " already exists");
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      ManifestFile.fsync(modelDir);
      return complete;
    } catch (FileAlreadyExistsException e) {
      throw new VersionConflictException(target + " already exists");
    } catch (AtomicMoveNotSupportedException e) {
      throw new IllegalStateException(
          "The model store at "
              + root
              + " cannot rename atomically: use a local or "
              + "POSIX filesystem",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write " + manifest.label().toLowerCase(Locale.ROOT) + " under " + root, e);
    } finally {
      deleteQuietly(staging);
    }
  }

  /**
   * Stores a new version whose parameters are those of {@code from}, a stored version of the same
   * model (a job that changed nothing), without writing them again: the file is hard-linked (copied
   * where the filesystem cannot link). Each version keeps its own directory entry, so purging one
   * never takes the parameters of the other.
   */
  public VersionManifest writeSharing(VersionManifest manifest, VersionManifest from) {
    if (!from.modelId().equals(manifest.modelId()) || from.status() == VersionStatus.PURGED) {
      throw new IllegalArgumentException(
          from.label() + " cannot lend its parameters to " + manifest.label());
    }
    Path source = parameters(from);
    if (!Files.isRegularFile(source)) {
      throw new CorruptVersionException(from.label() + " has no parameter file at " + source);
    }
    return write(
        manifest,
        staging -> {
          Path target = staging.resolve(PARAMS);
          try {
            Files.createLink(target, source);
          } catch (UnsupportedOperationException | IOException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
          }
          return from.checksum();
        });
  }

  /**
   * Copies a stored version of another store, with all its files, into this one (a cached original
   * model into the store a run unlearns in, so the cache itself never changes) and returns it as
   * stored here. Goes through {@link #write}, so the copy is as atomic as any other version and is
   * verified when loaded.
   */
  public VersionManifest copyFrom(ModelStore other, VersionManifest version) {
    Path from = other.directory(version);
    return write(
        version,
        staging -> {
          try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
              if (!file.getFileName().toString().equals(MANIFEST)) {
                Files.copy(file, staging.resolve(file.getFileName()));
              }
            }
          }
          return version.checksum();
        });
  }

  /**
   * Loads a version's parameters after checking the file against the manifest's checksum; a
   * mismatch, a truncated or a missing file is refused with {@link CorruptVersionException}.
   */
  public <T> T load(VersionManifest version, ParameterReader<T> reader, ChecksumReader checksums) {
    if (version.status() == VersionStatus.PURGED) {
      throw new PurgedVersionException(
          version.label()
              + " was purged at "
              + version.statusChangedAt()
              + ": it learned from data deleted since, and its parameters no longer exist");
    }
    Path file = parameters(version);
    try {
      if (!Files.isRegularFile(file)) {
        throw new CorruptVersionException(version.label() + " has no parameter file at " + file);
      }
      String recorded = checksums.checksum(file);
      if (!recorded.equalsIgnoreCase(version.checksum())) {
        throw new CorruptVersionException(
            version.label()
                + ": the parameter file's checksum "
                + recorded
                + " is not the manifest's "
                + version.checksum());
      }
      return reader.read(file);
    } catch (IOException e) {
      throw new CorruptVersionException(
          version.label() + " cannot be read from " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the checksum a parameter file carries. */
  @FunctionalInterface
  public interface ChecksumReader {
    String checksum(Path file) throws IOException;
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover staging directory is never read (it does not match v<N>), so failing to remove
      // it is harmless.
    }
  }
}
