package dev.rumstream.bench.rum;

import static dev.rumstream.engine.memorization.MemorizationLevel.HIGH;
import static dev.rumstream.engine.memorization.MemorizationLevel.LOW;
import static dev.rumstream.engine.memorization.MemorizationLevel.MEDIUM;

import dev.rumstream.engine.memorization.MemorizationLevel;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.LongStream;

/** A forget set split into memorization levels; each level's ids in ascending order. */
public record RefinedForgetSet(Map<MemorizationLevel, long[]> levels) {

  public RefinedForgetSet {
    EnumMap<MemorizationLevel, long[]> copy = new EnumMap<>(MemorizationLevel.class);
    for (MemorizationLevel level : MemorizationLevel.values()) {
      long[] ids = levels.getOrDefault(level, new long[0]).clone();
      Arrays.sort(ids);
      copy.put(level, ids);
    }
    levels = java.util.Collections.unmodifiableMap(copy);
  }

  public static RefinedForgetSet of(long[] low, long[] medium, long[] high) {
    return new RefinedForgetSet(Map.of(LOW, low, MEDIUM, medium, HIGH, high));
  }

  public long[] level(MemorizationLevel level) {
    return levels.get(level).clone();
  }

  /** All ids of all levels, ascending. */
  public long[] all() {
    return levels.values().stream().flatMapToLong(LongStream::of).sorted().toArray();
  }

  public int size() {
    return levels.values().stream().mapToInt(a -> a.length).sum();
  }
}
