package dev.rumstream.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rumstream.config.Settings;
import dev.rumstream.streams.StreamsApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The streams app as a process of its own (the benchmark's classpath, a properties file), so that
 * it can be killed with SIGKILL; ready when its {@code /health/ready} answers 200 (Kafka Streams
 * RUNNING, every active task restored).
 */
final class StreamsProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final long startedNanos;
  private final Path log;
  private final long logOffset;

  private StreamsProcess(Process process, int port, long startedNanos, Path log, long logOffset) {
    this.process = process;
    this.port = port;
    this.startedNanos = startedNanos;
    this.log = log;
    this.logOffset = logOffset;
  }

  /** Starts the app with these settings; its output goes to {@code log} (appended). */
  static StreamsProcess start(Map<String, String> settings, Path config, Path log)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Properties properties = new Properties();
    properties.putAll(settings);
    properties.put("rumstream.http.port", Integer.toString(port));
    try (OutputStream out = Files.newOutputStream(config)) {
      properties.store(out, "the benchmark's streams app");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx2g",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.rumstream.avro",
                "-Dlog4j2.configurationFile=" + streamsAppLogConfig(),
                "-cp",
                System.getProperty("java.class.path"),
                StreamsApp.class.getName(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Only the file's settings: the environment would override them.
    builder.environment().keySet().removeIf(name -> Settings.keyOf(name) != null);
    long offset = Files.exists(log) ? Files.size(log) : 0;
    long started = System.nanoTime();
    return new StreamsProcess(builder.start(), port, started, log, offset);
  }

  /** The streams app's own log configuration, not the benchmark's (first on the classpath). */
  private static String streamsAppLogConfig() {
    String base = StreamsApp.class.getProtectionDomain().getCodeSource().getLocation().toString();
    return base.endsWith(".jar") ? "jar:" + base + "!/log4j2.xml" : base + "log4j2.xml";
  }

  /** Seconds from the start of the process until it is ready. */
  double awaitReady(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the streams app exited with status " + process.exitValue() + " before it was ready");
      }
      if (ready()) {
        return (System.nanoTime() - startedNanos) / 1e9;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the streams app was not ready within " + patience);
  }

  private boolean ready() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create("http://localhost:" + port + "/health/ready").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(500);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException notAnsweringYet) {
      return false;
    }
  }

  /** This process's log lines that say a store was restored ({@code RestoreLog}). */
  List<String> restoredStores() throws IOException {
    byte[] all = Files.readAllBytes(log);
    String mine = new String(all, (int) logOffset, all.length - (int) logOffset, UTF_8);
    return mine.lines().filter(l -> l.contains("Restored store")).toList();
  }

  /** SIGKILL: no shutdown hook, no commit, no checkpoint. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the streams app did not die of SIGKILL");
    }
  }

  /** SIGTERM: the app closes Kafka Streams cleanly (checkpoints written). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
