package dev.rumstream.topics;

/** Record keys shared by the producers and consumers of a topic. */
public final class Keys {
  private Keys() {}

  /**
   * Key of a {@code memorization-scores} record: the model id and the example id, so compaction
   * keeps one per example.
   */
  public static String score(String modelId, long exampleId) {
    return scorePrefix(modelId) + exampleId;
  }

  /** The common prefix of every score key of a model. */
  public static String scorePrefix(String modelId) {
    return modelId + ":";
  }
}
