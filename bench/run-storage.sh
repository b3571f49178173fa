#!/usr/bin/env bash
# Storage benchmark (issue 3): LumaDB's storage engine vs DuckDB vs PostgreSQL 15 on TSBS
# cpu-only data. Writes/updates a section of bench/RESULTS.md. See bench/README.md.
#
#   bench/run-storage.sh                                               # quick: 100 hosts x 12 h (432K rows), 3-5 min
#   BENCH_HEAP=8g bench/run-storage.sh --hosts 100 --hours 72 --runs 3 # TSBS size: 2.59M rows, ~12 min
#
# Any StorageBench option may be given (--runs, --writers, --batch-rows, --seed, --values full, ...).
# Environment: BENCH_HEAP (default 6g), PG_BIN (default /usr/lib/postgresql/15/bin),
# BENCH_NO_BUILD=1 to skip the Maven build, BENCH_NO_POSTGRES=1 to leave PostgreSQL out,
# BENCH_RESULTS (default bench/RESULTS.md).
set -euo pipefail
BENCH_TAG=run-storage
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
HEAP="${BENCH_HEAP:-6g}"

build_bench
bench_setup

# Checkpoints are pushed out so that crash recovery replays the whole load (the restart figure);
# everything else is PostgreSQL's default.
start_postgres -c max_wal_size=64GB -c checkpoint_timeout=1d
if [[ -n "$PG_CTL" ]]; then
  PG_ARGS+=(--pg-ctl "$PG_CTL" --pg-settings "max_wal_size=64GB, checkpoint_timeout=1d")
fi
REV="$(git_rev)"

log "running StorageBench (heap $HEAP, scratch $WORK)"
java "-Xms$HEAP" "-Xmx$HEAP" -XX:+AlwaysPreTouch \
  --add-opens=java.base/java.nio=ALL-UNNAMED -Duser.timezone=UTC \
  -cp "$CP" io.lumadb.bench.StorageBench \
  --work-dir "$WORK/data" --results "${BENCH_RESULTS:-$BENCH/RESULTS.md}" \
  --command "bench/run-storage.sh${*:+ $*}" --git-rev "$REV" \
  "${PG_ARGS[@]}" "$@"
