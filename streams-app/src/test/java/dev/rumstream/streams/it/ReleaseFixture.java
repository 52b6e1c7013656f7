package dev.rumstream.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumstream.serde.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What an earlier release left behind, replayed for the application of a {@link PipelineHarness}:
 * every topic of its run (records, read committed), its group's committed offsets, the schemas its
 * records name and its state directory, as {@code scripts/upgrade-fixture.sh} wrote them from a
 * checkout of that release (test resources {@code upgrade/<release>/}).
 *
 * <p>Names carry the run's suffix, which becomes the harness's. Records are written again in their
 * order, so offsets close up where the release's transaction markers were: committed offsets are
 * translated to the same positions. Timestamps move forward by the fixture's age (the broker's time
 * retention would otherwise drop the old records); the state itself carries its own times. Schema
 * ids in values are rewritten to the ids the same schemas get from this registry.
 */
final class ReleaseFixture {
  private final String release;
  private final JsonNode kafka;

  private ReleaseFixture(String release, JsonNode kafka) {
    this.release = release;
    this.kafka = kafka;
  }

  static ReleaseFixture read(String release) throws IOException {
    try (InputStream in = new GZIPInputStream(resource(release, "kafka.json.gz"))) {
      return new ReleaseFixture(release, new ObjectMapper().readTree(in));
    }
  }

  /**
   * The values the release wrote to {@code topic} (its name without the run's suffix), read with
   * the schemas it wrote them with into this release's classes.
   */
  <T> List<T> values(String topic, Class<T> type) throws IOException {
    Schema reader = SpecificData.get().getSchema(type);
    List<T> values = new ArrayList<>();
    for (JsonNode t : kafka.get("topics")) {
      if (!t.get("name").asText().equals(topic + "-" + kafka.get("run").asText())) {
        continue;
      }
      for (JsonNode r : t.get("records")) {
        byte[] value = bytes(r.get("value"));
        Schema writer = schema(ByteBuffer.wrap(value, 1, 4).getInt());
        values.add(
            new SpecificDatumReader<T>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null)));
      }
    }
    return values;
  }

  private Schema schema(int id) {
    JsonNode text = kafka.get("schemas").get(Integer.toString(id));
    if (text == null) {
      throw notHeld(id);
    }
    return new Schema.Parser().parse(text.asText());
  }

  /**
   * Writes the release's topics, offsets and schemas for the harness's application, and unpacks its
   * state directory into the harness's, before the application starts.
   */
  void replay(PipelineHarness harness) throws Exception {
    String oldRun = kafka.get("run").asText();
    String appId = harness.values().get("application.id");
    String newRun = appId.substring(appId.lastIndexOf('-') + 1);
    Map<Integer, Integer> ids = registerSchemas(harness.registry);
    long shift =
        System.currentTimeMillis()
            - kafka.findValues("timestamp").stream()
                .mapToLong(JsonNode::asLong)
                .max()
                .orElseThrow();
    Map<String, Object> client = harness.environment.clientConfig();
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    try (Admin admin = Admin.create(client);
        KafkaProducer<byte[], byte[]> producer = producer(client)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (JsonNode t : kafka.get("topics")) {
        String name = t.get("name").asText().replace(oldRun, newRun);
        if (!existing.contains(name)) {
          missing.add(
              new NewTopic(name, t.get("partitions").asInt(), (short) 1)
                  .configs(Map.of("cleanup.policy", t.get("cleanupPolicy").asText())));
        }
      }
      admin.createTopics(missing).all().get();
      for (JsonNode t : kafka.get("topics")) {
        String oldName = t.get("name").asText();
        String name = oldName.replace(oldRun, newRun);
        boolean avro = t.get("avroValues").asBoolean();
        Map<Integer, Long> written = new HashMap<>();
        for (JsonNode r : t.get("records")) {
          int partition = r.get("partition").asInt();
          long offset = r.get("offset").asLong();
          JsonNode committedAt = kafka.get("groupOffsets").get(oldName + ":" + partition);
          if (committedAt != null && offset < committedAt.asLong()) {
            written.merge(partition, 1L, Long::sum);
          }
          byte[] value = bytes(r.get("value"));
          ProducerRecord<byte[], byte[]> record =
              new ProducerRecord<>(
                  name,
                  partition,
                  r.get("timestamp").asLong() + shift,
                  bytes(r.get("key")),
                  avro ? withSchemaIds(value, ids) : value);
          r.get("headers")
              .fields()
              .forEachRemaining(h -> record.headers().add(h.getKey(), bytes(h.getValue())));
          producer.send(record);
        }
        for (int p = 0; p < t.get("partitions").asInt(); p++) {
          if (kafka.get("groupOffsets").has(oldName + ":" + p)) {
            committed.put(
                new TopicPartition(name, p), new OffsetAndMetadata(written.getOrDefault(p, 0L)));
          }
        }
      }
      producer.flush();
      admin.alterConsumerGroupOffsets(appId, committed).all().get();
    }
    unpackStateDir(Path.of(harness.values().get("state.dir")), "rumstream-it-" + oldRun, appId);
  }

  private Map<Integer, Integer> registerSchemas(RegistryClient registry) {
    Map<Integer, Integer> ids = new HashMap<>();
    kafka
        .get("schemas")
        .fields()
        .forEachRemaining(
            e -> {
              int old = Integer.parseInt(e.getKey());
              ids.put(old, registry.register("upgrade-" + release + "-" + old, schema(old)));
            });
    return ids;
  }

  private static byte[] withSchemaIds(byte[] value, Map<Integer, Integer> ids) {
    if (value == null || value.length < 5 || value[0] != 0) {
      return value;
    }
    int old = ByteBuffer.wrap(value, 1, 4).getInt();
    Integer now = ids.get(old);
    if (now == null) {
      throw notHeld(old);
    }
    byte[] patched = value.clone();
    ByteBuffer.wrap(patched, 1, 4).putInt(now);
    return patched;
  }

  private void unpackStateDir(Path stateDir, String oldAppDir, String appDir) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(resource(release, "state-dir.zip"))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        String name = entry.getName().replaceFirst("^(\\./)?" + oldAppDir, appDir);
        Path target = stateDir.resolve(name).normalize();
        if (!target.startsWith(stateDir)) {
          throw new IOException("zip entry outside the state directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(zip, target);
        }
      }
    }
  }

  private static IllegalStateException notHeld(int schemaId) {
    return new IllegalStateException(
        "the fixture names schema " + schemaId + " but does not hold it");
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.remove("schema.registry.url");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] bytes(JsonNode base64) {
    return base64 == null || base64.isNull() ? null : Base64.getDecoder().decode(base64.asText());
  }

  private static InputStream resource(String release, String name) throws IOException {
    InputStream in = ReleaseFixture.class.getResourceAsStream("/upgrade/" + release + "/" + name);
    if (in == null) {
      throw new IOException("no test resource upgrade/" + release + "/" + name);
    }
    return in;
  }
}
