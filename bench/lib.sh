# Shared by the bench/run-*.sh scripts: sourced, never run. Before sourcing set BENCH_TAG (the
# log prefix); afterwards call bench_setup once (scratch directory, cleanup on exit).
#
#   BENCH, ROOT        the bench directory and the repository
#   WORK               the scratch directory (removed on exit; kept with KEEP_LOGS=1 when the
#                      run failed)
#   build_bench        ./mvnw install of the bench module (unless BENCH_NO_BUILD=1); sets CP
#   lumadb_jar         sets JAR (LUMADB_JAR, else server/target/lumadb.jar, built when missing)
#   start_lumadb CFG   starts the jar with config CFG and waits for /health (HTTP_PORT); LUMA_PID
#   luma_config_base   prints [general] [server] [metrics] [postgres] for DATA_DIR and the ports
#   start_postgres [-c k=v ...]   a throwaway PostgreSQL 15 under $WORK/pg on a free port; sets
#                      PG_PORT, PG_URL, PG_CTL (a script: start | stop-immediate | stop) and
#                      PG_ARGS (--pg-url URL, or --pg-missing WHY when it cannot run)
#   git_rev            prints the revision, "(with uncommitted changes)" when dirty
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), BENCH_NO_POSTGRES=1, LUMADB_HEAP
# (server -Xmx, default 2g), LUMADB_JAVA_OPTS (more server JVM flags).

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

log() { echo "[${BENCH_TAG:-bench}] $*" >&2; }
die() { log "FAILED: $*"; exit 1; }
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

USED_PORTS=" "
# A free loopback port not handed out before (call it in the main shell, not in $(...), when
# several are needed: the list of used ports lives in this shell).
next_free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 200); do
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+="$p "; FREE_PORT="$p"; return 0; fi
  done
  die "no free port"
}

