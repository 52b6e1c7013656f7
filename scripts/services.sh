#!/usr/bin/env bash
# Real backing services for rumstream's tests, without Docker:
#   * a KRaft Kafka broker (combined broker+controller, node.id=1) built from Maven Central artifacts
#     (org.apache.kafka:kafka_2.13:4.4.0, see scripts/services/broker-pom.xml), and
#   * Apicurio Registry 2.6.13.Final (in-memory), whose Confluent-compatible API the tests use as
#     their schema registry (compatibility set to BACKWARD, Confluent's default).
# Everything (classpath, data, logs, pid files) lives under <repo>/.services/. See usage() below.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/services.sh COMMAND

Commands:
  start    Start Kafka and the schema registry in the background, wait until both answer, write
           .services/env and print it. If they (or leftovers of a previous start) are running, they are
           stopped first: every start gives a FRESH, empty broker and registry.
           Fails (exit 1, printing the last 50 log lines) if a service is not ready in time
           (Kafka 90 s, registry 120 s); it then stops what it started.
  stop     Stop both (SIGTERM, up to 20 s, then SIGKILL). Idempotent; never fails if nothing runs.
  status   Say for each service whether its process is alive and its port answers.
           Exit 0 if both are up, 3 otherwise.
  env      Print .services/env (KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL); use: source .services/env
  topics ARGS...
           Run Kafka's TopicCommand against the running broker, e.g. `scripts/services.sh topics --list`
           (--bootstrap-server is added for you).

Environment:
  RUMSTREAM_KAFKA_PORT             PLAINTEXT listener port     (default 9092)
  RUMSTREAM_KAFKA_CONTROLLER_PORT  KRaft controller port       (default 9093)
  RUMSTREAM_REGISTRY_PORT          Apicurio HTTP port          (default 8081)
  RUMSTREAM_KAFKA_READY_TIMEOUT, RUMSTREAM_REGISTRY_READY_TIMEOUT, RUMSTREAM_STOP_TIMEOUT
                                   seconds (defaults 90, 120, 20)
  MVN                              Maven command               (default mvn)
  JAVA_HOME                        JDK 17+ to run the services (default: java on PATH)

Needs: JDK 17, Maven (artifacts come from Maven Central), curl (apt-get install -y curl).
Logs: .services/kafka/server.log, .services/apicurio/registry.log.
EOF
}

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES_SRC="$REPO_DIR/scripts/services"
STATE_DIR="$REPO_DIR/.services"
KAFKA_DIR="$STATE_DIR/kafka"
REGISTRY_DIR="$STATE_DIR/apicurio"
ENV_FILE="$STATE_DIR/env"

KAFKA_PORT="${RUMSTREAM_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${RUMSTREAM_KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${RUMSTREAM_REGISTRY_PORT:-8081}"

BROKER_POM="$SERVICES_SRC/broker-pom.xml"
CLASSPATH_FILE="$KAFKA_DIR/classpath.txt"
KAFKA_LOG="$KAFKA_DIR/server.log"
KAFKA_PID_FILE="$KAFKA_DIR/kafka.pid"
KAFKA_MAIN="kafka.Kafka"

APICURIO_VERSION="2.6.13.Final"
APICURIO_ARTIFACT="io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:zip:all"
APICURIO_DIST="$REGISTRY_DIR/dist"
APICURIO_JAR="$APICURIO_DIST/apicurio-registry-app-${APICURIO_VERSION}-runner.jar"
REGISTRY_LOG="$REGISTRY_DIR/registry.log"
REGISTRY_PID_FILE="$REGISTRY_DIR/registry.pid"
REGISTRY_BASE="http://127.0.0.1:${REGISTRY_PORT}"
CCOMPAT_URL="${REGISTRY_BASE}/apis/ccompat/v7"
SR_CONTENT_TYPE="application/vnd.schemaregistry.v1+json"

