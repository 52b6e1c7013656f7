package dev.rumstream.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One timed pass: produces the pre-serialized records to the input topic of a running application
 * and counts its output records (read_committed) until the expected number arrived. Flat out, or
 * open loop at a fixed rate, timing each answered request from its send to its receipt (output
 * records keyed by request id). The time runs from just before the first send to the arrival of the
 * last expected output record. Prints a progress line every second; measures the CPU time of the
 * application's stream threads and, optionally, samples their stacks.
 */
final class TimedRun {
  /** What one pass measured. */
  record Result(
      long records,
      long outputs,
      double seconds,
      double sendSeconds,
      double streamThreadCpu,
      double processCpu,
      Map<String, Double> stackShares,
      Map<String, Double> topFrames,
      long[] latencyMicros) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  /**
   * Where a stream thread's sample goes: the first category (in this order) with a frame containing
   * one of the fragments; the shares add up to 100 %.
   */
  private static final Map<String, List<String>> EXCLUSIVE = new LinkedHashMap<>();

  /**
   * Inclusive shares: samples whose stack holds one of the fragments (a processor's children run
   * inside it).
   */
  private static final Map<String, List<String>> INCLUSIVE = new LinkedHashMap<>();

  static {
    EXCLUSIVE.put(
        "commit (flush, offsets, transaction)",
        List.of(
            "TaskExecutor.commit",
            "TaskManager.commit",
            "StreamsProducer.commitTransaction",
            "StreamsProducer.flush",
            "maybeCommit"));
    EXCLUSIVE.put(
        "consumer poll (waiting for input)",
        List.of("StreamThread.pollRequests", "KafkaConsumer.poll"));
    EXCLUSIVE.put("RocksDB (JNI)", List.of("org.rocksdb."));
    EXCLUSIVE.put("Avro (de)serialization", List.of("org.apache.avro.", "dev.rumstream.serde."));
    EXCLUSIVE.put(
        "producer send (serialized record to buffer)",
        List.of("RecordCollectorImpl.send", "StreamsProducer.send"));
    EXCLUSIVE.put("forget-set windows, own code", List.of("topology.ForgetSetWindows."));
    EXCLUSIVE.put("intake, own code", List.of("topology.Intake."));
    EXCLUSIVE.put("other (Kafka Streams, JDK)", List.of(""));
    INCLUSIVE.put("intake (without the windows it calls)", List.of("topology.Intake.process"));
    INCLUSIVE.put(
        "forget-set windows, all",
        List.of("topology.ForgetSetWindows.process", "topology.ForgetSetWindows.flushDue"));
    INCLUSIVE.put(
        "  windows: header scans (punctuator, ended windows)", List.of("ForgetSetWindows.headers"));
    INCLUSIVE.put("  windows: state get/put", List.of("ForgetSetWindows.process"));
    INCLUSIVE.put("  windows: close() refine + plan + emit", List.of("ForgetSetWindows.close"));
    INCLUSIVE.put("state-store value (de)serialization", List.of("StateSerdes."));
    INCLUSIVE.put("source records' deserialization", List.of("RecordDeserializer.deserialize"));
    INCLUSIVE.put("status: latest receipts", List.of("LatestReceipts.process"));
    INCLUSIVE.put(
        "status: audit history and outstanding",
        List.of("KStreamAggregate$KStreamAggregateProcessor.process"));
  }

  private TimedRun() {}

