package dev.rumstream.worker;

import dev.rumstream.avro.ModelVersion;
import dev.rumstream.avro.VersionStatus;
import dev.rumstream.engine.store.ModelFiles;
import dev.rumstream.topics.TopicReader;
import dev.rumstream.worker.store.ModelStore;
import dev.rumstream.worker.store.VersionManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The store answers to the announcements: before a model's job runs, the version the store says
 * serves must be the newest one {@code model-versions} announced PROMOTED, with intact parameters.
 * Otherwise (a version directory moved away, a file truncated) the model's jobs stop with the
 * reason: applying them to an older version would reuse its version number and drop the lost
 * version's deletions from the ledger. It recovers when the files are restored.
 */
final class StoreCheck {
  private final ModelStore store;
  private final Map<String, Long> announced = new ConcurrentHashMap<>();

  StoreCheck(ModelStore store) {
    this.store = store;
  }

  /** Reads every PROMOTED announcement on {@code model-versions}, up to its current end. */
  void readAnnouncements(KafkaConsumer<String, ModelVersion> consumer, String topic) {
    TopicReader.readToEnd(
        consumer,
        topic,
        record -> {
          ModelVersion version = record.value();
          if (version != null && version.getStatus() == VersionStatus.PROMOTED) {
            announced(version.getModelId(), version.getVersion());
          }
        });
  }

  /** This worker announced a promoted version. */
  void announced(String model, long version) {
    announced.merge(model, version, Math::max);
  }

  /** Why the model's jobs cannot run on its store now, if they cannot. */
  Optional<String> problem(String model) {
    Optional<VersionManifest> promoted = store.promoted(model);
    Long expected = announced.get(model);
    if (promoted.isEmpty()) {
      return Optional.of(
          "the store at "
              + store.root().resolve(model)
              + " has no promoted version of "
              + model
              + (expected == null ? "" : " (version " + expected + " was announced PROMOTED)")
              + ": restore its files");
    }
    VersionManifest serving = promoted.get();
    if (expected != null && expected > serving.version()) {
      return Optional.of(
          "version "
              + expected
              + " of "
              + model
              + " was announced PROMOTED but the store's promoted version is "
              + serving.version()
              + ": restore "
              + store.root().resolve(model)
              + String.format("/v%06d", expected));
    }
    Path parameters = store.parameters(serving);
    String damage;
    try {
      damage =
          !Files.isRegularFile(parameters)
              ? "are missing"
              : ModelFiles.verify(parameters).equalsIgnoreCase(serving.checksum())
                  ? null
                  : "are not the ones its manifest records";
    } catch (IOException | RuntimeException e) {
      damage = "do not match their checksum (" + e.getMessage() + ")";
    }
    return damage == null
        ? Optional.empty()
        : Optional.of(
            "the parameters of version "
                + serving.version()
                + " of "
                + model
                + " "
                + damage
                + ": restore "
                + parameters);
  }
}