LUMA_PID=""
PG_CTL=""
stop_lumadb() {
  if [[ -n "$LUMA_PID" ]] && kill -0 "$LUMA_PID" 2>/dev/null; then
    kill "$LUMA_PID" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$LUMA_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$LUMA_PID" 2>/dev/null; then log "LumaDB did not stop in 30 s: kill -9"; kill -9 "$LUMA_PID" 2>/dev/null; fi
    wait "$LUMA_PID" 2>/dev/null
  fi
  LUMA_PID=""
}
bench_cleanup() {
  local rc=$?
  set +e
  stop_lumadb
  if [[ -n "$PG_CTL" ]]; then "$PG_CTL" stop-immediate >/dev/null 2>&1; fi
  if [[ $rc -ne 0 && -n "${KEEP_LOGS:-}" ]]; then log "logs kept in $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
bench_setup() {
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/lumadb-${BENCH_TAG:-bench}.XXXXXX")"
  chmod 755 "$WORK"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

build_bench() {
  if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
    log "building bench (./mvnw -o install -pl bench)"
    (cd "$ROOT" && ./mvnw -B -q -o install -pl bench -DskipTests)
  fi
  [[ -f "$BENCH/target/classpath.txt" ]] || die "missing bench/target/classpath.txt: build the bench module first"
  CP="$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")"
}

lumadb_jar() {
  JAR="${LUMADB_JAR:-$ROOT/server/target/lumadb.jar}"
  if [[ ! -f "$JAR" ]]; then
    if [[ -n "${LUMADB_JAR:-}" ]]; then die "LUMADB_JAR=$JAR does not exist"; fi
    log "building the server jar (./mvnw -B -q -o install -DskipTests -pl server -am)"
    (cd "$ROOT" && ./mvnw -B -q -o install -DskipTests -pl server -am)
    [[ -f "$JAR" ]] || die "the build did not produce $JAR"
  fi
  local shown="${JAR#"$ROOT"/}" rev
  rev="$(git -C "$(dirname "$JAR")" rev-parse --short HEAD 2>/dev/null || true)"
  JAR_INFO="jar \`$shown\` (built $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)${rev:+ in a checkout at $rev})"
}

# Ports and data directory of the LumaDB server the script starts.
lumadb_ports() {
  next_free_port; HTTP_PORT="$FREE_PORT"
  next_free_port; METRICS_PORT="$FREE_PORT"
  next_free_port; PGWIRE_PORT="$FREE_PORT"
  DATA_DIR="$WORK/lumadb/data"
  mkdir -p "$WORK/lumadb"
  LUMA_URL="jdbc:postgresql://127.0.0.1:$PGWIRE_PORT/default?user=lumadb&password=lumadb"
}

luma_config_base() {
  cat <<EOF
[general]
data_dir = "$DATA_DIR"
log_level = "warn"

[server]
host = "127.0.0.1"
port = $HTTP_PORT

[metrics]
enabled = true
host = "127.0.0.1"
port = $METRICS_PORT

[postgres]
enabled = true
host = "127.0.0.1"
port = $PGWIRE_PORT
user = "lumadb"
password = "lumadb"
EOF
}

LUMA_FLAGS=("-Xmx${LUMADB_HEAP:-2g}" --add-opens=java.base/java.nio=ALL-UNNAMED -Duser.timezone=UTC)
read -r -a _extra_flags <<<"${LUMADB_JAVA_OPTS:-}"
LUMA_FLAGS+=("${_extra_flags[@]}")

# Returns 0 when /health answers OK, 1 when the server exited, 2 after 60 s without an answer.
start_lumadb() {
  java "${LUMA_FLAGS[@]}" -jar "$JAR" --config "$1" >"$WORK/lumadb/server.log" 2>&1 &
  LUMA_PID=$!
  for _ in $(seq 1 600); do
    if [[ "$(curl -s --max-time 1 "http://127.0.0.1:$HTTP_PORT/health" 2>/dev/null)" == OK* ]]; then return 0; fi
    kill -0 "$LUMA_PID" 2>/dev/null || { wait "$LUMA_PID" 2>/dev/null; LUMA_PID=""; return 1; }
    sleep 0.1
  done
  return 2
}

start_postgres() {
  PG_ARGS=()
  if [[ "${BENCH_NO_POSTGRES:-}" == 1 ]]; then
    PG_ARGS=(--pg-missing "left out (BENCH_NO_POSTGRES=1)")
    return 0
  fi
  if [[ ! -x "$PG_BIN/postgres" ]] && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "PostgreSQL 15 not found in $PG_BIN: apt-get install -y postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
      || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; } || true
  fi
  if [[ ! -x "$PG_BIN/postgres" ]]; then
    log "PostgreSQL 15 is not installed ($PG_BIN/postgres missing): it will be reported as not measured"
    PG_ARGS=(--pg-missing "not installed ($PG_BIN/postgres missing; apt-get install postgresql)")
    return 0
  fi
  next_free_port; PG_PORT="$FREE_PORT"
  local dir="$WORK/pg" opts
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then chown postgres "$dir"; fi
  opts="-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 $*"
  log "PostgreSQL: initdb in $dir/data, port $PG_PORT${*:+, $*}"
  as_pg "$PG_BIN/initdb" -D "$dir/data" --auth=trust -U postgres >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  PG_CTL="$WORK/pgctl.sh"
  cat >"$PG_CTL" <<EOF
#!/usr/bin/env bash
# start (returns at once) | stop-immediate (a crash) | stop
set -euo pipefail
as_pg() { if [[ "\$(id -u)" == 0 ]]; then runuser -u postgres -- "\$@"; else "\$@"; fi; }
case "\$1" in
  start) as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -W start ;;
  stop-immediate) as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop ;;
  stop) as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop ;;
  *) echo "usage: \$0 start|stop-immediate|stop" >&2; exit 2 ;;
esac
EOF
  chmod 755 "$PG_CTL"
  "$PG_CTL" start >/dev/null
  for _ in $(seq 1 300); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
    sleep 0.1
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?user=postgres"
  PG_ARGS=(--pg-url "$PG_URL")
}

git_rev() {
  local rev
  rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then rev="$rev (with uncommitted changes)"; fi
  echo "$rev"
}
