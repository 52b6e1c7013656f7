package dev.rumstream.streams.topology;

/**
 * Upper bounds of what one request adds to the records its forget set becomes, so that a set closes
 * before any of them could grow past {@link #MAX_RECORD_BYTES}: half the broker's default message
 * limit (1 MB), which leaves room for headers, batching and the fixed fields.
 *
 * <p>The bounds follow Avro's binary encoding: a long or int is a varint of at most 10 or 5 bytes,
 * a string its length's varint and its UTF-8 bytes (request ids are ASCII), a union one byte more.
 */
public final class RecordBudget {
  static final int MAX_RECORD_BYTES = 512 * 1024;

  /** Longest request id the intake accepts ({@link RequestValidator#REQUEST_ID}). */
  static final int MAX_REQUEST_ID = 128;

  /**
   * A job's request summary beyond its request id: subject hash ("hmac-sha256:" and 64 hex digits),
   * reason, three timestamps, counts, the audit link (a Base64 or hex mac) and the unions' bytes.
   */
  private static final int SUMMARY_BYTES = 256;

  /** The fixed fields of a forget set or job (ids, times, refinement, hyper-parameters). */
  static final int FIXED_BYTES = 4 * 1024;

  private RecordBudget() {}

  /**
   * A forget example per id (its id, the request id in its list, score, flag and level) and the
   * request id in the set's list.
   */
  static int forgetSetBytes(GatheredRequest request) {
    int id = idBytes(request.requestId());
    return request.exampleIds().length * (10 + id + 1 + 9 + 1 + 1 + 1) + id;
  }

  /**
   * The largest job of a set is its last: its ids, the request id in the job's list, and the
   * request's summary, which only the last job carries.
   */
  static int jobBytes(GatheredRequest request) {
    int id = idBytes(request.requestId());
    return request.exampleIds().length * 10 + 2 * id + SUMMARY_BYTES;
  }

  /** Whether the request fits in the set beside what it holds already. */
  static boolean fits(OpenWindow window, GatheredRequest request) {
    return FIXED_BYTES + window.forgetSetBytes() + forgetSetBytes(request) <= MAX_RECORD_BYTES
        && FIXED_BYTES + window.jobBytes() + jobBytes(request) <= MAX_RECORD_BYTES;
  }

  /**
   * The most example ids a request may list so that, alone in a set and with the longest request
   * id, it fits: the intake's per-request limit must not exceed it.
   */
  public static int maxExamplesPerRequest() {
    int id = MAX_REQUEST_ID + 2;
    int perId = 10 + id + 1 + 9 + 1 + 1 + 1;
    return (MAX_RECORD_BYTES - FIXED_BYTES - id) / perId;
  }

  private static int idBytes(String requestId) {
    return requestId.length() + 2;
  }
}
