package dev.rumstream.streams.topology;

/**
 * The header of a forget set still gathering requests: what the punctuator and the size cap need,
 * without the requests themselves (those are {@link GatheredRequest} entries beside it). One per
 * model and window in a task; rewritten on every request, so it stays a few dozen bytes.
 *
 * @param sequence sets of this window already closed early; part of the forget-set id
 * @param openedAt wall-clock millis of the first request, or null while the set is empty
 * @param earliestDeadline the earliest request deadline (epoch millis), or null
 * @param requests requests in the set
 * @param exampleIds example ids in the set, an example counted once per request that asks for it
 * @param forgetSetBytes an upper bound of the forget-set record's encoded size
 * @param jobBytes an upper bound of the encoded size of the set's largest job
 * @param firstArrival the arrival number of the set's first request: a close reads its entries from
 *     there, never over the deleted entries of the window's earlier sets
 * @param nextArrival the arrival number of the next request (entries sort by it)
 */
record OpenWindow(
    String modelId,
    long windowStart,
    int sequence,
    Long openedAt,
    Long earliestDeadline,
    int requests,
    int exampleIds,
    int forgetSetBytes,
    int jobBytes,
    int firstArrival,
    int nextArrival) {

  static OpenWindow empty(String modelId, long windowStart) {
    return new OpenWindow(modelId, windowStart, 0, null, null, 0, 0, 0, 0, 0, 0);
  }

  boolean isEmpty() {
    return requests == 0;
  }

  /** The window with one more request; its entry takes arrival number {@link #nextArrival}. */
  OpenWindow with(GatheredRequest request, long now) {
    Long deadline = request.deadline();
    return new OpenWindow(
        modelId,
        windowStart,
        sequence,
        openedAt == null ? now : openedAt,
        deadline == null || (earliestDeadline != null && earliestDeadline <= deadline)
            ? earliestDeadline
            : deadline,
        requests + 1,
        exampleIds + request.exampleIds().length,
        forgetSetBytes + RecordBudget.forgetSetBytes(request),
        jobBytes + RecordBudget.jobBytes(request),
        firstArrival,
        nextArrival + 1);
  }

  /** The same window, empty, after its set closed: the next set takes the next sequence number. */
  OpenWindow successor() {
    return new OpenWindow(
        modelId, windowStart, sequence + 1, null, null, 0, 0, 0, 0, nextArrival, nextArrival);
  }
}
