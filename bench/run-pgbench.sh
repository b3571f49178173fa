#!/usr/bin/env bash
# Wire-protocol benchmark (issue 4): pgbench with custom scripts (SELECT 1, a point query, a
# small aggregate) in -M simple, extended and prepared against LumaDB (its shaded jar) and a
# throwaway PostgreSQL 15, in the same run. Writes/updates a section of bench/RESULTS.md.
# See bench/README.md.
#
#   bench/run-pgbench.sh                          # quick: 3 runs of 3 s per case, ~7 min
#   bench/run-pgbench.sh --duration 10 --runs 5   # steadier, ~35 min
#
# Options: --duration S (pgbench -T, default 3), --runs R (default 3), --rows N (default 10000),
# --clients LIST (comma separated client counts, default 1,4), --threads J (pgbench -j is
# min(clients, J), default 2), --warmup S (seconds per script, mode and system, default 2).
# Environment: LUMADB_JAR (default server/target/lumadb.jar, built with Maven when missing),
# PG_BIN (default /usr/lib/postgresql/15/bin), BENCH_NO_POSTGRES=1 to leave PostgreSQL out,
# BENCH_RESULTS (default bench/RESULTS.md), KEEP_LOGS=1 to keep the scratch directory on failure.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
HELPER="$BENCH/pgbench/report.py"
RESULTS_MD="${BENCH_RESULTS:-$BENCH/RESULTS.md}"
SCRIPTS=(select1 point agg)
MODES=(simple extended prepared)

DURATION=3 RUNS=3 ROWS=10000 CLIENTS="1,4" THREADS=2 WARMUP=2
COMMAND="bench/run-pgbench.sh${*:+ $*}"
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --rows) ROWS="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-pgbench: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in "$DURATION" "$RUNS" "$ROWS" "$THREADS" "$WARMUP"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "run-pgbench: not a whole number: $v" >&2; exit 2; }
done
[[ "$DURATION" -ge 1 && "$RUNS" -ge 1 && "$ROWS" -ge 10 && "$THREADS" -ge 1 ]] \
  || { echo "run-pgbench: --duration, --runs, --threads at least 1, --rows at least 10" >&2; exit 2; }
IFS=', ' read -r -a CLIENT_LIST <<<"$CLIENTS"
for c in "${CLIENT_LIST[@]}"; do
  [[ "$c" =~ ^[1-9][0-9]*$ ]] || { echo "run-pgbench: bad client count '$c' in --clients" >&2; exit 2; }
done

log() { echo "[run-pgbench] $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# --- tools ------------------------------------------------------------------------------------
pick() { if [[ -x "$PG_BIN/$1" ]]; then echo "$PG_BIN/$1"; else command -v "$1" || true; fi; }
maybe_install_postgres() {
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing postgresql with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
      || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; } || true
  fi
}
if [[ "${BENCH_NO_POSTGRES:-}" != 1 && ! -x "$PG_BIN/postgres" ]] || [[ -z "$(pick pgbench)" || -z "$(pick psql)" ]]; then
  maybe_install_postgres
fi
PGBENCH="$(pick pgbench)"; PSQL="$(pick psql)"
[[ -n "$PGBENCH" && -n "$PSQL" ]] || die "pgbench and psql are needed (apt-get install postgresql-client)"
command -v python3 >/dev/null || die "python3 is needed (bench/pgbench/report.py)"
command -v curl >/dev/null || die "curl is needed (GET /health)"

JAR="${LUMADB_JAR:-$ROOT/server/target/lumadb.jar}"
if [[ ! -f "$JAR" ]]; then
  if [[ -n "${LUMADB_JAR:-}" ]]; then die "LUMADB_JAR=$JAR does not exist"; fi
  log "building the server jar (./mvnw -B -q -o install -DskipTests -pl server -am)"
  (cd "$ROOT" && ./mvnw -B -q -o install -DskipTests -pl server -am)
  [[ -f "$JAR" ]] || die "the build did not produce $JAR"
