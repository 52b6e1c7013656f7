package dev.rumstream.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxAndImageFoldersTest {

  @TempDir Path dir;

  private static void writeIdx(OutputStream raw, int[] dims, byte[] data) throws IOException {
    try (DataOutputStream out = new DataOutputStream(raw)) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
  }

  @Test
  void readsPlainAndGzippedIdxFiles() throws IOException {
    byte[] data = {0, 1, 2, (byte) 255, 4, 5};
    Path plain = dir.resolve("plain-idx");
    Path gz = dir.resolve("packed-idx.gz");
    writeIdx(Files.newOutputStream(plain), new int[] {2, 3}, data);
    writeIdx(new GZIPOutputStream(Files.newOutputStream(gz)), new int[] {2, 3}, data);
    for (Path file : new Path[] {plain, gz}) {
      IdxFile idx = IdxFile.read(file);
      assertThat(idx.dimensions()).containsExactly(2, 3);
      assertThat(idx.data()).containsExactly(data);
    }
    Path wrong = dir.resolve("wrong");
    Files.write(wrong, new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0});
    assertThatThrownBy(() -> IdxFile.read(wrong))
        .hasMessageContaining("not an unsigned-byte IDX file");
  }

  private void png(String relative, Color color, int size) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, color.getRGB());
      }
    }
    ImageIO.write(image, relative.endsWith(".png") ? "png" : "jpg", file.toFile());
  }

  @Test
  void loadsImageFoldersWithClassesFromSubFoldersAndIdsFromPaths() throws IOException {
    png("train/cat/a.png", Color.WHITE, 8);
    png("train/cat/b.png", Color.WHITE, 16);
    png("train/dog/c.jpg", Color.BLACK, 8);
    png("test/cat/d.png", Color.WHITE, 8);
    png("test/dog/e.png", Color.RED, 8);
    Files.writeString(dir.resolve("train/dog/notes.txt"), "not an image");

    DatasetSplits splits = ImageFolders.load(dir, new ImageFolders.Format(1, 8, 8), HeldOut.NONE);
    ImageDataset train = splits.train();
    assertThat(train.classNames()).containsExactly("cat", "dog");
    assertThat(train.size()).isEqualTo(3);
    assertThat(train.labels(train.allRows())).containsExactly(0, 0, 1);
    assertThat(train.id(0)).isEqualTo(ImageFolders.stableId("train/cat/a.png"));
    float[] white = train.pixelsOf(1);
    assertThat(white).hasSize(64);
    for (float p : white) {
      assertThat(p)
          .as("a 16x16 white image resized to 8x8")
          .isCloseTo(1f, org.assertj.core.data.Offset.offset(0.01f));
    }
    for (float p : train.pixelsOf(2)) {
      assertThat(p).as("a black JPEG").isLessThan(0.05f);
    }
    // Red in luminance: 0.299.
    assertThat(splits.test().pixelsOf(1)[0])
        .isCloseTo(0.299f, org.assertj.core.data.Offset.offset(0.01f));

    png("train/cat/z.png", Color.WHITE, 8);
    ImageDataset grown =
        ImageFolders.load(dir, new ImageFolders.Format(3, 8, 8), HeldOut.NONE).train();
    assertThat(grown.size()).isEqualTo(4);
    assertThat(grown.rowOf(train.id(2))).as("adding a file keeps the others' ids").isEqualTo(3);
    assertThat(grown.channels()).isEqualTo(3);
  }

  @Test
  void aFolderWithoutTrainAndTestIsRefused() {
    assertThatThrownBy(() -> ImageFolders.load(dir, new ImageFolders.Format(1, 8, 8), HeldOut.NONE))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("train/<class>/");
  }
}
