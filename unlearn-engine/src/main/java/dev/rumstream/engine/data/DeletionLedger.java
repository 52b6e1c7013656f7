package dev.rumstream.engine.data;

import org.roaringbitmap.longlong.Roaring64Bitmap;

/**
 * The ids deleted from a model so far, as a compact set. Immutable: {@link #plus} returns a new
 * ledger, so a RUM step can never change the ledger an earlier step saw.
 */
public final class DeletionLedger {

  private static final DeletionLedger EMPTY = new DeletionLedger(new Roaring64Bitmap());

  private final Roaring64Bitmap deleted;

  private DeletionLedger(Roaring64Bitmap deleted) {
    this.deleted = deleted;
  }

  public static DeletionLedger empty() {
    return EMPTY;
  }

  public static DeletionLedger of(long... ids) {
    return EMPTY.plus(ids);
  }

  public DeletionLedger plus(long... ids) {
    Roaring64Bitmap next = copy();
    next.add(ids);
    return new DeletionLedger(next);
  }

  public boolean contains(long id) {
    return deleted.contains(id);
  }

  public long size() {
    return deleted.getLongCardinality();
  }

  /** A mutable copy the caller may change. */
  public Roaring64Bitmap copy() {
    Roaring64Bitmap copy = new Roaring64Bitmap();
    copy.or(deleted);
    return copy;
  }

  public long[] toArray() {
    return deleted.toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeletionLedger other && other.deleted.equals(deleted);
  }

  @Override
  public int hashCode() {
    return deleted.hashCode();
  }

  @Override
  public String toString() {
    return "DeletionLedger(" + size() + " ids)";
  }
}
