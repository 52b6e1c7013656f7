package dev.rumstream.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Carves a per-class held-out split out of the shipped training split, reproducibly. */
final class HeldOutSplit {

  private HeldOutSplit() {}

  static DatasetSplits apply(ImageDataset shippedTrain, ImageDataset test, HeldOut heldOut) {
    if (heldOut.fraction() == 0.0) {
      return new DatasetSplits(shippedTrain, test, Optional.empty());
    }
    Random random = new Random(heldOut.seed());
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < shippedTrain.numClasses(); c++) {
      byClass.add(new ArrayList<>());
    }
    for (int row = 0; row < shippedTrain.size(); row++) {
      byClass.get(shippedTrain.label(row)).add(row);
    }
    boolean[] held = new boolean[shippedTrain.size()];
    for (List<Integer> rows : byClass) {
      java.util.Collections.shuffle(rows, random);
      int take = (int) Math.round(rows.size() * heldOut.fraction());
      for (int i = 0; i < take; i++) {
        held[rows.get(i)] = true;
      }
    }
    int[] trainRows =
        java.util.stream.IntStream.range(0, held.length).filter(r -> !held[r]).toArray();
    int[] heldRows =
        java.util.stream.IntStream.range(0, held.length).filter(r -> held[r]).toArray();
    Arrays.sort(heldRows);
    return new DatasetSplits(
        shippedTrain.subset(shippedTrain.name(), trainRows),
        test,
        Optional.of(shippedTrain.subset(shippedTrain.name() + "-heldout", heldRows)));
  }
}
