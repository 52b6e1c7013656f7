package dev.rumstream.streams.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A named child of a processor that takes values of one type. A processor with several outputs
 * forwards each record to one child by name; declaring the child with its value type keeps every
 * edge of the topology typed, where one untyped output would need the children to sort the values
 * by class again.
 *
 * @param name the node name of the child, as the topology adds it
 */
record Output<V>(String name) {

  <K> void forward(ProcessorContext<K, Object> context, Record<K, V> record) {
    context.forward(record, name);
  }

  /** Adds the sink behind this output; the serde takes the output's value type. */
  void sink(Topology topology, String topic, Serde<V> values, String parent) {
    topology.addSink(name, topic, new StringSerializer(), values.serializer(), parent);
  }
}
