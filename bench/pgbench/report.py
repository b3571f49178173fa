#!/usr/bin/env python3
"""Helpers of bench/run-pgbench.sh (standard library only).

  report.py gen ROWS                      kv rows as COPY text on stdout
  report.py parse OUT LOGDIR              one pgbench run: prints "tps p50_ms p99_ms n_tx" or
                                          exits 1 with the reason (errors, aborted clients)
  report.py same A B                      compares two psql -At outputs (numbers to 1e-9 relative)
  report.py write RESULTS.md META RESULTS.tsv   (META: key=value lines)
                                          replaces (or appends) the pgbench section of RESULTS.md
"""
import datetime
import glob
import math
import os
import re
import statistics
import sys


def gen(rows):
    # ts one second apart from 2024-01-01, host_0..host_9, v a multiple of 1/8 (exact in binary,
    # so sums and averages print the same everywhere).
    base = datetime.datetime(2024, 1, 1)
    out = sys.stdout
    for i in range(1, rows + 1):
        ts = base + datetime.timedelta(seconds=i)
        v = (i * 37 % 1000) / 8.0
        out.write(f"{ts:%Y-%m-%d %H:%M:%S}\t{i}\thost_{i % 10}\t{v!r}\n")


def percentile(sorted_vals, q):
    if not sorted_vals:
        return float("nan")
    k = (len(sorted_vals) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)


def parse(out_file, log_dir):
    text = open(out_file, errors="replace").read()
    m = re.search(r"^tps = ([0-9.]+) \(without initial connection time\)", text, re.M)
    failed = re.search(r"^number of failed transactions: (\d+)", text, re.M)
    problems = []
    if not m:
        problems.append("no tps line")
    if failed and int(failed.group(1)) > 0:
        problems.append(f"{failed.group(1)} failed transactions")
    if re.search(r"aborted|error|FATAL", text, re.I):
        first = [l for l in text.splitlines() if re.search(r"aborted|error|FATAL", l, re.I)][:3]
        problems.append("; ".join(first))
    lat = []
    bad = 0
    for f in glob.glob(os.path.join(log_dir, "*")):
        with open(f) as fh:
            for line in fh:
                parts = line.split()
                # client_id transaction_no time script_no time_epoch time_us [...]
                if len(parts) < 6:
                    continue
                if parts[2].isdigit():
                    lat.append(int(parts[2]))
                else:
                    bad += 1  # "failed" / "skipped"
    if bad:
        problems.append(f"{bad} transactions logged as failed")
    if not lat:
        problems.append("empty per-transaction log")
    if problems:
        print(" | ".join(problems))
        sys.exit(1)
    lat.sort()
    print(f"{float(m.group(1)):.3f} {percentile(lat, 0.5) / 1000:.4f} "
          f"{percentile(lat, 0.99) / 1000:.4f} {len(lat)}")


def _num(s):
    try:
        return float(s)
    except ValueError:
        return None


def same(a_file, b_file):
    a = open(a_file).read().strip().splitlines()
    b = open(b_file).read().strip().splitlines()
    if len(a) != len(b):
        return False
    for la, lb in zip(a, b):
        fa, fb = la.split("|"), lb.split("|")
        if len(fa) != len(fb):
            return False
        for x, y in zip(fa, fb):
            if x == y:
                continue
            nx, ny = _num(x), _num(y)
            if nx is None or ny is None:
                return False
            if not math.isclose(nx, ny, rel_tol=1e-9, abs_tol=1e-12):
                return False
    return True