fi

# --- scratch space and cleanup ----------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lumadb-pgbench.XXXXXX")"
chmod 755 "$WORK"
LUMA_PID=""
PG_STARTED=""
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$LUMA_PID" ]] && kill -0 "$LUMA_PID" 2>/dev/null; then
    kill "$LUMA_PID" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$LUMA_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$LUMA_PID" 2>/dev/null; then log "LumaDB did not stop in 15 s: kill -9"; kill -9 "$LUMA_PID" 2>/dev/null; fi
    wait "$LUMA_PID" 2>/dev/null
  fi
  if [[ -n "$PG_STARTED" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1
  fi
  if [[ $rc -ne 0 && -n "${KEEP_LOGS:-}" ]]; then log "logs kept in $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

USED_PORTS=" "
free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 200); do
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+="$p "; echo "$p"; return 0; fi
  done
  return 1
}

LOAD_START="$(cut -d' ' -f1 /proc/loadavg)"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# --- LumaDB -----------------------------------------------------------------------------------
HTTP_PORT="$(free_port)"; METRICS_PORT="$(free_port)"; LUMA_PORT="$(free_port)"
mkdir -p "$WORK/lumadb"
CFG="$WORK/lumadb/config.toml"
cat >"$CFG" <<EOF
# Generated by bench/run-pgbench.sh: defaults except ports, data_dir and log level.
[general]
data_dir = "$WORK/lumadb/data"
log_level = "warn"

[server]
host = "127.0.0.1"
port = $HTTP_PORT

[metrics]
enabled = true
host = "127.0.0.1"
port = $METRICS_PORT

[prometheus]
enabled = false

[otlp]
enabled = false

[grpc]
enabled = false

[avatica]
enabled = false

