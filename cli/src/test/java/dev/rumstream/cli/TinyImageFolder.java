package dev.rumstream.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * An image-folder dataset small enough to train in seconds: two classes of 28x28 grey images (a
 * bright left or right half), 40 training and 10 test images each. For the integration tests whose
 * subject is the pipeline, not the model.
 */
final class TinyImageFolder {
  static final int TRAINING_IMAGES = 80;

  private TinyImageFolder() {}

  /** Writes the folder under {@code root} and returns it. */
  static Path write(Path root) throws IOException {
    for (String split : List.of("train", "test")) {
      for (int label = 0; label < 2; label++) {
        Path folder = Files.createDirectories(root.resolve(split).resolve("class-" + label));
        for (int i = 0; i < (split.equals("train") ? 40 : 10); i++) {
          BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
          for (int y = 0; y < 28; y++) {
            for (int x = label * 14; x < label * 14 + 14; x++) {
              image.getRaster().setSample(x, y, 0, 120 + (i * 7 + x + y) % 130);
            }
          }
          ImageIO.write(image, "png", folder.resolve(String.format("%03d.png", i)).toFile());
        }
      }
    }
    return root;
  }

  /** Worker settings that train and unlearn on the folder, with evaluation samples to fit it. */
  static Map<String, String> workerSettings(Path root) {
    return Map.of(
        "rumstream.dataset", "folder",
        "rumstream.dataset.dir", root.toString(),
        "rumstream.dataset.image.format", "1x28x28",
        "rumstream.eval.mia.shadow.size", "10",
        "rumstream.eval.retain.sample", "40",
        "rumstream.store.purge.grace", "1s");
  }
}
