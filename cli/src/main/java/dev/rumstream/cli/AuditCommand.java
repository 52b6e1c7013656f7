package dev.rumstream.cli;

import dev.rumstream.audit.AuditChain;
import dev.rumstream.audit.AuditVerification;
import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.DeletionReceipt;
import dev.rumstream.avro.ReceiptStatus;
import dev.rumstream.config.Settings;
import dev.rumstream.serde.AvroDeserializer;
import dev.rumstream.serde.RegistryClient;
import dev.rumstream.serde.RegistryConfig;
import dev.rumstream.topics.Topic;
import dev.rumstream.topics.TopicReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The audit trail's commands. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The audit trail (topic deletion-audit).",
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Reads the whole audit topic and checks every request's chain: each record's HMAC under the"
            + " audit key, sequence numbers without gaps, each record chained onto the one before,"
            + " a trail that starts with ACCEPTED or REJECTED, and a COMPLETED record for every"
            + " COMPLETED receipt (which finds a trail cut at its end). Prints what is wrong where"
            + " (partition and offset); exit code 1 when anything is.",
        "Reads the streams app's configuration (--config FILE, then RUMSTREAM_AUDIT_KEY, KAFKA_* and"
            + " SCHEMA_REGISTRY_* variables)."
      })
  static final class Verify implements Callable<Integer> {
    @Mixin StreamsOptions streams;

    @Option(
        names = "--topic",
        description = "The audit topic to read (default: the configured deletion-audit).")
    String topic;

    @Override
    public Integer call() {
      Settings settings = streams.load();
      String auditKey = settings.string("rumstream.audit.key");
      if (auditKey.equals(AuditChain.DEVELOPMENT_KEY)) {
        System.err.println("note: verifying under the published development audit key");
      }
      String auditTopic = topic != null ? topic : settings.topics().name(Topic.DELETION_AUDIT);
      String receiptsTopic = settings.topics().name(Topic.DELETION_RECEIPTS);
      AuditVerification.Report report =
          check(settings.kafka(), auditTopic, receiptsTopic, auditKey);
      report.problems().forEach(problem -> System.out.println("PROBLEM " + problem));
      System.out.printf(
          "%s: %d records of %d requests on %s (%d completed, checked against %s)%n",
          report.verified()
              ? "verified"
              : "NOT verified (" + report.problems().size() + " problems)",
          report.records(),
          report.requests(),
          auditTopic,
          report.completed(),
          receiptsTopic);
      return report.verified() ? 0 : 1;
    }

    /**
     * Reads the whole audit topic and the receipts (for the COMPLETED ones) and verifies the trail
     * under the audit key.
     */
    static AuditVerification.Report check(
        Map<String, Object> clients, String auditTopic, String receiptsTopic, String auditKey) {
      RegistryClient registry = new RegistryClient(RegistryConfig.from(clients));
      AvroDeserializer<AuditRecord> audit = AvroDeserializer.forClass(AuditRecord.class, registry);
      List<AuditVerification.Entry> entries = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : readAll(clients, auditTopic)) {
        try {
          entries.add(
              new AuditVerification.Entry(
                  record.partition(),
                  record.offset(),
                  record.key(),
                  audit.deserialize(auditTopic, record.value()),
                  null));
        } catch (RuntimeException e) {
          entries.add(
              new AuditVerification.Entry(
                  record.partition(), record.offset(), record.key(), null, e.getMessage()));
        }
      }
      AvroDeserializer<DeletionReceipt> receipts =
          AvroDeserializer.forClass(DeletionReceipt.class, registry);
      Map<String, ReceiptStatus> latest = new HashMap<>();
      for (ConsumerRecord<String, byte[]> record : readAll(clients, receiptsTopic)) {
        if (record.value() == null) {
          latest.remove(record.key());
        } else {
          latest.put(record.key(), receipts.deserialize(receiptsTopic, record.value()).getStatus());
        }
      }
      Set<String> completed = new HashSet<>();
      latest.forEach(
          (id, status) -> {
            if (status == ReceiptStatus.COMPLETED) {
              completed.add(id);
            }
          });
      return new AuditVerification(new AuditChain(auditKey, "verify")).verify(entries, completed);
    }

    /** Every committed record of a topic, each partition in offset order, up to its end now. */
    private static List<ConsumerRecord<String, byte[]>> readAll(
        Map<String, Object> clients, String topic) {
      Map<String, Object> props = new HashMap<>(clients);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
        TopicReader.readToEnd(consumer, topic, records::add);
      }
      records.sort(
          java.util.Comparator.<ConsumerRecord<String, byte[]>>comparingInt(
                  ConsumerRecord::partition)
              .thenComparingLong(ConsumerRecord::offset));
      return records;
    }
  }
}
