package dev.rumstream.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  @Test
  void loadsTheDebianPackagesSplitsWithStableIds() {
    DatasetSplits splits = FashionMnist.load();
    ImageDataset train = splits.train();
    assertThat(train.size()).isEqualTo(60_000);
    assertThat(splits.test().size()).isEqualTo(10_000);
    assertThat(splits.heldOut()).isEmpty();
    assertThat(train.channels()).isEqualTo(1);
    assertThat(train.height()).isEqualTo(28);
    assertThat(train.width()).isEqualTo(28);
    assertThat(train.numClasses()).isEqualTo(10);
    assertThat(train.id(0)).isZero();
    assertThat(train.id(59_999)).isEqualTo(59_999);
    assertThat(splits.test().id(0)).isEqualTo(FashionMnist.TEST_ID_OFFSET);
    // The shipped training labels are balanced: 6,000 per class.
    int[] perClass = new int[10];
    for (int row = 0; row < train.size(); row++) {
      perClass[train.label(row)]++;
    }
    assertThat(perClass).containsOnly(6_000);
    float[] pixels = train.pixelsOf(0);
    for (float p : pixels) {
      assertThat(p).isBetween(0f, 1f);
    }
  }

  @Test
  void aHeldOutSplitIsStratifiedDisjointAndKeepsIds() {
    DatasetSplits splits = FashionMnist.load(FashionMnist.DEBIAN_DIR, new HeldOut(0.1, 1));
    ImageDataset held = splits.heldOut().orElseThrow();
    assertThat(held.size()).isEqualTo(6_000);
    assertThat(splits.train().size()).isEqualTo(54_000);
    Set<Long> heldIds = new HashSet<>();
    for (int row = 0; row < held.size(); row++) {
      heldIds.add(held.id(row));
    }
    for (int row = 0; row < splits.train().size(); row++) {
      assertThat(heldIds.contains(splits.train().id(row))).isFalse();
    }
    int[] perClass = new int[10];
    for (int row = 0; row < held.size(); row++) {
      perClass[held.label(row)]++;
    }
    assertThat(perClass).containsOnly(600);
    DatasetSplits again = FashionMnist.load(FashionMnist.DEBIAN_DIR, new HeldOut(0.1, 1));
    assertThat(again.heldOut().orElseThrow().ids(again.heldOut().orElseThrow().allRows()))
        .containsExactly(held.ids(held.allRows()));
  }

  @Test
  void aMissingDatasetNamesThePackageAndTheCommand(@TempDir Path empty) {
    assertThatThrownBy(() -> FashionMnist.load(empty, HeldOut.NONE))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("dataset-fashion-mnist")
        .hasMessageContaining("apt-get install -y dataset-fashion-mnist");
  }
}
