package dev.rumstream.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.roaringbitmap.longlong.Roaring64Bitmap;

/**
 * An immutable set of labelled images, each addressed by a stable long id. Pixels are kept on the
 * heap as floats in [0, 1] (NCHW); batches are materialized as NDArrays only when a loop asks for
 * them.
 */
public final class ImageDataset {

  private final String name;
  private final int channels;
  private final int height;
  private final int width;
  private final List<String> classNames;
  private final long[] ids;
  private final int[] labels;
  private final float[] pixels;
  private final Map<Long, Integer> rowById;

  public ImageDataset(
      String name,
      int channels,
      int height,
      int width,
      List<String> classNames,
      long[] ids,
      int[] labels,
      float[] pixels) {
    this.name = Objects.requireNonNull(name);
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.classNames = List.copyOf(classNames);
    if (ids.length != labels.length
        || (long) ids.length * channels * height * width != pixels.length) {
      throw new IllegalArgumentException(
          "ids, labels and pixels disagree on the number of examples");
    }
    this.ids = ids.clone();
    this.labels = labels.clone();
    this.pixels = pixels;
    this.rowById = new HashMap<>(ids.length * 2);
    for (int row = 0; row < ids.length; row++) {
      if (rowById.put(ids[row], row) != null) {
        throw new IllegalArgumentException("duplicate example id " + ids[row] + " in " + name);
      }
      if (labels[row] < 0 || labels[row] >= classNames.size()) {
        throw new IllegalArgumentException("label " + labels[row] + " out of range in " + name);
      }
    }
  }

  public String name() {
    return name;
  }

  public int size() {
    return ids.length;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int numClasses() {
    return classNames.size();
  }

  public List<String> classNames() {
    return classNames;
  }

  public long id(int row) {
    return ids[row];
  }

  public int label(int row) {
    return labels[row];
  }

  public boolean contains(long id) {
    return rowById.containsKey(id);
  }

  /**
   * The row of an id; an unknown id is a caller error (a deletion request for an example this model
   * never saw).
   */
  public int rowOf(long id) {
    Integer row = rowById.get(id);
    if (row == null) {
      throw new IllegalArgumentException("example id " + id + " is not in dataset " + name);
    }
    return row;
  }

  /** Rows of the given ids, in ascending id order. */
  public int[] rowsOf(Roaring64Bitmap idSet) {
    int[] rows = new int[(int) idSet.getLongCardinality()];
    int i = 0;
    for (var it = idSet.getLongIterator(); it.hasNext(); ) {
      rows[i++] = rowOf(it.next());
    }
    return rows;
  }

  /** Rows whose id is not in {@code excluded}, in row order. */
  public int[] rowsExcept(Roaring64Bitmap excluded) {
    return java.util.stream.IntStream.range(0, ids.length)
        .filter(r -> !excluded.contains(ids[r]))
        .toArray();
  }

  public int[] allRows() {
    return java.util.stream.IntStream.range(0, ids.length).toArray();
  }

  public Roaring64Bitmap idSet() {
    Roaring64Bitmap set = new Roaring64Bitmap();
    set.add(ids);
    return set;
  }

  public long[] ids(int[] rows) {
    long[] out = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = ids[rows[i]];
    }
    return out;
  }

  public int[] labels(int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = labels[rows[i]];
    }
    return out;
  }

  /** A new dataset holding the given rows (ids and labels kept). */
  public ImageDataset subset(String subsetName, int[] rows) {
    int pixelsPer = channels * height * width;
    float[] px = new float[rows.length * pixelsPer];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(pixels, rows[i] * pixelsPer, px, i * pixelsPer, pixelsPer);
    }
    return new ImageDataset(
        subsetName, channels, height, width, classNames, ids(rows), labels(rows), px);
  }

  /**
   * The same images and ids with other labels (for label-noise experiments and relabelled views).
   */
  public ImageDataset withLabels(String newName, int[] newLabels) {
    return new ImageDataset(newName, channels, height, width, classNames, ids, newLabels, pixels);
  }

  /** The images of the given rows as a (B, C, H, W) float array on the manager's device. */
  public NDArray images(NDManager manager, int[] rows) {
    int pixelsPer = channels * height * width;
    float[] px = new float[rows.length * pixelsPer];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(pixels, rows[i] * pixelsPer, px, i * pixelsPer, pixelsPer);
    }
    return manager.create(px, new Shape(rows.length, channels, height, width));
  }

  /** The given labels as an int array on the manager's device. */
  public static NDArray labelArray(NDManager manager, int[] labels) {
    return manager.create(labels);
  }

  @Override
  public String toString() {
    return name
        + " ("
        + size()
        + " examples, "
        + channels
        + "x"
        + height
        + "x"
        + width
        + ", "
        + numClasses()
        + " classes)";
  }

  /** Pixels of one row, for tests and image export. */
  float[] pixelsOf(int row) {
    int pixelsPer = channels * height * width;
    return Arrays.copyOfRange(pixels, row * pixelsPer, (row + 1) * pixelsPer);
  }
}
