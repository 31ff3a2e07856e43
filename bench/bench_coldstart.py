"""Cold start against bare WeasyPrint (issue 12): the example day, end to end, in fresh
processes, compared with a bare script that only renders the same HTML with WeasyPrint.

1. sitrep: ``python -m sitrep -q generate --data examples/sahel-2025-06 --date 2025-06-02
   --format md,pdf,json --out TMP``: process start to the three files written (imports,
   config, load, reconcile, charts, Markdown, HTML, PDF, JSON);
2. bare WeasyPrint: ``python BASELINE.py page.html attachments.json out.pdf``: process start,
   ``import weasyprint``, read the HTML sitrep hands to WeasyPrint for this PDF (dumped once
   by this script through ``sitrep.render.formats``, so the very same bytes: CSS inlined,
   both charts as ``data:`` SVG images) and write it as the same PDF sitrep makes: PDF/A-3b,
   tagged (``pdf_tags``), the report's JSON and CSV log embedded as associated files with
   the same names, descriptions, dates and relationship, the same base URL (the shipped
   templates).
   Left out of the baseline: sitrep's URL-fetch policy (the HTML loads no URL but
   ``data:``) and the PDF/UA identification in the XMP metadata (a few lines of XML).

Each is run ``--runs`` times, alternating, in a new process; the figure of a run is the
child's CPU time (user + system, from ``wait4``: sitrep's chart and PDF worker processes
included, ``sitrep.headstart``) and its wall time. The ratios are of the medians. Wall
time is what a user waits for, and sitrep's workers use a second core for it; on a
loaded machine (the load average is printed) the wall times of both grow, and the CPU
column is the steadier comparison.

    .venv/bin/python bench/bench_coldstart.py
    .venv/bin/python bench/bench_coldstart.py --runs 3 --importtime
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import machine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)
TARGET = 1.3
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1748930400", "PYTHONPATH": str(ROOT)}

BASELINE = '''
import datetime as dt
import json
import sys
from pathlib import Path

import weasyprint

html_file, manifest, out, base = sys.argv[1:5]
options = {
    "attachments": [weasyprint.Attachment(
        string=Path(a["file"]).read_bytes(), name=a["name"], description=a["description"],
        created=dt.datetime.fromisoformat(a["modified"]),
        modified=dt.datetime.fromisoformat(a["modified"]), relationship=a["relationship"])
        for a in json.loads(Path(manifest).read_text(encoding="utf-8"))],
    "pdf_variant": "pdf/a-3b",
    "pdf_tags": True,
}
html = Path(html_file).read_text(encoding="utf-8")
document = weasyprint.HTML(string=html, base_url=base).render(**options)
Path(out).write_bytes(document.write_pdf(**options))
'''

def dump_pdf_input(folder: Path) -> tuple[Path, Path, str]:
    """Write the HTML and the attachments (the JSON, the CSV log) that sitrep gives
    WeasyPrint for the example day's PDF (captured from the real ``pdf`` format with a
    recording renderer), with a manifest of the attachments' names and dates."""
    from sitrep.config import load_config
    from sitrep.pipeline import build_report, data_window, load
    from sitrep.render.charts import draw_charts
    from sitrep.render.environment import shipped_templates
    from sitrep.render.formats import FORMATS, RenderJob
    from sitrep.render.pdf import RecordingPdfRenderer

    config = load_config(folder).with_overrides(data=DATA)
    loaded = load(config, window=data_window(config, DAY, DAY))
    now = dt.datetime.fromtimestamp(int(ENV["SOURCE_DATE_EPOCH"]), dt.UTC)
    report = build_report(config, start=DAY, end=DAY, loaded=loaded, now=now)
    recorder = RecordingPdfRenderer()
    stem = f"sitrep-{DAY.isoformat()}"
    FORMATS["pdf"].render(RenderJob(report, stem, draw_charts(report), pdf_renderer=recorder,
                                    furniture=config.furniture))
    html = folder / "page.html"
    html.write_text(recorder.html[0], encoding="utf-8")
    manifest = []
    for attachment in recorder.attachments:
        data = folder / attachment.name
        data.write_bytes(attachment.data)
        manifest.append({"file": str(data), "name": attachment.name,
                         "description": attachment.description,
                         "modified": attachment.modified.isoformat(),
                         "relationship": attachment.relationship})  # fmt: skip
    listed = folder / "attachments.json"
    listed.write_text(json.dumps(manifest), encoding="utf-8")
    base = shipped_templates().resolve().as_uri() + "/"
    return html, listed, base


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``cmd`` in a new process: (wall seconds, CPU seconds of the child)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {err[-600:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes of each kind")
    parser.add_argument("--importtime", action="store_true",
                        help="also print the 15 slowest imports of one sitrep run")
    args = parser.parse_args(argv)
    print(f"bench_coldstart: {machine()}")
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-cold-") as tmp:
        folder = Path(tmp)
        html, manifest, base = dump_pdf_input(folder)
        script = folder / "baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        out = folder / "out"
        out.mkdir()
        sitrep = [sys.executable, "-m", "sitrep", "-q", "generate", "--data", str(DATA),
                  "--date", DAY.isoformat(), "--format", "md,pdf,json", "--out", str(out)]
        bare = [sys.executable, str(script), str(html), str(manifest), str(folder / "bare.pdf"),
                base]
        runs: dict[str, list[tuple[float, float]]] = {"sitrep": [], "bare": []}
        timed(bare, folder)  # warm the page cache and the font caches once, not measured
        timed(sitrep, folder)
        load_before = os.getloadavg()
        for _ in range(args.runs):
            runs["sitrep"].append(timed(sitrep, folder))
            runs["bare"].append(timed(bare, folder))
        mine = (out / f"sitrep-{DAY.isoformat()}.pdf").stat().st_size
        theirs = (folder / "bare.pdf").stat().st_size
        print(f"example day, {html.stat().st_size // 1024} KiB of HTML, PDF {mine // 1024} KiB "
              f"(bare {theirs // 1024} KiB); {args.runs} fresh processes each:")
        med: dict[str, tuple[float, float]] = {}
        for name, label in (("sitrep", "sitrep generate md,pdf,json"),
                            ("bare", "bare WeasyPrint, same HTML + options")):
            walls = [w for w, _ in runs[name]]
            cpus = [c for _, c in runs[name]]
            med[name] = statistics.median(walls), statistics.median(cpus)
            print(f"  {label:<38} wall {med[name][0]:5.2f} s  cpu {med[name][1]:5.2f} s  "
                  f"(cpu runs: {', '.join(f'{c:.2f}' for c in cpus)})")
        cpu_ratio = med["sitrep"][1] / med["bare"][1]
        wall_ratio = med["sitrep"][0] / med["bare"][0]

        def verdict(ratio: float) -> str:
            return "within" if ratio <= TARGET else "OVER"

        print(f"  ratio sitrep / bare (target {TARGET}x): wall {wall_ratio:.2f}x "
              f"({verdict(wall_ratio)}), cpu {cpu_ratio:.2f}x ({verdict(cpu_ratio)})")
        print("  load average (1, 5, 15 min) before: {}, after: {}".format(
            ", ".join(f"{x:.1f}" for x in load_before),
            ", ".join(f"{x:.1f}" for x in os.getloadavg())))
        if args.importtime:
            done = subprocess.run([sys.executable, "-X", "importtime", *sitrep[1:]], cwd=folder,
                                  env=ENV, capture_output=True, text=True, check=True)
            rows = []
            for line in done.stderr.splitlines():
                if line.startswith("import time:") and "|" in line:
                    _, cumulative, name = line[len("import time:"):].split("|")
                    if cumulative.strip().isdigit():
                        rows.append((int(cumulative), name.rstrip()))
            print("slowest imports of one sitrep run (cumulative, us):")
            for micro, name in sorted(rows, reverse=True)[:15]:
                print(f"  {micro:>9}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