def fmt_tps(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def fmt_ms(x):
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def spread(vals, fmt):
    med = statistics.median(vals)
    if len(vals) == 1:
        return med, fmt(med)
    return med, f"{fmt(med)} ({fmt(min(vals))}-{fmt(max(vals))})"


def write(results_md, meta_file, tsv_file):
    meta = {}
    for line in open(meta_file):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            meta[k] = v
    meta["rows"] = int(meta["rows"])
    for k in ("scripts", "modes"):
        meta[k] = meta[k].split()
    meta["clients"] = [int(c) for c in meta["clients"].split()]
    if not meta.get("pg_missing"):
        meta["pg_missing"] = None
    runs = {}  # (system, script, mode, clients) -> list of (tps, p50, p99) or error string
    errors = {}
    for line in open(tsv_file):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 6:
            continue
        run, system, script, mode, clients, status = parts[:6]
        key = (system, script, mode, int(clients))
        if status == "ok":
            tps, p50, p99 = map(float, parts[6:9])
            runs.setdefault(key, []).append((tps, p50, p99))
        else:
            errors.setdefault(key, []).append(parts[6] if len(parts) > 6 else status)

    scripts = meta["scripts"]
    modes = meta["modes"]
    clients = meta["clients"]
    pg_measured = meta.get("pg_missing") is None
    L, P = "LumaDB", "PostgreSQL"

    def cell(system, s, m, c, idx, fmt):
        key = (system, s, m, c)
        if key in errors and key not in runs:
            return None, "failed"
        vals = [r[idx] for r in runs.get(key, [])]
        if not vals:
            return None, "n/a"
        med, txt = spread(vals, fmt)
        if key in errors:
            txt += f" ({len(errors[key])} runs failed)"
        return med, txt

    lines = []
    sec = meta["section"]
    lines.append(f"<!-- begin {sec} -->")
    lines.append(f"## pgbench: LumaDB vs PostgreSQL over the wire protocol ({meta['rows']:,} rows)")
    lines.append("")
    lines.append(f"- Date: {meta['date']} (UTC), repository at {meta['git_rev']}")
    lines.append(f"- Machine: {meta['machine']}; load average {meta['load_start']} at the start, "
                 f"{meta['load_end']} at the end (other work shares the machine; pgbench runs "
                 f"on the same machine as the servers)")
    lines.append(f"- LumaDB: {meta['lumadb_version']}, `{meta['lumadb_jar']}` (built {meta['lumadb_jar_time']}), "
                 f"JVM {meta['java_version']}, `{meta['lumadb_cmd']}`, defaults except free ports, "
                 f"log_level warn, Prometheus receiver off; login with SCRAM-SHA-256")
    if pg_measured:
        lines.append(f"- PostgreSQL: {meta['pg_version']} (initdb defaults, trust auth, listen 127.0.0.1)")
    else:
        lines.append(f"- PostgreSQL: not measured: {meta['pg_missing']}")
    lines.append(f"- pgbench: {meta['pgbench_version']}, `pgbench -n -M MODE -f SCRIPT -c C -j J -T {meta['duration']} "
                 f"-D rows={meta['rows']} --log` (per-transaction latencies: p50/p99 are over every transaction of a run)")
    lines.append(f"- Command: `{meta['command']}`")
    lines.append(f"- Table `{meta['ddl']}`, {meta['rows']:,} rows loaded with `COPY kv FROM STDIN` through psql "
                 f"(id 1..{meta['rows']}, 10 hosts, v a multiple of 1/8); no index on either side"
                 f"{' (PostgreSQL: VACUUM ANALYZE after the load)' if pg_measured else ''}{meta.get('pg_index_note', '')}")
    lines.append(f"- Runs: {meta['runs']} of {meta['duration']} s per script, mode, client count and system "
                 f"(interleaved: both systems alternate, which goes first alternates per run), after a "
                 f"{meta['warmup']} s warm-up of every script and mode on both; figures are medians (min-max)")
    lines.append(f"- Answers checked before the runs: {meta['check']}")
    lines.append("")
    lines.append("Scripts: `select1` = `SELECT 1`; `point` = `\\set id random(1, :rows)` + "
                 "`SELECT v FROM kv WHERE id = :id`; `agg` = `SELECT host, count(*), avg(v) FROM kv GROUP BY host`.")
    lines.append("")

    goal_rows = []
    lines.append("| script | mode | clients | LumaDB tps | PostgreSQL tps | LumaDB/PostgreSQL tps | "
                 "LumaDB p50 ms | PostgreSQL p50 ms | goal |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for s in scripts:
        for m in modes:
            for c in clients:
                lt, lt_txt = cell(L, s, m, c, 0, fmt_tps)
                pt, pt_txt = cell(P, s, m, c, 0, fmt_tps) if pg_measured else (None, "not measured")
                l50, l50_txt = cell(L, s, m, c, 1, fmt_ms)
                p50, p50_txt = cell(P, s, m, c, 1, fmt_ms) if pg_measured else (None, "not measured")
                ratio = lt / pt if lt is not None and pt else None
                ratio_txt = f"{ratio:.2f}" if ratio is not None else ""
                goals = []
                if m == "prepared":
                    if ratio is None:
                        g = "tps ≥ 0.5 x PostgreSQL (not measured)"
                    else:
                        g = f"tps ≥ 0.5 x PostgreSQL ({'met' if ratio >= 0.5 else 'missed'})"
                    goals.append(g)
                    goal_rows.append(("tps", s, c, ratio))
                    if s == "point":
                        if l50 is None:
                            goals.append("p50 < 1 ms (not measured)")
                        else:
                            goals.append(f"p50 < 1 ms ({'met' if l50 < 1.0 else 'missed'})")
                        goal_rows.append(("p50", s, c, l50))
                lines.append(f"| {s} | {m} | {c} | {lt_txt} | {pt_txt} | {ratio_txt} | {l50_txt} | {p50_txt} | "
                             f"{'; '.join(goals)} |")
    lines.append("")

    # Goals summary.
    tps_goals = [g for g in goal_rows if g[0] == "tps"]
    met = [g for g in tps_goals if g[3] is not None and g[3] >= 0.5]
    missed = [g for g in tps_goals if g[3] is not None and g[3] < 0.5]
    def who(gs):
        return ", ".join(f"{g[1]} -c {g[2]} ({g[3]:.2f})" for g in gs)
    lines.append("Goals (issue 4):")
    lines.append("")
    if pg_measured:
        txt = f"- Prepared-mode throughput at least half of PostgreSQL's: **{'met' if not missed and met else 'missed'}**"
        txt += f" ({len(met)} of {len(tps_goals)} script/client combinations)"
        if met:
            txt += f"; met: {who(met)}"
        if missed:
            txt += f"; missed: {who(missed)}"
        lines.append(txt + ".")
    else:
        lines.append("- Prepared-mode throughput at least half of PostgreSQL's: not measured (no PostgreSQL).")
    p50_goals = [g for g in goal_rows if g[0] == "p50"]
    parts = []
    for g in p50_goals:
        parts.append(f"-c {g[2]}: " + ("failed" if g[3] is None else f"{fmt_ms(g[3])} ms, {'met' if g[3] < 1.0 else 'missed'}"))
    one = [g for g in p50_goals if g[2] == min(clients)]
    verdict = "not measured" if not one or one[0][3] is None else ("met" if one[0][3] < 1.0 else "missed")
    lines.append(f"- p50 under 1 ms for a prepared point query (judged with {min(clients)} client{'s' if min(clients) > 1 else ''}): "
                 f"**{verdict}** ({'; '.join(parts)}).")
    lines.append("")
    lines.append("tps excludes connection time (pgbench's `tps = ... (without initial connection time)`); "
                 "the ratio is LumaDB divided by PostgreSQL (above 1: LumaDB faster). "
                 "p50 is the median of pgbench's per-transaction latencies (`--log`), which include "
                 "the client's time; with more clients than cores it includes queueing too. "
                 "pgbench reads the clock lazily (once per pass over a connection), so an answer that "
                 "is already there when pgbench first looks for it counts as 0 µs: p50 figures below "
                 "about 0.05 ms (PostgreSQL's `SELECT 1`) are lower bounds, not round trips. "
                 "Modes: `simple` sends each statement as one Query message; `extended` sends "
                 "Parse/Bind/Describe/Execute/Sync of an unnamed statement each time; `prepared` "
                 "parses a named statement once per connection and then only binds and executes it.")
    lines.append("")
    if errors:
        lines.append("Failures:")
        lines.append("")
        for key, msgs in sorted(errors.items()):
            lines.append(f"- {key[0]} {key[1]} -M {key[2]} -c {key[3]}: {msgs[0]}")
        lines.append("")
    lines.append("<details><summary>every run (tps / p50 ms / p99 ms)</summary>")
    lines.append("")
    for s in scripts:
        for m in modes:
            for c in clients:
                for system in (L, P):
                    rs = runs.get((system, s, m, c))
                    if not rs:
                        continue
                    lines.append(f"- {s} {m} -c {c} {system}: " + ", ".join(
                        f"{fmt_tps(r[0])} / {fmt_ms(r[1])} / {fmt_ms(r[2])}" for r in rs))
    lines.append("")
    lines.append("</details>")
    lines.append(f"<!-- end {sec} -->")
    section = "\n".join(lines) + "\n"

    text = open(results_md).read() if os.path.exists(results_md) else "# Benchmark results\n"
    begin, end = f"<!-- begin {sec} -->", f"<!-- end {sec} -->"
    i, j = text.find(begin), text.find(end)
    if i >= 0 and j > i:
        j += len(end)
        if text[j:j + 1] == "\n":
            j += 1
        text = text[:i] + section + text[j:]
    else:
        if not text.endswith("\n"):
            text += "\n"
        text += "\n" + section
    tmp = results_md + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, results_md)


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "gen":
        gen(int(argv[2]))
    elif cmd == "parse":
        parse(argv[2], argv[3])
    elif cmd == "same":
        sys.exit(0 if same(argv[2], argv[3]) else 1)
    elif cmd == "write":
        write(argv[2], argv[3], argv[4])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
