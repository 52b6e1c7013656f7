package dev.rumstream.engine.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * An image classifier: a feature extractor whose output is the penultimate embedding, then a linear
 * head. Owns its native memory (one DJL model and its manager); close it when done.
 */
public final class Classifier implements AutoCloseable {
  private static final NDIndex ALL = new NDIndex("...");

  private final ModelSpec spec;
  private final Model model;
  private final SequentialBlock features;
  private final Block head;
  private final ParameterStore parameterStore;

  private Classifier(ModelSpec spec, Model model, SequentialBlock features, Block head) {
    this.spec = spec;
    this.model = model;
    this.features = features;
    this.head = head;
    this.parameterStore = new ParameterStore(model.getNDManager(), false);
  }

  /** A freshly initialized network; the seed makes initialization reproducible. */
  public static Classifier create(ModelSpec spec, Device device, long seed) {
    SequentialBlock features = Networks.features(spec);
    Block head = Networks.head(spec);
    SequentialBlock net = new SequentialBlock().add(features).add(head);
    Model model =
        Model.newInstance(
            "rumstream-" + spec.architecture().name().toLowerCase(java.util.Locale.ROOT), device);
    model.setBlock(net);
    Engine.getInstance().setRandomSeed((int) seed);
    net.initialize(
        model.getNDManager(),
        DataType.FLOAT32,
        new Shape(1, spec.channels(), spec.imageHeight(), spec.imageWidth()));
    return new Classifier(spec, model, features, head);
  }

  public ModelSpec spec() {
    return spec;
  }

  /**
   * Saves the network in DJL's own format ({@code <name>-0000.params} in {@code dir}), which a
   * serving system loads with {@code Model.load(dir, name)} into the same block.
   */
  public void saveDjl(java.nio.file.Path dir, String name) throws java.io.IOException {
    model.setProperty("architecture", spec.architecture().name());
    model.save(dir, name);
  }

  public Device device() {
    return model.getNDManager().getDevice();
  }

  /**
   * The manager that owns the parameters; batches for this model should be created on its device.
   */
  public NDManager manager() {
    return model.getNDManager();
  }

  /**
   * Logits; {@code training} selects batch statistics in BatchNorm (and updates its running
   * statistics).
   */
  public NDArray logits(NDArray images, boolean training) {
    if (!training) {
      return head.forward(parameterStore, new NDList(embedding(images)), false).singletonOrThrow();
    }
    return model.getBlock().forward(parameterStore, new NDList(images), true).singletonOrThrow();
  }

  /**
   * The penultimate embedding (global average pool for ResNet-18, the fc128 output for the small
   * CNN), eval mode, pooled as early as gives the same values ({@link PoolFirst}).
   */
  public NDArray embedding(NDArray images) {
    return PoolFirst.forward(features, parameterStore, images);
  }

  public int embeddingSize() {
    return Networks.embeddingSize(spec);
  }

  /** Every parameter, BatchNorm running statistics included, in a fixed order. */
  public List<Parameter> parameters() {
    return new ArrayList<>(model.getBlock().getParameters().values());
  }

  /** The parameters an optimizer updates (BatchNorm running statistics excluded). */
  public List<Parameter> trainableParameters() {
    return parameters().stream().filter(Parameter::requiresGradient).toList();
  }

  /** Names of {@link #parameters()}, same order. */
  public List<String> parameterNames() {
    return model.getBlock().getParameters().keys();
  }

  public long trainableParameterCount() {
    return trainableParameters().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  /** A deep copy on the same device. */
  public Classifier copy() {
    Classifier copy = create(spec, device(), 0);
    copy.copyParametersFrom(this);
    return copy;
  }

  /**
   * Overwrites every parameter value (running statistics included) in place with {@code source}'s.
   */
  public void copyParametersFrom(Classifier source) {
    if (!source.spec.equals(spec)) {
      throw new IllegalArgumentException("cannot copy parameters between different model specs");
    }
    List<Parameter> from = source.parameters();
    List<Parameter> to = parameters();
    for (int i = 0; i < to.size(); i++) {
      overwrite(to.get(i).getArray(), from.get(i).getArray());
    }
  }

  /** Overwrites parameter {@code index} of {@link #parameters()} in place with these values. */
  public void overwriteParameter(int index, float[] values) {
    NDArray target = parameters().get(index).getArray();
    try (NDArray read = target.getManager().create(values, target.getShape())) {
      overwrite(target, read);
    }
  }

  /**
   * Copies values into a parameter array in place, natively, so optimizers holding the array stay
   * valid. DJL's {@code NDArray.set(Buffer)} would go through a Java array, and libtorch warns
   * about a deprecated guard on its first use in every process.
   */
  private static void overwrite(NDArray target, NDArray values) {
    target.set(ALL, values.toDevice(target.getDevice(), false));
  }

  /** Stops gradients from ever reaching this model's parameters (a frozen teacher). */
  public void freeze() {
    model.getBlock().freezeParameters(true);
  }

  /**
   * How many native arrays the model's manager holds: constant across training steps unless
   * something leaks.
   */
  public int nativeArrayCount() {
    return model.getNDManager().getManagedArrays().size();
  }

  @Override
  public void close() {
    model.close();
  }
}
