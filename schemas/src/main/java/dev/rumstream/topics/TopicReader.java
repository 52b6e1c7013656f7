package dev.rumstream.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic from its beginning up to its end at the time of the call. */
public final class TopicReader {
  private TopicReader() {}

  /** Hands every record of every partition to {@code each}, each partition in offset order. */
  public static <K, V> void readToEnd(
      KafkaConsumer<K, V> consumer, String topic, Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
      consumer.poll(Duration.ofMillis(500)).forEach(each);
    }
  }
}
