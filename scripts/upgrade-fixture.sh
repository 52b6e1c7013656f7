#!/usr/bin/env bash
# Writes the fixture of streams-app's UpgradeIT (src/test/resources/upgrade/RELEASE/) with an earlier release: a
# checkout of RELEASE in a git worktree runs the fixture writer (upgrade/UpgradeFixtureIT.java.txt) as an integration
# test against the services of scripts/services.sh, which leaves forget sets open; its topics and state directory
# come back here.
#   scripts/services.sh start && . .services/env && scripts/upgrade-fixture.sh d734379     (needs git and zip)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
release="${1:?usage: scripts/upgrade-fixture.sh RELEASE (a commit of this repository)}"
: "${KAFKA_BOOTSTRAP_SERVERS:?start the services first: scripts/services.sh start && . .services/env}"
root=$PWD
work=$(mktemp -d)
git worktree add --detach "$work/checkout" "$release" >/dev/null
trap 'git -C "$root" worktree remove --force "$work/checkout"; rm -rf "$work"' EXIT
cp streams-app/src/test/resources/upgrade/UpgradeFixtureIT.java.txt \
  "$work/checkout/streams-app/src/test/java/dev/rumstream/streams/it/UpgradeFixtureIT.java"
(
  cd "$work/checkout"
  ${MVN:-mvn} -B -q spotless:apply -pl streams-app
  ${MVN:-mvn} -B -q verify -pl streams-app -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=UpgradeFixtureIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dupgrade.fixture.dir="$work/out" -Dupgrade.fixture.release="$release"
)
out="$root/streams-app/src/test/resources/upgrade/$release"
mkdir -p "$out"
cp "$work/out/kafka.json.gz" "$out/"
state=$(cat "$work/out/state-dir")
rm -f "$out/state-dir.zip"
# RocksDB's own LOG files are diagnostics, not state.
(cd "$state" && zip -q -r -X "$out/state-dir.zip" . -x '*/LOG' -x '*/LOG.old*')
rm -rf "$state"
echo "fixture of $release in $out"
