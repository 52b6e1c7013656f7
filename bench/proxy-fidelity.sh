#!/usr/bin/env bash
# Spearman correlation of each memorization proxy with a subsampled Feldman memorization estimate, and the
# proxies' training overhead (dev.rumstream.bench.ProxyFidelity). Arguments go to the program (--help lists them):
#   bench/proxy-fidelity.sh --minutes 45      # K = as many estimator models as fit in 45 minutes
# Writes bench/results/proxy-fidelity.json, proxy-fidelity-scores.csv.gz and proxy-fidelity-*.png. No broker.
# Builds bench first; SKIP_BUILD=1 and BENCH_JAVA_OPTS as in bench/run.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" ProxyFidelity "$@"
