package dev.rumstream.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dev.rumstream.engine.data.Batches;
import dev.rumstream.engine.data.FashionMnist;
import dev.rumstream.engine.data.HeldOut;
import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.engine.model.MaxPool2x2;
import dev.rumstream.engine.model.PoolFirst;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The small CNN's inference pass with DJL's max-pool block, with {@link MaxPool2x2}, and with
 * MaxPool2x2 pooling before batch norm and ReLU as the engine's eval passes do ({@link PoolFirst}),
 * side by side in one run on the same parameters and Fashion-MNIST images; checks that all three
 * give the same logits.
 */
@Command(
    name = "pooling-cost",
    mixinStandardHelpOptions = true,
    description =
        "Inference time of the small CNN (width 32, as the worker's demo model) over --images"
            + " training images: with Pool.maxPool2d, with MaxPool2x2, and with MaxPool2x2 before"
            + " batch norm and ReLU (the engine's order), in turn.")
public final class PoolingCost implements Callable<Integer> {

  @Option(names = "--rounds", description = "rounds; default ${DEFAULT-VALUE}")
  private int rounds = 5;

  @Option(names = "--images", description = "images per pass; default ${DEFAULT-VALUE}")
  private int images = 3000;

  @Option(names = "--batch", description = "batch size; default ${DEFAULT-VALUE}")
  private int batch = 128;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PoolingCost()).execute(args));
  }

  @Override
  public Integer call() {
    ImageDataset train = FashionMnist.load(FashionMnist.DEBIAN_DIR, HeldOut.NONE).train();
    System.out.printf(Locale.ROOT, "load average %s%n", Machine.loadAverage());
    int[] rows = IntStream.range(0, images).toArray();
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(manager, false);
      Block kernel = smallCnn(() -> Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
      SequentialBlock slices = smallCnn(MaxPool2x2::new);
      Shape input = new Shape(1, 1, 28, 28);
      kernel.initialize(manager, DataType.FLOAT32, input);
      slices.initialize(manager, DataType.FLOAT32, input);
      List<Parameter> from = kernel.getParameters().values();
      List<Parameter> to = slices.getParameters().values();
      for (int i = 0; i < from.size(); i++) {
        to.get(i).getArray().set(new ai.djl.ndarray.index.NDIndex("..."), from.get(i).getArray());
      }
      Function<NDArray, NDArray> byKernel = x -> forward(kernel, store, x);
      Function<NDArray, NDArray> bySlices = x -> forward(slices, store, x);
      Function<NDArray, NDArray> poolFirst = x -> PoolFirst.forward(slices, store, x);
      float[] expected = logits(byKernel, store, train, rows);
      if (!Arrays.equals(expected, logits(bySlices, store, train, rows))
          || !Arrays.equals(expected, logits(poolFirst, store, train, rows))) {
        throw new IllegalStateException("the networks disagree");
      }
      for (int round = 1; round <= rounds; round++) {
        double before = seconds(() -> logits(byKernel, store, train, rows));
        double now = seconds(() -> logits(bySlices, store, train, rows));
        double first = seconds(() -> logits(poolFirst, store, train, rows));
        System.out.printf(
            Locale.ROOT,
            "round %d, %d images in batches of %d: %.3f s with Pool.maxPool2d, %.3f s with"
                + " MaxPool2x2 (ratio %.2f), %.3f s pooling first (ratio to MaxPool2x2 %.2f)%n",
            round,
            images,
            batch,
            before,
            now,
            now / before,
            first,
            first / now);
      }
    }
    System.out.printf(Locale.ROOT, "load average %s; same logits: true%n", Machine.loadAverage());
    return 0;
  }

  /**
   * The engine's small CNN at width 32 with its normalization left out (the same for all three).
   */
  private static SequentialBlock smallCnn(Supplier<Block> pool) {
    return new SequentialBlock()
        .add(conv(32))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(pool.get())
        .add(conv(64))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(pool.get())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(128).build())
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(10).build());
  }

  private static Block conv(int filters) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1))
        .optBias(false)
        .build();
  }

  private static NDArray forward(Block net, ParameterStore store, NDArray images) {
    return net.forward(store, new NDList(images), false).singletonOrThrow();
  }

  private float[] logits(
      Function<NDArray, NDArray> pass, ParameterStore store, ImageDataset data, int[] rows) {
    float[] out = new float[rows.length * 10];
    int offset = 0;
    for (int[] part : Batches.of(rows, batch)) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray images = data.images(store.getManager(), part);
        float[] values = pass.apply(images).toFloatArray();
        System.arraycopy(values, 0, out, offset, values.length);
        offset += values.length;
      }
    }
    return out;
  }

  private static double seconds(Runnable pass) {
    long started = System.nanoTime();
    pass.run();
    return (System.nanoTime() - started) / 1e9;
  }
}
