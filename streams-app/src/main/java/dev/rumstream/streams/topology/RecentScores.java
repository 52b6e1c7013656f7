package dev.rumstream.streams.topology;

import dev.rumstream.avro.MemorizationScore;
import dev.rumstream.topics.Keys;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Memorization scores read from the global store, kept for {@link #TTL}: a close looks up every
 * example of its set, and a model's scores change only when it is retrained, so a set that closes
 * within seconds of a retrain may still be refined by the scores before it. Only scores found are
 * kept (an example scored a moment later is seen at once). One per processor: not thread-safe.
 */
final class RecentScores {
  static final Duration TTL = Duration.ofSeconds(10);

  private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<MemorizationScore>> store;
  private final Map<String, Map<Long, MemorizationScore>> byModel = new HashMap<>();
  private long readSince = Long.MIN_VALUE;

  RecentScores(ReadOnlyKeyValueStore<String, ValueAndTimestamp<MemorizationScore>> store) {
    this.store = store;
  }

  /** The example's score, or null when it has none. */
  MemorizationScore get(String modelId, long exampleId, long now) {
    if (readSince == Long.MIN_VALUE || now - readSince >= TTL.toMillis()) {
      byModel.clear();
      readSince = now;
    }
    Map<Long, MemorizationScore> scores = byModel.computeIfAbsent(modelId, m -> new HashMap<>());
    MemorizationScore score = scores.get(exampleId);
    if (score == null) {
      ValueAndTimestamp<MemorizationScore> stored = store.get(Keys.score(modelId, exampleId));
      score = stored == null ? null : stored.value();
      if (score != null) {
        scores.put(exampleId, score);
      }
    }
    return score;
  }
}
