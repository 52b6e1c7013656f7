package dev.rumstream.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line when a store starts restoring records from its changelog and one when it is done, with the
 * records and the time (nothing for a store that had nothing to restore): after a crash the app is
 * not ready until its stores are restored, and this says what it is waiting for (Kafka's own
 * restore lines are below the WARN level the app logs).
 */
final class RestoreLog implements StateRestoreListener {
  private static final Logger log = LoggerFactory.getLogger(RestoreLog.class);

  private final Map<TopicPartition, Long> startedAt = new ConcurrentHashMap<>();

  @Override
  public void onRestoreStart(
      TopicPartition partition, String store, long startingOffset, long endingOffset) {
    startedAt.put(partition, System.nanoTime());
    if (endingOffset <= startingOffset) {
      return;
    }
    log.info(
        "Restoring store {} from {}: up to {} records",
        store,
        partition,
        endingOffset - startingOffset);
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String store, long batchEndOffset, long numRestored) {}

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    Long started = startedAt.remove(partition);
    if (totalRestored == 0) {
      return;
    }
    log.info(
        "Restored store {} from {}: {} records in {} ms",
        store,
        partition,
        totalRestored,
        started == null ? -1 : (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    startedAt.remove(partition);
  }
}
