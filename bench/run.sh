#!/usr/bin/env bash
# Builds the bench module (and what it needs), then runs one benchmark program of dev.rumstream.bench:
#   bench/run.sh QualityBenchmark --profile quick      (the other scripts here are named shortcuts for this)
# SKIP_BUILD=1 runs what is already in bench/target; BENCH_JAVA_OPTS replaces the JVM options (default -Xmx4g).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
program="${1:?usage: bench/run.sh PROGRAM [ARGS...], e.g. QualityBenchmark --help}"
shift
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # maven.test.skip: no test code is compiled, so work in progress under any src/test cannot break the build.
  "${MVN:-mvn}" -q -pl bench -am package -Dmaven.test.skip=true
fi
# The runtime jars are copied to bench/target/lib, so a build elsewhere in the checkout cannot swap them under a run.
# ai.djl.offline: libtorch comes from the pytorch-native-cpu jar there, never from the network.
exec java ${BENCH_JAVA_OPTS:--Xmx4g} -Djava.awt.headless=true -Dai.djl.offline=true \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.rumstream.avro \
  -cp 'bench/target/classes:bench/target/lib/*' "dev.rumstream.bench.${program}" "$@"
