package dev.rumstream.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ExampleIdSetTest {

  @Test
  void idsZeroToSizeNeedNoSet() {
    assertThat(ExampleIdSet.encode(LongStream.range(0, 60_000).toArray())).isEmpty();
    assertThat(ExampleIdSet.encode(new long[0])).isEmpty();
  }

  @Test
  void hashedIdsRoundTripAndNothingElseIsInTheSet() {
    long[] ids = new Random(7).longs(1_000, 0, Long.MAX_VALUE).toArray();
    ByteBuffer encoded = ExampleIdSet.encode(ids).orElseThrow();
    ExampleIdSet set = ExampleIdSet.decode(encoded);
    assertThat(set.size()).isEqualTo(1_000);
    for (long id : ids) {
      assertThat(set.contains(id)).isTrue();
    }
    assertThat(set.contains(5)).isFalse();
    assertThat(set.contains(ids[0] + 1)).isFalse();
    assertThat(ExampleIdSet.encode(new long[] {1, 2, 3})).as("not starting at 0").isPresent();
  }
}
