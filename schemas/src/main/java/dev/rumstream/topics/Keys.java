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

  /**
   * Buckets a model's deletion requests are spread over: enough to use many partitions, few enough
   * that every bucket of a model stays busy.
   */
  public static final int REQUEST_BUCKETS = 64;

  /**
   * Key of a {@code deletion-requests} record: the model id and a bucket from the request id, so
   * one model's requests spread over partitions while every copy of one request (a resend, a
   * conflicting reuse of its id) meets the first on the same partition. A key of the model id alone
   * (older producers) is accepted too.
   */
  public static String request(String modelId, String requestId) {
    return modelId + "#" + Math.floorMod(requestId.hashCode(), REQUEST_BUCKETS);
  }

  /** The common prefix of every score key of a model. */
  public static String scorePrefix(String modelId) {
    return modelId + ":";
  }
}
