#!/usr/bin/env bash
# Storage benchmark (issue 3): LumaDB's storage engine vs DuckDB vs PostgreSQL 15 on TSBS
# cpu-only data. Writes/updates a section of bench/RESULTS.md. See bench/README.md.
#
#   bench/run-storage.sh                                               # quick: 100 hosts x 12 h (432K rows), 3-5 min
#   BENCH_HEAP=8g bench/run-storage.sh --hosts 100 --hours 72 --runs 3 # TSBS size: 2.59M rows, ~12 min
#
# Any StorageBench option may be given (--runs, --writers, --batch-rows, --seed, --values full, ...).
# Environment: BENCH_HEAP (default 6g), PG_BIN (default /usr/lib/postgresql/15/bin),
# BENCH_NO_BUILD=1 to skip the Maven build, BENCH_NO_POSTGRES=1 to leave PostgreSQL out.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
HEAP="${BENCH_HEAP:-6g}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

log() { echo "[run-storage] $*" >&2; }

if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
  log "building bench (./mvnw -o install -pl bench)"
  (cd "$ROOT" && ./mvnw -B -q -o install -pl bench -DskipTests)
fi
[[ -f "$BENCH/target/classpath.txt" ]] || { log "missing bench/target/classpath.txt: build the bench module first"; exit 1; }
CP="$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lumadb-storage-bench.XXXXXX")"
chmod 755 "$WORK"
PGCTL="$WORK/pgctl.sh"
cleanup() {
  if [[ -x "$PGCTL" ]]; then "$PGCTL" stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Runs a PostgreSQL binary as the postgres user when we are root (it refuses to run as root).
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

PG_ARGS=()
if [[ "${BENCH_NO_POSTGRES:-}" == 1 ]]; then
  PG_ARGS=(--pg-missing "left out (BENCH_NO_POSTGRES=1)")
else
  if [[ ! -x "$PG_BIN/postgres" ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
      log "PostgreSQL 15 not found in $PG_BIN: apt-get install -y postgresql"
      DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; } || true
    fi
  fi
  if [[ ! -x "$PG_BIN/postgres" ]]; then
    log "PostgreSQL 15 is not installed ($PG_BIN/postgres missing): it will be reported as not measured"
    PG_ARGS=(--pg-missing "not installed ($PG_BIN/postgres missing; apt-get install postgresql)")
  else
    PORT="$(free_port)"
    PGDIR="$WORK/pg"
    mkdir -p "$PGDIR"
    if [[ "$(id -u)" == 0 ]]; then chown postgres "$PGDIR"; fi
    # Checkpoints are pushed out so that crash recovery replays the whole load (the restart
    # figure); everything else is PostgreSQL's default.
    PG_SETTINGS="max_wal_size=64GB, checkpoint_timeout=1d"
    PG_OPTS="-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_wal_size=64GB -c checkpoint_timeout=1d"
    log "PostgreSQL: initdb in $PGDIR/data, port $PORT"
    as_pg "$PG_BIN/initdb" -D "$PGDIR/data" --auth=trust -U postgres >"$WORK/initdb.log" 2>&1 \
      || { cat "$WORK/initdb.log" >&2; exit 1; }
    cat >"$PGCTL" <<EOF
#!/usr/bin/env bash
# start (returns at once) | stop-immediate (a crash) | stop
set -euo pipefail
as_pg() { if [[ "\$(id -u)" == 0 ]]; then runuser -u postgres -- "\$@"; else "\$@"; fi; }
case "\$1" in
  start) as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -o "$PG_OPTS" -W start ;;
  stop-immediate) as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop ;;
  stop) as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop ;;
  *) echo "usage: \$0 start|stop-immediate|stop" >&2; exit 2 ;;
esac
EOF
    chmod 755 "$PGCTL"
    "$PGCTL" start >/dev/null
    for _ in $(seq 1 300); do
      if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then break; fi
      sleep 0.1
    done
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { log "PostgreSQL did not start:"; cat "$PGDIR/server.log" >&2; exit 1; }
    PG_ARGS=(--pg-url "jdbc:postgresql://127.0.0.1:$PORT/postgres?user=postgres" --pg-ctl "$PGCTL"
      --pg-settings "$PG_SETTINGS")
  fi
fi

REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then REV="$REV (with uncommitted changes)"; fi

log "running StorageBench (heap $HEAP, scratch $WORK)"
java "-Xms$HEAP" "-Xmx$HEAP" -XX:+AlwaysPreTouch \
  --add-opens=java.base/java.nio=ALL-UNNAMED -Duser.timezone=UTC \
  -cp "$CP" io.lumadb.bench.StorageBench \
  --work-dir "$WORK/data" --results "$BENCH/RESULTS.md" \
  --command "bench/run-storage.sh${*:+ $*}" --git-rev "$REV" \
  "${PG_ARGS[@]}" "$@"
