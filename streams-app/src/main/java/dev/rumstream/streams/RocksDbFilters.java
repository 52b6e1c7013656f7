package dev.rumstream.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * Bloom filters on every level of the state stores' RocksDB instances ({@code
 * rocksdb.config.setter}). Kafka Streams leaves the last level without them (optimized for lookups
 * that hit), which suits tables read for keys they hold; this application's stores are mostly read
 * for keys they do not hold yet (each new request id in the dedup store, each new request in its
 * audit views), and without a filter every such miss reads the last level's index and data blocks.
 * The filters cost about ten bits per key.
 */
public final class RocksDbFilters implements RocksDBConfigSetter {
  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    options.setOptimizeFiltersForHits(false);
  }

  @Override
  public void close(String storeName, Options options) {}
}
