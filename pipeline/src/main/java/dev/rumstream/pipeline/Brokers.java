package dev.rumstream.pipeline;

import dev.rumstream.localstack.EmbeddedKafka;
import dev.rumstream.localstack.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka broker and schema registry a pipeline runs on: given ones, or the in-JVM ones of the
 * local stack for whichever is not given. Closing stops those started here.
 *
 * @param brokerInJvm whether the broker is this JVM's own (so nobody else's records are on it)
 * @param started what was started here, in order; closing stops it in reverse
 */
public record Brokers(
    String bootstrapServers, String registryUrl, boolean brokerInJvm, List<AutoCloseable> started)
    implements AutoCloseable {

  public Brokers {
    started = List.copyOf(started);
  }

  /** The given ones; a null one is started in this JVM (the broker's data under {@code dir}). */
  public static Brokers givenOrInJvm(String bootstrapServers, String registryUrl, Path dir) {
    List<AutoCloseable> started = new ArrayList<>();
    String broker = bootstrapServers;
    String registry = registryUrl;
    if (broker == null) {
      EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
      started.add(kafka);
      broker = kafka.bootstrapServers();
    }
    if (registry == null) {
      EmbeddedSchemaRegistry schemas = EmbeddedSchemaRegistry.start(0);
      started.add(schemas);
      registry = schemas.url();
    }
    return new Brokers(broker, registry, bootstrapServers == null, started);
  }

  @Override
  public void close() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }
}
