package dev.rumstream.bench;

import static dev.rumstream.bench.Machine.loadAverage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** How the Fashion-MNIST benchmarks write their results: indented JSON, rounded figures. */
final class BenchJson {

  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchJson() {}

  /** Written to a sibling and moved over the file, so a reader never sees half of it. */
  static void write(Path file, Object root) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      MAPPER.writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /** The machine, with the load average before the run and now. */
  static Map<String, Object> machine(String loadBefore) {
    Map<String, Object> machine = Machine.describe();
    machine.put("loadAverageBefore", loadBefore);
    machine.put("loadAverageNow", loadAverage());
    return machine;
  }
}
