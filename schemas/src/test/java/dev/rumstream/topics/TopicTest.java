package dev.rumstream.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rumstream.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicTest {
  @Test
  void everyTopicHasItsOwnSettingAndName() {
    assertThat(Topic.all()).hasSize(9);
    assertThat(Topic.all().stream().map(Topic::nameKey)).doesNotHaveDuplicates();
    assertThat(Topic.all().stream().map(Topic::defaultName)).doesNotHaveDuplicates();
    assertThat(Topic.DELETION_REQUESTS.nameKey()).isEqualTo("rumstream.topic.deletion.requests");
    assertThat(Topic.DELETION_REQUESTS_DLQ.nameKey())
        .isEqualTo("rumstream.topic.deletion.requests.dlq");
  }

  @Test
  void namesComeFromSettingsOrDefaults() {
    TopicNames names = TopicNames.of(Map.of("rumstream.topic.unlearn.jobs", "jobs-eu"));
    assertThat(names.name(Topic.UNLEARN_JOBS)).isEqualTo("jobs-eu");
    assertThat(names.name(Topic.FORGET_SETS)).isEqualTo("forget-sets");
    assertThat(TopicNames.of(TopicNames.suffixedSettings("-t1")).name(Topic.MODEL_VERSIONS))
        .isEqualTo("model-versions-t1");
  }

  @Test
  void keysArePlainStringsAndValuesUseTheConfiguredSerde() {
    assertThat(Topic.DELETION_REQUESTS.keySerde().getClass()).isEqualTo(Serdes.String().getClass());
    Map<String, Object> clients = Map.of("schema.registry.url", "http://127.0.0.1:1");
    assertThat(Topic.DELETION_REQUESTS.valueSerde(clients)).isInstanceOf(SpecificAvroSerde.class);
    assertThat(Topic.DELETION_REQUESTS_DLQ.valueSerde(clients).getClass())
        .isEqualTo(Serdes.ByteArray().getClass());
    Map<String, Object> unknownSerde =
        Map.of(
            "schema.registry.url",
            "http://127.0.0.1:1",
            Topic.VALUE_SERDE_KEY,
            "com.example.NoSuchSerde");
    assertThatThrownBy(() -> Topic.DELETION_REQUESTS.valueSerde(unknownSerde))
        .isInstanceOf(KafkaException.class)
        .hasMessageContaining("com.example.NoSuchSerde");
  }
}
