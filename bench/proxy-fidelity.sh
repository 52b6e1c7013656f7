#!/usr/bin/env bash
# Builds the bench module (and what it needs), then runs dev.rumstream.bench.ProxyFidelity: Spearman correlation of
# each memorization proxy with a subsampled Feldman memorization estimate, and the proxies' training overhead.
# Arguments go to the program (--help lists them), e.g.
#   bench/proxy-fidelity.sh --minutes 45      # K = as many estimator models as fit in 45 minutes
# Writes bench/results/proxy-fidelity.json, proxy-fidelity-scores.csv.gz and proxy-fidelity-*.png (rewritten after
# every model, so an interrupted run keeps what it measured). No broker needed. SKIP_BUILD=1 runs bench/target as is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  "${MVN:-mvn}" -q -pl bench -am package -Dmaven.test.skip=true
fi
exec java ${BENCH_JAVA_OPTS:-} -Djava.awt.headless=true -Dai.djl.offline=true \
  -cp 'bench/target/classes:bench/target/lib/*' dev.rumstream.bench.ProxyFidelity "$@"
