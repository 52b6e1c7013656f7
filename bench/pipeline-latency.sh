#!/usr/bin/env bash
# Builds the bench module (and what it needs), then runs dev.rumstream.bench.PipelineLatency against a real broker
# and registry: end-to-end latency from deletion request to COMPLETED receipt under a steady load. Arguments go to
# the program (--help lists them). Needs running services and Debian's Fashion-MNIST, e.g.
#   scripts/services.sh start && . .services/env && bench/pipeline-latency.sh
# SKIP_BUILD=1 runs what is already in bench/target (e.g. while another benchmark runs from bench/target/lib).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # maven.test.skip: no test code is compiled, so work in progress under any src/test cannot break the build.
  "${MVN:-mvn}" -q -pl bench -am package -Dmaven.test.skip=true
fi
exec java ${BENCH_JAVA_OPTS:--Xmx4g} -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.rumstream.avro \
  -cp 'bench/target/classes:bench/target/lib/*' dev.rumstream.bench.PipelineLatency "$@"
