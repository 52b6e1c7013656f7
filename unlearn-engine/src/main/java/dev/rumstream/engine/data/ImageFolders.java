package dev.rumstream.engine.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' own images: {@code root/train/<class>/*.png|jpg}, {@code root/test/<class>/...} and
 * optionally {@code root/heldout/<class>/...}. Classes are the sub-folder names of {@code train},
 * sorted. Each image's id is derived from its path relative to {@code root} (first 63 bits of its
 * SHA-256), so ids stay stable when files are added or removed.
 */
public final class ImageFolders {

  private static final Logger LOG = LoggerFactory.getLogger(ImageFolders.class);

  private ImageFolders() {}

  /**
   * Target shape every image is converted to: 1 channel (luminance) or 3 (RGB), resized bilinearly.
   */
  public record Format(int channels, int height, int width) {
    public Format {
      if (channels != 1 && channels != 3) {
        throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
      }
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException("image size must be positive");
      }
    }
  }

  /**
   * Loads the splits; without a {@code heldout} folder, {@code heldOut} carves one out of {@code
   * train}.
   */
  public static DatasetSplits load(Path root, Format format, HeldOut heldOut) {
    Path trainDir = root.resolve("train");
    if (!Files.isDirectory(trainDir) || !Files.isDirectory(root.resolve("test"))) {
      throw new DatasetUnavailableException(
          "image folder dataset "
              + root
              + " needs train/<class>/ and test/<class>/ sub-folders of PNG or JPEG images");
    }
    List<String> classes = classNames(trainDir);
    ImageDataset train = read(root, "train", classes, format);
    ImageDataset test = read(root, "test", classes, format);
    if (Files.isDirectory(root.resolve("heldout"))) {
      ImageDataset held = read(root, "heldout", classes, format);
      return new DatasetSplits(train, test, Optional.of(held));
    }
    DatasetSplits splits = HeldOutSplit.apply(train, test, heldOut);
    LOG.info(
        "loaded image folders {}: train {}, test {}, held-out {}",
        root,
        splits.train().size(),
        test.size(),
        splits.heldOut().map(ImageDataset::size).orElse(0));
    return splits;
  }

  private static List<String> classNames(Path trainDir) {
    try (Stream<Path> dirs = Files.list(trainDir)) {
      List<String> names =
          dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
      if (names.size() < 2) {
        throw new DatasetUnavailableException(trainDir + " needs at least two class sub-folders");
      }
      return names;
    } catch (IOException e) {
      throw new DatasetUnavailableException("cannot list " + trainDir, e);
    }
  }

  private static ImageDataset read(Path root, String split, List<String> classes, Format format) {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Path classDir = root.resolve(split).resolve(classes.get(c));
      if (!Files.isDirectory(classDir)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(classDir)) {
        for (Path file : entries.filter(ImageFolders::isImage).sorted().toList()) {
          files.add(file);
          labels.add(c);
        }
      } catch (IOException e) {
        throw new DatasetUnavailableException("cannot list " + classDir, e);
      }
    }
    int pixelsPer = format.channels() * format.height() * format.width();
    float[] pixels = new float[files.size() * pixelsPer];
    long[] ids = new long[files.size()];
    int[] y = new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      ids[i] = stableId(root.relativize(file).toString().replace('\\', '/'));
      y[i] = labels.get(i);
      toPixels(readImage(file), format, pixels, i * pixelsPer);
    }
    return new ImageDataset(
        root.getFileName() + "-" + split,
        format.channels(),
        format.height(),
        format.width(),
        classes,
        ids,
        y,
        pixels);
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  private static BufferedImage readImage(Path file) {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new DatasetUnavailableException("not a readable PNG/JPEG image: " + file);
      }
      return image;
    } catch (IOException e) {
      throw new DatasetUnavailableException("cannot read image " + file, e);
    }
  }

  private static void toPixels(BufferedImage image, Format format, float[] out, int offset) {
    BufferedImage rgb =
        new BufferedImage(format.width(), format.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, format.width(), format.height(), null);
    g.dispose();
    int plane = format.height() * format.width();
    for (int yy = 0; yy < format.height(); yy++) {
      for (int xx = 0; xx < format.width(); xx++) {
        int argb = rgb.getRGB(xx, yy);
        float r = ((argb >> 16) & 0xff) / 255f;
        float gr = ((argb >> 8) & 0xff) / 255f;
        float b = (argb & 0xff) / 255f;
        int p = yy * format.width() + xx;
        if (format.channels() == 1) {
          out[offset + p] = 0.299f * r + 0.587f * gr + 0.114f * b;
        } else {
          out[offset + p] = r;
          out[offset + plane + p] = gr;
          out[offset + 2 * plane + p] = b;
        }
      }
    }
  }

  /**
   * The example id of an image: the first 63 bits of the SHA-256 of its path relative to the
   * dataset's root, with forward slashes ({@code train/cats/001.png}).
   */
  public static long stableId(String relativePath) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(relativePath.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
