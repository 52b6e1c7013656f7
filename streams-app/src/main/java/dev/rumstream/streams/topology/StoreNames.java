package dev.rumstream.streams.topology;

/** Names of the topology's state stores (also the names interactive queries use). */
public final class StoreNames {
  /**
   * Request ids already accepted, each with its acceptance time and the fingerprint of what it
   * asked for (to tell a duplicate from a conflicting reuse), filed under the start of the dedup
   * period in which it was accepted, so a lookup is a point read in each period the retention
   * spans.
   */
  public static final String ACCEPTED_REQUEST_IDS = "accepted-request-ids-by-period";

  /** Before periods: accepted request ids in windows of their exact acceptance time (migrated). */
  static final String LEGACY_ACCEPTED_REQUEST_IDS = "accepted-request-ids";

  /** Before the window store: accepted request ids with their acceptance time (migrated away). */
  static final String LEGACY_REQUEST_IDS = "request-ids";

  /** Before the window store: each remembered id's fingerprint (migrated away). */
  static final String LEGACY_REQUEST_FINGERPRINTS = "request-fingerprints";

  /** Headers of the forget sets still gathering requests, by model and window. */
  public static final String OPEN_WINDOWS = "open-forget-set-windows";

  /** The requests of the open forget sets, one entry each, by window and arrival. */
  public static final String GATHERED_REQUESTS = "open-forget-set-requests";

  /** Before per-request state: each open set as one record (migrated away). */
  static final String LEGACY_OPEN_FORGET_SETS = "open-forget-sets";

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
