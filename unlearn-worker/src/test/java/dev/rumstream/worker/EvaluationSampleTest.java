package dev.rumstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rumstream.engine.data.ImageDataset;
import dev.rumstream.worker.store.DeletedIds;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Every version of a model is measured on one sample, less what was deleted. */
class EvaluationSampleTest {
  private static final int SIZE = 1000;
  private final ImageDataset train =
      new ImageDataset(
          "tiny",
          1,
          1,
          1,
          List.of("a", "b"),
          LongStream.range(0, SIZE).map(i -> 5000 + i).toArray(),
          IntStream.range(0, SIZE).map(i -> i % 2).toArray(),
          new float[SIZE]);

  @Test
  void deletionsTakeTheirRowsOutOfTheSampleAndChangeNothingElse() {
    EvaluationSample sample = new EvaluationSample(100, 0, 7);
    int[] before = sample.retainRows(train, DeletedIds.empty()::contains);
    long[] deleted = {train.id(before[3]), train.id(before[50]), 5000 + SIZE + 10};

    int[] after = sample.retainRows(train, DeletedIds.of(deleted)::contains);

    assertThat(before).hasSize(100).isSorted();
    int[] expected =
        Arrays.stream(before).filter(row -> row != before[3] && row != before[50]).toArray();
    assertThat(after).containsExactly(expected);
  }

  @Test
  void theSampleIsTheSameForEveryUseOfTheSameSeed() {
    DeletedIds none = DeletedIds.empty();

    assertThat(new EvaluationSample(100, 0, 7).retainRows(train, none::contains))
        .containsExactly(new EvaluationSample(100, 0, 7).retainRows(train, none::contains));
  }

  @Test
  void aSampleNoSmallerThanTheTrainingSetIsAllOfIt() {
    assertThat(new EvaluationSample(0, 0, 7).retainRows(train, DeletedIds.of(5000)::contains))
        .containsExactly(IntStream.range(1, SIZE).toArray());
    assertThat(new EvaluationSample(SIZE, 0, 7).retainRows(train, DeletedIds.empty()::contains))
        .hasSize(SIZE);
  }

  @Test
  void theTestSampleIsOneSeededSubsetAndAllOfTheTestSetWhenNotSmaller() {
    EvaluationSample sample = new EvaluationSample(0, 100, 7);
    ImageDataset first = sample.testSet(train);

    assertThat(first.size()).isEqualTo(100);
    assertThat(sample.testSet(train)).isSameAs(first);
    assertThat(first.ids(IntStream.range(0, 100).toArray()))
        .containsExactly(
            new EvaluationSample(0, 100, 7).testSet(train).ids(IntStream.range(0, 100).toArray()));
    assertThat(new EvaluationSample(0, 0, 7).testSet(train)).isSameAs(train);
    assertThat(new EvaluationSample(0, SIZE, 7).testSet(train)).isSameAs(train);
  }
}
