package dev.rumstream.worker.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;
import java.util.function.Supplier;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * A version's deletion ledger: the ids deleted from the model up to it, sorted and distinct. It is
 * a list so that callers read it as they always have; a stored ledger is a Roaring bitmap file read
 * only when its ids are first asked for (listing versions reads every manifest and needs only the
 * count).
 */
public final class DeletedIds extends AbstractList<Long> implements RandomAccess {
  private static final DeletedIds EMPTY = new DeletedIds(new long[0]);

  private final int size;
  private final String storedAs;
  private Supplier<long[]> source;
  private long[] ids;

  private DeletedIds(long[] sortedDistinct) {
    this.size = sortedDistinct.length;
    this.storedAs = null;
    this.ids = sortedDistinct;
  }

  private DeletedIds(int size, String storedAs, Supplier<long[]> source) {
    this.size = size;
    this.storedAs = storedAs;
    this.source = source;
  }

  public static DeletedIds empty() {
    return EMPTY;
  }

  /** The ledger of these ids, in any order, duplicates dropped. */
  public static DeletedIds of(long... ids) {
    long[] sorted = Arrays.stream(ids).sorted().distinct().toArray();
    return sorted.length == 0 ? EMPTY : new DeletedIds(sorted);
  }

  /** The ledger of a list (itself when it is one already). */
  public static DeletedIds copyOf(Collection<Long> ids) {
    if (ids == null) {
      return EMPTY;
    }
    if (ids instanceof DeletedIds ledger) {
      return ledger;
    }
    return of(ids.stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * A stored ledger of {@code size} ids, read from {@code source} on first use; {@code storedAs}
   * names its file, so rewriting a manifest never reads or encodes it again.
   */
  static DeletedIds lazy(int size, String storedAs, Supplier<long[]> source) {
    return size == 0 ? EMPTY : new DeletedIds(size, storedAs, source);
  }

  /** The name of the file this ledger was read from; null for one built in memory. */
  String storedAs() {
    return storedAs;
  }

  /** This ledger plus {@code more}. */
  public DeletedIds plus(long... more) {
    long[] current = ids();
    long[] merged = Arrays.copyOf(current, current.length + more.length);
    System.arraycopy(more, 0, merged, current.length, more.length);
    return of(merged);
  }

  public boolean contains(long id) {
    return Arrays.binarySearch(ids(), id) >= 0;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof Long id && contains(id.longValue());
  }

  /** The ids, sorted; a copy. */
  public long[] toLongArray() {
    return ids().clone();
  }

  @Override
  public Long get(int index) {
    return ids()[index];
  }

  @Override
  public int size() {
    return size;
  }

  /** The ledger as a portable 64-bit Roaring bitmap. */
  byte[] encode() {
    Roaring64NavigableMap bitmap = new Roaring64NavigableMap();
    for (long id : ids()) {
      bitmap.addLong(id);
    }
    bitmap.runOptimize();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      bitmap.serializePortable(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads a ledger {@link #encode} wrote. */
  static long[] decode(byte[] encoded) throws IOException {
    Roaring64NavigableMap bitmap = new Roaring64NavigableMap();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      bitmap.deserializePortable(in);
    }
    long[] ids = bitmap.toArray();
    // The bitmap orders ids as unsigned numbers; the ledger searches them as signed ones.
    Arrays.sort(ids);
    return ids;
  }

  private synchronized long[] ids() {
    if (ids == null) {
      long[] read = source.get();
      if (read.length != size) {
        throw new CorruptVersionException(
            "a deletion ledger holds " + read.length + " ids where its manifest records " + size);
      }
      ids = read;
      source = null;
    }
    return ids;
  }
}
