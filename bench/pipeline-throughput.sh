#!/usr/bin/env bash
# Deletion requests/s through the whole topology beside a Kafka Streams passthrough, on a real broker and
# registry (dev.rumstream.bench.PipelineThroughput). Arguments go to the program (--help lists them). E.g.
#   scripts/services.sh start && . .services/env && bench/pipeline-throughput.sh
# Builds bench first; SKIP_BUILD=1 and BENCH_JAVA_OPTS as in bench/run.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" PipelineThroughput "$@"
