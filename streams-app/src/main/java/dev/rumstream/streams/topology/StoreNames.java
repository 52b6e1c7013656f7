package dev.rumstream.streams.topology;

/** Names of the topology's state stores (also the names interactive queries use). */
public final class StoreNames {
  /** Request ids already accepted, with the wall-clock time of acceptance. */
  public static final String REQUEST_IDS = "request-ids";

  /** What each remembered request id asked for, to tell a duplicate from a conflicting reuse. */
  public static final String REQUEST_FINGERPRINTS = "request-fingerprints";

  /** Forget sets still gathering requests, by model and window. */
  public static final String OPEN_FORGET_SETS = "open-forget-sets";

  /** Each task's event-time watermark (the latest accepted requestedAt). */
  public static final String FORGET_SET_CLOCK = "forget-set-clock";

  /** Global: every memorization score, by model and example. */
  public static final String SCORES = "memorization-scores";

  /** Global: the latest version of every model. */
  public static final String MODELS = "model-versions";

  /** The latest receipt of every request, materialized from deletion-receipts. */
  public static final String RECEIPTS = "receipts";

  /** Every request's audit trail, read back from deletion-audit. */
  public static final String HISTORY = "request-history";

  /** Accepted requests not yet COMPLETED, with their deadlines, from deletion-audit. */
  public static final String OUTSTANDING = "outstanding-requests";

  private StoreNames() {}
}
