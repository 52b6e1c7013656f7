package dev.rumstream.streams.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Keeps every request's latest receipt for status queries, as the receipts topic holds it: the
 * topic is the store's changelog, and the value stays in its wire format until a query decodes it.
 * A DSL table read each key before writing it (to warn of out-of-order updates), a RocksDB read
 * that missed for every new request; the latest record is the receipt either way.
 */
final class LatestReceipts implements Processor<String, byte[], Void, Void> {
  private TimestampedKeyValueStore<String, byte[]> receipts;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    receipts = context.getStateStore(StoreNames.RECEIPTS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      receipts.delete(record.key());
    } else {
      receipts.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
    }
  }
}