KAFKA_READY_TIMEOUT="${RUMSTREAM_KAFKA_READY_TIMEOUT:-90}"
REGISTRY_READY_TIMEOUT="${RUMSTREAM_REGISTRY_READY_TIMEOUT:-120}"
STOP_TIMEOUT="${RUMSTREAM_STOP_TIMEOUT:-20}"

MVN_CMD="${MVN:-mvn}"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

T0=$SECONDS
say()  { printf '[services %3ds] %s\n' "$((SECONDS - T0))" "$*"; }
die()  { printf '[services %3ds] ERROR: %s\n' "$((SECONDS - T0))" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- process helpers

# pid_matches PID PATTERN: PID is alive and its command line contains PATTERN (guards against pid reuse)
pid_matches() {
  local pid="$1" pattern="$2" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

# is_java PID: the process's program (argv[0]) is a java launcher
is_java() {
  local argv0=""
  { IFS= read -r -d '' argv0 <"/proc/$1/cmdline"; } 2>/dev/null || [[ -n "$argv0" ]] || return 1
  [[ "$argv0" == java || "$argv0" == */java ]]
}

# service_pids PIDFILE PATTERN: the live pid from the pid file, plus any orphan process of THIS checkout whose
# command line contains PATTERN (an absolute path under .services/), e.g. after a lost pid file.
service_pids() {
  local pidfile="$1" pattern="$2" pid f
  {
  if [[ -f "$pidfile" ]]; then
    pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
    if pid_matches "$pid" "$pattern"; then echo "$pid"; fi
  fi
  { grep -alsF -- "$pattern" /proc/[0-9]*/cmdline 2>/dev/null || true; } | while read -r f; do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    if pid_matches "$pid" "$pattern" && is_java "$pid"; then echo "$pid"; fi
  done
  } | sort -u
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_service NAME PIDFILE PATTERN
stop_service() {
  local name="$1" pidfile="$2" pattern="$3" pids waited=0
  pids="$(service_pids "$pidfile" "$pattern" | tr '\n' ' ')"
  if [[ -z "${pids// /}" ]]; then
    rm -f "$pidfile"
    say "$name: not running"
    return 0
  fi
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  while (( waited < STOP_TIMEOUT * 2 )); do
    local alive=""
    for p in $pids; do pid_matches "$p" "$pattern" && alive+="$p "; done
    [[ -z "$alive" ]] && break
    sleep 0.5; waited=$((waited + 1))
  done
  local left=""
  for p in $pids; do pid_matches "$p" "$pattern" && left+="$p "; done
  if [[ -n "$left" ]]; then
    say "$name: still alive after ${STOP_TIMEOUT}s, sending SIGKILL to $left"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
  say "$name: stopped (pid ${pids% })"
}

# launch PIDFILE LOGFILE WORKDIR CMD...: start CMD detached (own session, no tty, nohup), pid into PIDFILE
launch() {
  local pidfile="$1" logfile="$2" workdir="$3"; shift 3
  rm -f "$pidfile"
  # bash writes its own pid, then exec keeps that pid for java; setsid detaches from our session/terminal.
  # shellcheck disable=SC2016  # $$ and $@ are expanded by the inner bash on purpose
  (cd "$workdir" && nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &)
  for _ in $(seq 1 50); do [[ -s "$pidfile" ]] && return 0; sleep 0.1; done
  die "could not start: $* (no pid file $pidfile)"
}

tail_log() {
  local file="$1"
  echo "----- last 50 lines of $file -----" >&2
  tail -n 50 "$file" >&2 2>/dev/null || echo "(no log)" >&2
  echo "----- end of $file -----" >&2
}

require_curl() {
  command -v curl >/dev/null 2>&1 ||
    die "curl is required to talk to the schema registry: install it with 'apt-get install -y curl'"
}

# ---------------------------------------------------------------- preparation

resolve_kafka_classpath() {
  mkdir -p "$KAFKA_DIR"
  local ok=1 jar
  if [[ -s "$CLASSPATH_FILE" && "$CLASSPATH_FILE" -nt "$BROKER_POM" ]]; then
    IFS=":" read -r -a jars <"$CLASSPATH_FILE" || true
    for jar in "${jars[@]}"; do [[ -f "$jar" ]] || { ok=0; break; }; done
  else
    ok=0
  fi
  if (( ok == 0 )); then
    "$MVN_CMD" -B -q -Dstyle.color=never -f "$BROKER_POM" dependency:build-classpath \
        -Dmdep.outputFile="$CLASSPATH_FILE.tmp" >"$STATE_DIR/mvn.log" 2>&1 \
      || { cat "$STATE_DIR/mvn.log" >&2; die "could not resolve the Kafka broker classpath from $BROKER_POM"; }
    mv "$CLASSPATH_FILE.tmp" "$CLASSPATH_FILE"
  fi
  KAFKA_CP="$(cat "$CLASSPATH_FILE")"
  [[ "$KAFKA_CP" == *kafka_2.13-4.4.0.jar* ]] || die "unexpected classpath in $CLASSPATH_FILE"
}

fetch_apicurio() {
  mkdir -p "$REGISTRY_DIR"
  if [[ -f "$APICURIO_JAR" && -d "$APICURIO_DIST/lib" ]]; then return 0; fi
  rm -rf "$APICURIO_DIST"
  "$MVN_CMD" -B -q -Dstyle.color=never -f "$BROKER_POM" dependency:unpack \
      -Dartifact="$APICURIO_ARTIFACT" -Dtransitive=false \
      -DoutputDirectory="$APICURIO_DIST" -Dmdep.overWriteReleases=true \
      >"$STATE_DIR/mvn.log" 2>&1 \
    || { cat "$STATE_DIR/mvn.log" >&2; die "could not fetch/unpack $APICURIO_ARTIFACT"; }
  [[ -f "$APICURIO_JAR" ]] || die "unpacked $APICURIO_ARTIFACT but $APICURIO_JAR is missing"
}

write_server_properties() {
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Written by scripts/services.sh: single-node KRaft (combined broker + controller) for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${KAFKA_DIR}/data
num.partitions=1
default.replication.factor=1
# One broker: internal topics must not ask for more replicas, or groups/transactions/EOS hang.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Do not make every first consumer-group join wait 3 s.
group.initial.rebalance.delay.ms=0
# auto.create.topics.enable is left at its default (true).
EOF
}

kafka_java_opts() {
  echo "-Xmx512m -Xms128m -XX:+UseG1GC -Djava.awt.headless=true" \
       "-Dkafka.logs.dir=$KAFKA_DIR -Dlog4j2.configurationFile=$SERVICES_SRC/broker-log4j2.xml"
}

format_kafka_storage() {
  rm -rf "$KAFKA_DIR/data"
  local cluster_id
  cluster_id="$("$JAVA" -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$SERVICES_SRC/tools-log4j2.xml" \
                 kafka.tools.StorageTool random-uuid | tail -n1)" || die "kafka.tools.StorageTool random-uuid failed"
  "$JAVA" -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$SERVICES_SRC/tools-log4j2.xml" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/format.log" 2>&1 \
    || { cat "$KAFKA_DIR/format.log" >&2; die "kafka.tools.StorageTool format failed"; }
  echo "$cluster_id" >"$KAFKA_DIR/cluster.id"
}

check_port_free() {
  local port="$1" what="$2"
  if port_open "$port"; then
    die "port $port ($what) is already in use by another process; set ${3} to another port"
  fi
}

# ---------------------------------------------------------------- readiness

wait_kafka() {
  local deadline=$((LAUNCHED_AT + KAFKA_READY_TIMEOUT)) pid
  pid="$(cat "$KAFKA_PID_FILE")"
  while (( SECONDS < deadline )); do
    if grep -q "Kafka Server started" "$KAFKA_LOG" 2>/dev/null && port_open "$KAFKA_PORT"; then return 0; fi
    if ! pid_matches "$pid" "$KAFKA_MAIN"; then
      tail_log "$KAFKA_LOG"; tail_log "$KAFKA_DIR/stdout.log"
      echo "Kafka broker (pid $pid) exited during start-up" >&2
      return 1
    fi
    sleep 0.3
  done
  tail_log "$KAFKA_LOG"
  echo "Kafka broker not started within ${KAFKA_READY_TIMEOUT}s" >&2
  return 1
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" 2>/dev/null || true; }

wait_registry() {
  local deadline=$((LAUNCHED_AT + REGISTRY_READY_TIMEOUT)) pid
  pid="$(cat "$REGISTRY_PID_FILE")"
  while (( SECONDS < deadline )); do
    [[ "$(http_code "$CCOMPAT_URL/subjects")" == "200" ]] && return 0
    if ! pid_matches "$pid" "$APICURIO_JAR"; then
      tail_log "$REGISTRY_LOG"
      echo "Apicurio Registry (pid $pid) exited during start-up" >&2
      return 1
    fi
    sleep 0.3
  done
  tail_log "$REGISTRY_LOG"
  echo "Apicurio Registry did not answer GET $CCOMPAT_URL/subjects with 200 within ${REGISTRY_READY_TIMEOUT}s" >&2
  return 1
}

configure_registry() {
  local body
  body="$(curl -sS --max-time 10 -X PUT -H "Content-Type: $SR_CONTENT_TYPE" \
            --data '{"compatibility":"BACKWARD"}' "$CCOMPAT_URL/config")" \
    || { echo "PUT $CCOMPAT_URL/config failed" >&2; return 1; }
  body="$(curl -sS --max-time 10 "$CCOMPAT_URL/config")" || { echo "GET $CCOMPAT_URL/config failed" >&2; return 1; }
  if ! grep -Eq '"compatibility(Level)?" *: *"BACKWARD"' <<<"$body"; then
    echo "registry compatibility not BACKWARD after PUT; GET /config said: $body" >&2
    return 1
  fi
}

# ---------------------------------------------------------------- commands

cmd_stop() {
  stop_service "kafka" "$KAFKA_PID_FILE" "$KAFKA_DIR/server.properties"
  stop_service "registry" "$REGISTRY_PID_FILE" "$APICURIO_JAR"
  rm -f "$ENV_FILE"
}

fail_start() {
  echo "start failed; stopping what was started" >&2
  cmd_stop >&2 || true
  exit 1
}

cmd_start() {
  require_curl
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need JDK 17+)"
  command -v "$MVN_CMD" >/dev/null 2>&1 || die "maven ('$MVN_CMD') not found"
  mkdir -p "$STATE_DIR"

  if [[ -n "$(service_pids "$KAFKA_PID_FILE" "$KAFKA_DIR/server.properties")$(service_pids "$REGISTRY_PID_FILE" "$APICURIO_JAR")" ]]; then
    say "services already running: stopping them first (start always gives fresh services)"
    cmd_stop
  fi
  rm -f "$ENV_FILE"
  check_port_free "$KAFKA_PORT" "Kafka" RUMSTREAM_KAFKA_PORT
  check_port_free "$CONTROLLER_PORT" "Kafka controller" RUMSTREAM_KAFKA_CONTROLLER_PORT
  check_port_free "$REGISTRY_PORT" "schema registry" RUMSTREAM_REGISTRY_PORT

  resolve_kafka_classpath
  say "kafka: classpath resolved ($(tr ':' '\n' <"$CLASSPATH_FILE" | wc -l) jars)"
  fetch_apicurio
  say "registry: Apicurio $APICURIO_VERSION ready in ${APICURIO_DIST#"$REPO_DIR/"}"

  write_server_properties
  format_kafka_storage
  say "kafka: storage formatted (cluster id $(cat "$KAFKA_DIR/cluster.id"))"

  : >"$KAFKA_LOG"; : >"$KAFKA_DIR/stdout.log"
  LAUNCHED_AT=$SECONDS   # both readiness timeouts count from here (the services start in parallel)
  # shellcheck disable=SC2046
  launch "$KAFKA_PID_FILE" "$KAFKA_DIR/stdout.log" "$KAFKA_DIR" \
    "$JAVA" $(kafka_java_opts) -cp "$KAFKA_CP" "$KAFKA_MAIN" "$KAFKA_DIR/server.properties"
  : >"$REGISTRY_LOG"
  launch "$REGISTRY_PID_FILE" "$REGISTRY_LOG" "$REGISTRY_DIR" \
    env HTTP_PORT="$REGISTRY_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    "$JAVA" -Xmx512m -jar "$APICURIO_JAR"
  say "kafka (pid $(cat "$KAFKA_PID_FILE")) and registry (pid $(cat "$REGISTRY_PID_FILE")) launched"

  wait_kafka || fail_start
  say "kafka: started on 127.0.0.1:$KAFKA_PORT (log ${KAFKA_LOG#"$REPO_DIR/"})"
  wait_registry || fail_start
  say "registry: answering on $CCOMPAT_URL (log ${REGISTRY_LOG#"$REPO_DIR/"})"
  configure_registry || fail_start
  say "registry: compatibility set to BACKWARD"

  cat >"$ENV_FILE" <<EOF
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:${KAFKA_PORT}
export SCHEMA_REGISTRY_URL=${CCOMPAT_URL}
EOF
  say "services up; environment in ${ENV_FILE#"$REPO_DIR/"}:"
  cat "$ENV_FILE"
}

cmd_status() {
  local rc=0 pid
  pid="$(service_pids "$KAFKA_PID_FILE" "$KAFKA_DIR/server.properties")"; pid="${pid%%$'\n'*}"
  local kproc="not running" kport="closed"
  [[ -n "$pid" ]] && kproc="running (pid $pid)"
  port_open "$KAFKA_PORT" && kport="open"
  echo "kafka:    process $kproc; 127.0.0.1:$KAFKA_PORT $kport"
  [[ -n "$pid" && "$kport" == open ]] || rc=3

  pid="$(service_pids "$REGISTRY_PID_FILE" "$APICURIO_JAR")"; pid="${pid%%$'\n'*}"
  local rproc="not running" rport="not answering"
  [[ -n "$pid" ]] && rproc="running (pid $pid)"
  if command -v curl >/dev/null 2>&1; then
    local code; code="$(http_code "$CCOMPAT_URL/subjects")"
    [[ "$code" == "200" ]] && rport="answering (GET /subjects -> 200)"
    [[ "$code" != "200" && "$code" != "000" && -n "$code" ]] && rport="answering with HTTP $code"
  else
    port_open "$REGISTRY_PORT" && rport="open (curl missing, HTTP not checked)"
  fi
  echo "registry: process $rproc; $CCOMPAT_URL $rport"
  [[ -n "$pid" && "$rport" == answering* ]] || rc=3
  return $rc
}

cmd_env() {
  [[ -f "$ENV_FILE" ]] || { echo "no $ENV_FILE: run scripts/services.sh start" >&2; exit 1; }
  cat "$ENV_FILE"
}

cmd_topics() {
  [[ -s "$CLASSPATH_FILE" ]] || resolve_kafka_classpath
  exec "$JAVA" -cp "$(cat "$CLASSPATH_FILE")" -Dlog4j2.configurationFile="$SERVICES_SRC/tools-log4j2.xml" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" "$@"
}

case "${1:-}" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  env)    cmd_env ;;
  topics) shift; cmd_topics "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