  static Result run(
      String label,
      Map<String, Object> clientConfig,
      String inputTopic,
      String outputTopic,
      List<Workload.Request> values,
      long expectedOutputs,
      double ratePerSecond,
      Duration timeout,
      boolean sampleStacks,
      PrintStream out)
      throws InterruptedException {
    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, label.replace(' ', '-') + "-counter");
    AtomicLong outputs = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong doneAt = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    boolean paced = ratePerSecond > 0;
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                clientConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(outputTopic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      // An application may get several passes: only what this one produces counts.
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      producer.partitionsFor(inputTopic); // metadata before the clock starts

      long[] streamThreadIds = streamThreads(threads);
      StackSampler sampler = sampleStacks ? new StackSampler(threads, streamThreadIds) : null;
      long cpuBefore = cpuOf(threads, streamThreadIds);
      long processCpuBefore = os.getProcessCpuTime();

      Thread counter =
          new Thread(
              () -> {
                try {
                  while (outputs.get() < expectedOutputs
                      && !Thread.currentThread().isInterrupted()) {
                    var polled = consumer.poll(Duration.ofMillis(50));
                    if (paced) {
                      long now = System.nanoTime();
                      for (var record : polled) {
                        Long at = sentAt.remove(new String(record.key(), UTF_8));
                        if (at != null) {
                          latencies.add((now - at) / 1000);
                        }
                      }
                    }
                    if (outputs.addAndGet(polled.count()) >= expectedOutputs) {
                      doneAt.set(System.nanoTime());
                    }
                  }
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                  Thread.currentThread().interrupt();
                } catch (Throwable e) {
                  failure.set(e);
                }
              },
              label + "-counter");

      long start = System.nanoTime();
      ScheduledExecutorService ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, label + "-progress");
                t.setDaemon(true);
                return t;
              });
      long[] last = {0};
      ticker.scheduleAtFixedRate(
          () -> {
            long now = outputs.get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            out.printf(
                "  [%s] %5.1fs  sent %,d/%,d  acked %,d  out %,d/%,d  %,.0f/s now, %,.0f/s overall%n",
                label,
                elapsed,
                sent.get(),
                values.size(),
                acked.get(),
                now,
                expectedOutputs,
                (double) (now - last[0]),
                now / elapsed);
            last[0] = now;
          },
          1,
          1,
          TimeUnit.SECONDS);
      if (sampler != null) {
        sampler.start();
      }
      counter.start();
      long interval = paced ? (long) (1e9 / ratePerSecond) : 0;
      for (Workload.Request value : values) {
        if (paced) {
          // Open loop: each record leaves at its scheduled time, whatever the answers do.
          long due = start + sent.get() * interval;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          if (value.answered()) {
            sentAt.put(value.requestId(), System.nanoTime());
          }
        }
        producer.send(
            new ProducerRecord<>(inputTopic, value.key(), value.value()),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
        sent.incrementAndGet();
      }
      producer.flush();
      double sendSeconds = (System.nanoTime() - start) / 1e9;
      counter.join(timeout.toMillis());
      ticker.shutdownNow();
      if (sampler != null) {
        sampler.stop();
        try {
          out.printf("  [%s] stack samples, collapsed: %s%n", label, sampler.writeCollapsed(label));
        } catch (IOException e) {
          out.printf("  [%s] stack samples not written: %s%n", label, e);
        }
      }
      if (counter.isAlive()) {
        counter.interrupt();
        counter.join(10_000);
        throw new IllegalStateException(
            label
                + ": only "
                + outputs.get()
                + " of "
                + expectedOutputs
                + " output records arrived within "
                + timeout);
      }
      if (failure.get() != null) {
        throw new IllegalStateException(label + " failed: " + failure.get(), failure.get());
      }
      double seconds = (doneAt.get() - start) / 1e9;
      double cpu = (cpuOf(threads, streamThreadIds) - cpuBefore) / 1e9 / seconds;
      double processCpu = (os.getProcessCpuTime() - processCpuBefore) / 1e9 / seconds;
      out.printf(
          "  [%s] done: %,d records in %.2fs = %,.0f records/s (all sent and flushed after %.2fs;"
              + " stream threads %.2f cores, this JVM %.2f)%n",
          label, values.size(), seconds, values.size() / seconds, sendSeconds, cpu, processCpu);
      return new Result(
          values.size(),
          outputs.get(),
          seconds,
          sendSeconds,
          cpu,
          processCpu,
          sampler == null ? Map.of() : sampler.shares(),
          sampler == null ? Map.of() : sampler.topFrames(12),
          latencies.stream().mapToLong(Long::longValue).sorted().toArray());
    }
  }

  /**
   * Kafka Streams' processing threads (not the global thread, which is idle once the global stores
   * are loaded).
   */
  private static long[] streamThreads(ThreadMXBean threads) {
    return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
        .filter(info -> info != null && info.getThreadName().matches(".*-StreamThread-\\d+"))
        .mapToLong(ThreadInfo::getThreadId)
        .toArray();
  }

  private static long cpuOf(ThreadMXBean threads, long[] ids) {
    long sum = 0;
    for (long id : ids) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu > 0) {
        sum += cpu;
      }
    }
    return sum;
  }

  /** Samples the stream threads' stacks every 10 ms. */
  private static final class StackSampler {
    private final ThreadMXBean threads;
    private final long[] ids;
    private final Map<String, Long> exclusiveHits = new LinkedHashMap<>();
    private final Map<String, Long> inclusiveHits = new LinkedHashMap<>();
    private final Map<String, Long> frames = new HashMap<>();
    private final Map<String, Long> collapsed = new HashMap<>();
    private long samples;
    private final ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stack-sampler");
              t.setDaemon(true);
              return t;
            });

    StackSampler(ThreadMXBean threads, long[] ids) {
      this.threads = threads;
      this.ids = ids;
      EXCLUSIVE.keySet().forEach(m -> exclusiveHits.put(m, 0L));
      INCLUSIVE.keySet().forEach(m -> inclusiveHits.put(m, 0L));
    }

    void start() {
      executor.scheduleAtFixedRate(this::sample, 0, 10, TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
      executor.shutdown();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
      for (ThreadInfo info : threads.getThreadInfo(ids, Integer.MAX_VALUE)) {
        if (info == null || info.getStackTrace().length == 0) {
          continue;
        }
        samples++;
        StackTraceElement[] stack = info.getStackTrace();
        List<String> lines = new ArrayList<>(stack.length);
        for (StackTraceElement frame : stack) {
          lines.add(frame.getClassName() + "." + frame.getMethodName());
        }
        for (Map.Entry<String, List<String>> category : EXCLUSIVE.entrySet()) {
          if (holds(lines, category.getValue())) {
            exclusiveHits.merge(category.getKey(), 1L, Long::sum);
            break;
          }
        }
        INCLUSIVE.forEach(
            (marker, fragments) -> {
              boolean hit = holds(lines, fragments);
              if (marker.startsWith("intake")) {
                hit &= !holds(lines, INCLUSIVE.get("forget-set windows, all"));
              } else if (marker.contains("state get/put")) {
                hit =
                    lines.stream().anyMatch(l -> l.contains("ForgetSetWindows.process"))
                        && holds(
                            lines,
                            List.of(
                                "KeyValueStore.get", "KeyValueStore.put", "MeteredKeyValueStore"))
                        && !holds(
                            lines,
                            List.of(
                                "ForgetSetWindows.headers",
                                "ForgetSetWindows.close",
                                "ForgetSetWindows.reportOldest"));
              }
              if (hit) {
                inclusiveHits.merge(marker, 1L, Long::sum);
              }
            });
        List<String> rootFirst = new ArrayList<>(lines);
        Collections.reverse(rootFirst);
        collapsed.merge(String.join(";", rootFirst), 1L, Long::sum);
        frames.merge(
            lines.get(0)
                + " ("
                + info.getThreadState()
                + ")"
                + caller(lines, "dev.rumstream.")
                + caller(lines, "org.apache.kafka.streams."),
            1L,
            Long::sum);
      }
    }

    /**
     * The innermost frame of a package below the top one: who, in the application or in Kafka
     * Streams, waited.
     */
    private static String caller(List<String> lines, String prefix) {
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).startsWith(prefix)) {
          return " <- "
              + lines
                  .get(i)
                  .substring(lines.get(i).lastIndexOf('.', lines.get(i).lastIndexOf('.') - 1) + 1);
        }
      }
      return "";
    }

    private static boolean holds(List<String> lines, List<String> fragments) {
      return lines.stream().anyMatch(line -> fragments.stream().anyMatch(line::contains));
    }

    /** Exclusive shares (adding up to 1), then the inclusive ones prefixed with "incl. ". */
    synchronized Map<String, Double> shares() {
      Map<String, Double> shares = new LinkedHashMap<>();
      exclusiveHits.forEach(
          (marker, hits) -> shares.put(marker, samples == 0 ? 0 : (double) hits / samples));
      inclusiveHits.forEach(
          (marker, hits) ->
              shares.put("incl. " + marker, samples == 0 ? 0 : (double) hits / samples));
      return shares;
    }

    /**
     * Writes the samples as collapsed stacks (root first, frames separated by ';', then the count),
     * the input of flame-graph tools, and returns the file.
     */
    synchronized Path writeCollapsed(String label) throws IOException {
      Path file = Files.createTempFile(label.replaceAll("[^A-Za-z0-9]+", "-"), ".collapsed");
      List<String> rows = new ArrayList<>();
      collapsed.forEach((stack, count) -> rows.add(stack + " " + count));
      Files.write(file, rows);
      return file;
    }

    synchronized Map<String, Double> topFrames(int limit) {
      Map<String, Double> top = new LinkedHashMap<>();
      frames.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(limit)
          .forEach(e -> top.put(e.getKey(), (double) e.getValue() / samples));
      return top;
    }
  }
}
