package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionRequest;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A deletion request as read, with the bytes it was read from: a rejected request goes to the
 * dead-letter topic as it arrived, not as this application would write it again.
 */
record ReceivedRequest(DeletionRequest request, byte[] bytes) {

  /**
   * Reads a request with {@code requests} and keeps its bytes. A record without a value stays null
   * (a tombstone, rejected by the intake); one that cannot be read fails here, so the
   * deserialization exception handler dead-letters it.
   */
  static Deserializer<ReceivedRequest> deserializer(Deserializer<DeletionRequest> requests) {
    return new Deserializer<>() {
      @Override
      public ReceivedRequest deserialize(String topic, byte[] data) {
        return data == null ? null : new ReceivedRequest(requests.deserialize(topic, data), data);
      }

      @Override
      public ReceivedRequest deserialize(String topic, Headers headers, byte[] data) {
        return data == null
            ? null
            : new ReceivedRequest(requests.deserialize(topic, headers, data), data);
      }
    };
  }
}
