#!/usr/bin/env bash
# Builds the bench module (and what it needs), then runs dev.rumstream.bench.QualityBenchmark: unlearning quality
# (ToW, ToW-MIA, accuracies, MIA, cost vs retraining) of Vanilla, Shuffle, RUM^F and full RUM on Fashion-MNIST.
# Arguments go to the program (--help lists them), e.g.
#   bench/quality.sh --profile quick          # under 15 minutes on 2 quiet cores
#   bench/quality.sh --replot bench/results/quality-quick.json
# Writes bench/results/quality-<profile>.json and bench/results/quality-<profile>-{tow,tow-mia,cost}.png.
# No broker needed. SKIP_BUILD=1 runs what is already in bench/target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # maven.test.skip: no test code is compiled, so work in progress under any src/test cannot break the build.
  "${MVN:-mvn}" -q -pl bench -am package -Dmaven.test.skip=true
fi
# ai.djl.offline: libtorch comes from the pytorch-native-cpu jar in bench/target/lib, never from the network.
exec java ${BENCH_JAVA_OPTS:-} -Djava.awt.headless=true -Dai.djl.offline=true \
  -cp 'bench/target/classes:bench/target/lib/*' dev.rumstream.bench.QualityBenchmark "$@"