[postgres]
enabled = true
host = "127.0.0.1"
port = $LUMA_PORT
user = "lumadb"
password = "lumadb"
EOF
LUMA_FLAGS=(-Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED -Duser.timezone=UTC)
log "LumaDB: $JAR, pgwire port $LUMA_PORT, health port $HTTP_PORT"
java "${LUMA_FLAGS[@]}" -jar "$JAR" --config "$CFG" >"$WORK/lumadb/server.log" 2>&1 &
LUMA_PID=$!
for _ in $(seq 1 600); do
  if [[ "$(curl -s --max-time 1 "http://127.0.0.1:$HTTP_PORT/health" 2>/dev/null)" == OK* ]]; then break; fi
  kill -0 "$LUMA_PID" 2>/dev/null || { cat "$WORK/lumadb/server.log" >&2; die "LumaDB exited during startup"; }
  sleep 0.1
done
[[ "$(curl -s --max-time 2 "http://127.0.0.1:$HTTP_PORT/health")" == OK* ]] \
  || { tail -50 "$WORK/lumadb/server.log" >&2; die "LumaDB's /health did not answer OK within 60 s"; }

# --- PostgreSQL -------------------------------------------------------------------------------
PG_MISSING=""
if [[ "${BENCH_NO_POSTGRES:-}" == 1 ]]; then
  PG_MISSING="left out (BENCH_NO_POSTGRES=1)"
elif [[ ! -x "$PG_BIN/postgres" ]]; then
  PG_MISSING="not installed ($PG_BIN/postgres missing; apt-get install postgresql)"
else
  PG_PORT="$(free_port)"
  mkdir -p "$WORK/pg"
  if [[ "$(id -u)" == 0 ]]; then chown postgres "$WORK/pg"; fi
  log "PostgreSQL: initdb in $WORK/pg/data, port $PG_PORT"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" --auth=trust -U postgres >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  PG_STARTED=1
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1" -W start >/dev/null
  for _ in $(seq 1 300); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
    sleep 0.1
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || { cat "$WORK/pg/server.log" >&2; die "PostgreSQL did not start"; }
fi
[[ -n "$PG_MISSING" ]] && log "PostgreSQL not measured: $PG_MISSING"

SYSTEMS=(LumaDB)
[[ -z "$PG_MISSING" ]] && SYSTEMS+=(PostgreSQL)
# Connection arguments of each system (pgbench and psql take the same ones).
conn() {
  case "$1" in
    LumaDB) echo "-h 127.0.0.1 -p $LUMA_PORT -U lumadb default" ;;
    PostgreSQL) echo "-h 127.0.0.1 -p $PG_PORT -U postgres postgres" ;;
  esac
}
export PGPASSWORD=lumadb  # LumaDB's login; PostgreSQL runs with trust auth and ignores it
export PGCONNECT_TIMEOUT=10
q() { # system sql...: psql -At, fails loudly
  local sys="$1"; shift
  # shellcheck disable=SC2046
  "$PSQL" -X -q -At -v ON_ERROR_STOP=1 $(conn "$sys") "$@"
}

# --- the table --------------------------------------------------------------------------------
DDL="CREATE TABLE kv (ts TIMESTAMP NOT NULL, id BIGINT, host VARCHAR, v DOUBLE PRECISION)"
python3 "$HELPER" gen "$ROWS" >"$WORK/kv.tsv"
for sys in "${SYSTEMS[@]}"; do
  log "$sys: $DDL; COPY kv FROM STDIN ($ROWS rows)"
  q "$sys" -c "$DDL" || die "$sys: CREATE TABLE failed"
  q "$sys" -c "COPY kv FROM STDIN" <"$WORK/kv.tsv" || die "$sys: COPY failed"
  [[ "$(q "$sys" -c "SELECT count(*) FROM kv")" == "$ROWS" ]] || die "$sys: count(*) after COPY is not $ROWS"
done
[[ -z "$PG_MISSING" ]] && q PostgreSQL -c "VACUUM ANALYZE kv"

# --- same answers on both ---------------------------------------------------------------------
CHECK_IDS="1 2 $((ROWS / 2)) $((ROWS - 1)) $ROWS $((ROWS + 1))"
check_queries() { # one query per line
  echo "SELECT 1"
  for id in $CHECK_IDS; do echo "SELECT v FROM kv WHERE id = $id"; done
  echo "SELECT host, count(*), avg(v) FROM kv GROUP BY host"
  echo "SELECT count(*), sum(v), min(ts), max(ts), count(DISTINCT host) FROM kv"
}
mkdir -p "$WORK/check"
CHECKED=0
while IFS= read -r sql; do
  CHECKED=$((CHECKED + 1))
  for sys in "${SYSTEMS[@]}"; do
    q "$sys" -c "$sql" 2>&1 | LC_ALL=C sort >"$WORK/check/$CHECKED.$sys" \
      || die "$sys: '$sql' failed: $(cat "$WORK/check/$CHECKED.$sys")"
  done
  # Without PostgreSQL there is nothing to compare with (the pgbench check below still runs).
  if [[ -n "$PG_MISSING" ]]; then continue; fi
  if ! python3 "$HELPER" same "$WORK/check/$CHECKED.LumaDB" "$WORK/check/$CHECKED.PostgreSQL"; then
    log "ANSWERS DIFFER for: $sql"
    log "LumaDB:";     sed 's/^/    /' "$WORK/check/$CHECKED.LumaDB" >&2
    log "PostgreSQL:"; sed 's/^/    /' "$WORK/check/$CHECKED.PostgreSQL" >&2
    die "LumaDB and PostgreSQL answer differently"
  fi
done < <(check_queries)
# The point query through pgbench in every mode (so extended and prepared are checked too):
# the value each id should have comes from the generator's formula, v = (id * 37 % 1000) / 8.
cat >"$WORK/check/point-check.sql" <<'EOF'
\set id random(1, :rows)
\set want (:id * 37 % 1000) / 8.0
SELECT v AS got FROM kv WHERE id = :id \gset
\if :got != :want
\set wrong_answer 1 / 0
\endif
EOF
for sys in "${SYSTEMS[@]}"; do
  for mode in "${MODES[@]}"; do
    # shellcheck disable=SC2046
    if ! "$PGBENCH" -n -M "$mode" -f "$WORK/check/point-check.sql" -D rows="$ROWS" -t 300 -c 1 \
        $(conn "$sys") >"$WORK/check/pgbench.$sys.$mode" 2>&1 \
        || ! grep -q '^number of failed transactions: 0 ' "$WORK/check/pgbench.$sys.$mode"; then
      cat "$WORK/check/pgbench.$sys.$mode" >&2
      die "$sys: the point query answered wrongly (or failed) with pgbench -M $mode"
    fi
  done
done
CHECK_NOTE="$CHECKED queries through psql (\`SELECT 1\`, the point query for ids $(echo "$CHECK_IDS" | sed 's/ /, /g'), the aggregate, count/sum/min/max/distinct) give the same output on both"
[[ -n "$PG_MISSING" ]] && CHECK_NOTE="$CHECKED queries through psql answered (PostgreSQL not measured, nothing to compare with)"
CHECK_NOTE="$CHECK_NOTE; 300 random point queries per system and mode through pgbench (\`\\gset\`) return the loaded value"
if [[ -z "$PG_MISSING" ]]; then log "answers checked: same on both"; else log "answers checked (LumaDB alone)"; fi

# --- pgbench ----------------------------------------------------------------------------------
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
FAILED=0
# run_pgbench SYSTEM SCRIPT MODE CLIENTS SECONDS TAG: prints "tps p50 p99 n" or returns 1 with the reason
run_pgbench() {
  local sys="$1" script="$2" mode="$3" c="$4" secs="$5" tag="$6"
  local j=$(( c < THREADS ? c : THREADS ))
  local dir="$WORK/tx/$tag"
  rm -rf "$dir"; mkdir -p "$dir"
  # shellcheck disable=SC2046
  "$PGBENCH" -n -M "$mode" -f "$BENCH/pgbench/$script.sql" -D rows="$ROWS" -c "$c" -j "$j" -T "$secs" \
    --log --log-prefix="$dir/tx" $(conn "$sys") >"$WORK/tx/$tag.out" 2>&1 || true
  local res rc=0
  res="$(python3 "$HELPER" parse "$WORK/tx/$tag.out" "$dir")" || rc=$?
  rm -rf "$dir"
  echo "$res"
  return $rc
}

TOTAL=$(( RUNS * ${#SCRIPTS[@]} * ${#MODES[@]} * ${#CLIENT_LIST[@]} * ${#SYSTEMS[@]} ))
log "warm-up: ${WARMUP} s per script, mode and system"
if [[ "$WARMUP" -gt 0 ]]; then
  for script in "${SCRIPTS[@]}"; do for mode in "${MODES[@]}"; do for sys in "${SYSTEMS[@]}"; do
    res="$(run_pgbench "$sys" "$script" "$mode" "${CLIENT_LIST[-1]}" "$WARMUP" warmup)" \
      || log "warm-up $sys $script -M $mode failed: $res"
  done; done; done
fi
log "timed: $TOTAL pgbench runs of $DURATION s (about $(( TOTAL * DURATION / 60 + 1 )) min)"
n=0
for run in $(seq 1 "$RUNS"); do
  order=("${SYSTEMS[@]}")
  if (( run % 2 == 0 )) && [[ ${#SYSTEMS[@]} -eq 2 ]]; then order=(PostgreSQL LumaDB); fi
  for script in "${SCRIPTS[@]}"; do for mode in "${MODES[@]}"; do for c in "${CLIENT_LIST[@]}"; do
    for sys in "${order[@]}"; do
      n=$((n + 1))
      tag="$run-$sys-$script-$mode-c$c"
      if res="$(run_pgbench "$sys" "$script" "$mode" "$c" "$DURATION" "$tag")"; then
        read -r tps p50 p99 ntx <<<"$res"
        printf '%s\t%s\t%s\t%s\t%s\tok\t%s\t%s\t%s\n' "$run" "$sys" "$script" "$mode" "$c" "$tps" "$p50" "$p99" >>"$RESULTS"
        log "[$n/$TOTAL] run $run $script -M $mode -c $c $sys: $tps tps, p50 $p50 ms, p99 $p99 ms ($ntx tx)"
      else
        FAILED=$((FAILED + 1))
        printf '%s\t%s\t%s\t%s\t%s\tfailed\t%s\n' "$run" "$sys" "$script" "$mode" "$c" "$(echo "$res" | tr '\t\n' '  ' | head -c 400)" >>"$RESULTS"
        log "[$n/$TOTAL] run $run $script -M $mode -c $c $sys: FAILED: $res"
        sed 's/^/    /' "$WORK/tx/$tag.out" | tail -20 >&2
        if [[ "$sys" == LumaDB ]]; then log "LumaDB server log (tail):"; tail -20 "$WORK/lumadb/server.log" | sed 's/^/    /' >&2; fi
      fi
    done
  done; done; done
done
kill -0 "$LUMA_PID" 2>/dev/null || die "LumaDB is no longer running"

# --- report -----------------------------------------------------------------------------------
REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]]; then REV="$REV (with uncommitted changes)"; fi
CPU="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//; s/ *$//')"
MEM="$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
JAR_VERSION="$(unzip -p "$JAR" META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Implementation-Version: *//p' | tr -d '\r')"
META="$WORK/meta"
{
  echo "section=pgbench rows=$ROWS"
  echo "rows=$ROWS"
  echo "scripts=${SCRIPTS[*]}"
  echo "modes=${MODES[*]}"
  echo "clients=${CLIENT_LIST[*]}"
  echo "duration=$DURATION"
  echo "runs=$RUNS"
  echo "warmup=$WARMUP"
  echo "date=$DATE"
  echo "git_rev=$REV"
  echo "machine=$(nproc) cores${CPU:+ ($CPU)}, $MEM memory, $(uname -s) $(uname -r)"
  echo "load_start=$LOAD_START"
  echo "load_end=$(cut -d' ' -f1 /proc/loadavg)"
  echo "lumadb_version=$(q LumaDB -c 'SELECT version()') ${JAR_VERSION:+(jar $JAR_VERSION)}"
  echo "lumadb_jar=${JAR#"$ROOT"/}"
  echo "lumadb_jar_time=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
  echo "java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.version = //p')"
  echo "lumadb_cmd=java ${LUMA_FLAGS[*]} -jar JAR --config config.toml"
  echo "pg_version=$([[ -z "$PG_MISSING" ]] && q PostgreSQL -c 'SHOW server_version')"
  echo "pg_missing=$PG_MISSING"
  echo "pgbench_version=$("$PGBENCH" --version)"
  echo "command=$COMMAND"
  echo "ddl=$DDL"
  echo "check=$CHECK_NOTE"
} >"$META"
python3 "$HELPER" write "$RESULTS_MD" "$META" "$RESULTS"
log "wrote section 'pgbench rows=$ROWS' of $RESULTS_MD"
# Print the table.
awk -v s="<!-- begin pgbench rows=$ROWS -->" -v e="<!-- end pgbench rows=$ROWS -->" \
  '$0 == s {p = 1} p && /^\|/ {print} $0 == e {p = 0}' "$RESULTS_MD" >&2
[[ "$FAILED" -eq 0 ]] || die "$FAILED pgbench runs failed (see above and the Failures list in RESULTS.md)"
