#!/usr/bin/env bash
# Runs the rumstream streams app from this checkout: builds it (once), then starts it with the given arguments
# (for example: scripts/streams-app.sh --config my.properties --create-topics). See --help.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cp_file=streams-app/target/runtime-classpath.txt
if [[ ! -f streams-app/target/classes/dev/rumstream/streams/StreamsApp.class || ! -f "$cp_file" ]]; then
  mvn -q -B install -DskipTests -pl streams-app -am >&2
  mvn -q -B -pl streams-app dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/$cp_file" >&2
fi
exec java ${JAVA_OPTS:-} -cp "streams-app/target/classes:$(cat "$cp_file")" dev.rumstream.streams.StreamsApp "$@"
