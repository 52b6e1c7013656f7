package dev.rumstream.worker;

import dev.rumstream.worker.store.VersionManifest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The model that serves, kept in memory between jobs so a job does not load it from the store
 * again, with the predictions its measurement made when they are at hand (so a job that leaves the
 * parameters as they are need not predict them again). The store stays the source of truth: an
 * entry is used only for the version (and checksum) the store's manifest names, and it is dropped
 * on any failed job and whenever partitions move. Used by the job thread only; {@link #invalidate}
 * may come from any thread and takes effect there at the next use, so a model is never closed under
 * a running job.
 *
 * @param <M> the model type ({@code Classifier}; plain values in tests)
 * @param <P> the predictions' type ({@code EvaluationPredictions}; plain values in tests)
 */
final class ModelCache<M, P> implements AutoCloseable {
  /** What an entry is: a version's parameters, by the checksum its manifest records. */
  record Key(String modelId, long version, String checksum) {
    static Key of(VersionManifest version) {
      return new Key(version.modelId(), version.version(), version.checksum());
    }
  }

  private final UnaryOperator<M> copy;
  private final Consumer<M> close;
  private final AtomicBoolean invalid = new AtomicBoolean();
  private Key key;
  private M model;
  private P predictions;

  ModelCache(UnaryOperator<M> copy, Consumer<M> close) {
    this.copy = copy;
    this.close = close;
  }

  /**
   * A copy of the version's model that the caller owns and may change: from memory when it is the
   * cached version, otherwise loaded, and then cached (without predictions).
   */
  M copyOf(VersionManifest version, Supplier<M> load) {
    Key wanted = Key.of(version);
    if (!wanted.equals(current())) {
      clear();
      M loaded = load.get();
      key = wanted;
      model = loaded;
    }
    return copy.apply(model);
  }

  /** Whether the version's model is in memory now. */
  boolean holds(VersionManifest version) {
    return Key.of(version).equals(current());
  }

  /** The predictions kept with the version's model, if it is the cached version and has them. */
  Optional<P> predictions(VersionManifest version) {
    return holds(version) ? Optional.ofNullable(predictions) : Optional.empty();
  }

  /**
   * Keeps a copy of a version's model (the caller keeps its own), e.g. the one just promoted, with
   * the predictions its measurement made (null when it made none).
   */
  void keep(VersionManifest version, M source, P measured) {
    clear();
    model = copy.apply(source);
    predictions = measured;
    key = Key.of(version);
  }

  /** Drops the entry at its next use (from any thread: a rebalance). */
  void invalidate() {
    invalid.set(true);
  }

  /** Drops the entry now (on the job thread: a failed job). */
  void clear() {
    if (model != null) {
      close.accept(model);
    }
    model = null;
    predictions = null;
    key = null;
  }

  @Override
  public void close() {
    clear();
  }

  private Key current() {
    if (invalid.getAndSet(false)) {
      clear();
    }
    return key;
  }
}
