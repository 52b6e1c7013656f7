package dev.rumstream.topics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * A model's valid example ids as {@code ModelVersion.exampleIdSet} carries them: a 64-bit Roaring
 * bitmap, or nothing when the ids are simply 0 to size - 1 (Fashion-MNIST), which the range rule
 * covers without a set.
 */
public final class ExampleIdSet {
  private final Roaring64NavigableMap ids;

  private ExampleIdSet(Roaring64NavigableMap ids) {
    this.ids = ids;
  }

  /** The set to publish for a training set's ids; empty when they are 0 to ids.length - 1. */
  public static Optional<ByteBuffer> encode(long[] ids) {
    Roaring64NavigableMap set = new Roaring64NavigableMap();
    for (long id : ids) {
      set.addLong(id);
    }
    boolean contiguous =
        set.getLongCardinality() == ids.length
            && (ids.length == 0 || set.first() == 0 && set.last() == ids.length - 1);
    if (contiguous) {
      return Optional.empty();
    }
    set.runOptimize();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      set.serializePortable(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(ByteBuffer.wrap(bytes.toByteArray()));
  }

  /** Reads a published set. */
  public static ExampleIdSet decode(ByteBuffer encoded) {
    byte[] bytes = new byte[encoded.remaining()];
    encoded.duplicate().get(bytes);
    Roaring64NavigableMap set = new Roaring64NavigableMap();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      set.deserializePortable(in);
    } catch (IOException e) {
      throw new UncheckedIOException("an unreadable exampleIdSet", e);
    }
    return new ExampleIdSet(set);
  }

  public boolean contains(long id) {
    return ids.contains(id);
  }

  public long size() {
    return ids.getLongCardinality();
  }
}
