package dev.rumstream.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fashion-MNIST from the IDX files of Debian's {@code dataset-fashion-mnist} package. Training
 * examples have ids 0..59,999 (their index in the shipped training file); test examples continue
 * the numbering at 60,000, so every id of the 70,000-image corpus is unique.
 */
public final class FashionMnist {

  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  public static final long TEST_ID_OFFSET = 60_000L;
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private static final Logger LOG = LoggerFactory.getLogger(FashionMnist.class);

  private FashionMnist() {}

  /** The Debian package's files, no held-out split. */
  public static DatasetSplits load() {
    return load(DEBIAN_DIR, HeldOut.NONE);
  }

  public static DatasetSplits load(Path dir, HeldOut heldOut) {
    long t0 = System.nanoTime();
    ImageDataset shippedTrain = read(dir, "train", 0L, "fashion-mnist-train");
    ImageDataset test = read(dir, "t10k", TEST_ID_OFFSET, "fashion-mnist-test");
    DatasetSplits splits = HeldOutSplit.apply(shippedTrain, test, heldOut);
    LOG.info(
        "loaded Fashion-MNIST from {} in {} ms: train {}, test {}, held-out {}",
        dir,
        (System.nanoTime() - t0) / 1_000_000,
        splits.train().size(),
        test.size(),
        splits.heldOut().map(ImageDataset::size).orElse(0));
    return splits;
  }

  private static ImageDataset read(Path dir, String prefix, long idOffset, String name) {
    Path images = locate(dir, prefix + "-images-idx3-ubyte");
    Path labels = locate(dir, prefix + "-labels-idx1-ubyte");
    try {
      IdxFile img = IdxFile.read(images);
      IdxFile lab = IdxFile.read(labels);
      if (img.dimensions().length != 3
          || lab.dimensions().length != 1
          || img.dimensions()[0] != lab.dimensions()[0]) {
        throw new DatasetUnavailableException(
            "Fashion-MNIST files under "
                + dir
                + " have unexpected shapes; "
                + "reinstall them: apt-get install --reinstall -y dataset-fashion-mnist");
      }
      int n = img.dimensions()[0];
      int h = img.dimensions()[1];
      int w = img.dimensions()[2];
      float[] pixels = new float[n * h * w];
      byte[] raw = img.data();
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (raw[i] & 0xff) / 255f;
      }
      long[] ids = new long[n];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = idOffset + i;
        y[i] = lab.data()[i] & 0xff;
      }
      return new ImageDataset(name, 1, h, w, CLASS_NAMES, ids, y, pixels);
    } catch (IOException e) {
      throw new DatasetUnavailableException(
          "cannot read Fashion-MNIST under "
              + dir
              + ": "
              + e.getMessage()
              + "; reinstall it: apt-get install --reinstall -y dataset-fashion-mnist",
          e);
    }
  }

  private static Path locate(Path dir, String baseName) {
    for (Path candidate : List.of(dir.resolve(baseName + ".gz"), dir.resolve(baseName))) {
      if (Files.isReadable(candidate)) {
        return candidate;
      }
    }
    throw new DatasetUnavailableException(
        "Fashion-MNIST is not installed: "
            + dir.resolve(baseName + ".gz")
            + " is missing. It comes from Debian's dataset-fashion-mnist package: "
            + "apt-get install -y dataset-fashion-mnist");
  }

  /**
   * Whether the Debian package's files are present (for tools that offer a choice; tests must not
   * skip on it).
   */
  public static Optional<Path> installedDir() {
    return Files.isDirectory(DEBIAN_DIR) ? Optional.of(DEBIAN_DIR) : Optional.empty();
  }
}
