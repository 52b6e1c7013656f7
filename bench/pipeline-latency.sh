#!/usr/bin/env bash
# End-to-end latency from deletion request to COMPLETED receipt under a steady load, on a real broker and
# registry (dev.rumstream.bench.PipelineLatency). Arguments go to the program (--help lists them). Needs running
# services and Debian's Fashion-MNIST, e.g.
#   scripts/services.sh start && . .services/env && bench/pipeline-latency.sh
# Builds bench first; SKIP_BUILD=1 and BENCH_JAVA_OPTS as in bench/run.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" PipelineLatency "$@"
