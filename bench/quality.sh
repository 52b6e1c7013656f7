#!/usr/bin/env bash
# Unlearning quality (ToW, ToW-MIA, accuracies, MIA, cost vs retraining) of Vanilla, Shuffle, RUM^F and full
# RUM on Fashion-MNIST (dev.rumstream.bench.QualityBenchmark). Arguments go to the program (--help lists them), e.g.
#   bench/quality.sh --profile quick          # under 15 minutes on 2 quiet cores
#   bench/quality.sh --profile quick --tune   # the hyper-parameter search on the tuning seeds first
#   bench/quality.sh --replot bench/results/quality-quick.json
# Writes bench/results/quality-<profile>.json and bench/results/quality-<profile>-{tow,tow-mia,cost}.png. No broker.
# Builds bench first; SKIP_BUILD=1 and BENCH_JAVA_OPTS as in bench/run.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" QualityBenchmark "$@"
