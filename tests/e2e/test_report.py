"""The Snakemake report after a run: every figure is in it and renders in a real browser."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import struct
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import SAMPLE_SEEDS, Workflow, copy_seeds

from newscorpus.report.figures import FIGURES

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Put first in a copy of the report: any script error on the page is sent to the test.
CATCH = """<script>
window.addEventListener('error', function (event) {
  var where = event.filename + ':' + event.lineno;
  navigator.sendBeacon('/error', String(event.message) + ' at ' + where);
});
</script>"""

# Appended to the copy: decodes every embedded figure as an image, opens one figure in the
# report's own viewer once the report has made it, and sends the sizes that rendered to the test's
# server.
PROBE = """<script>
window.addEventListener('load', function probe() {
  // The report's app object is made by its own scripts, at times after the load event.
  if (typeof app === 'undefined' || !app.setView) { setTimeout(probe, 100); return; }
  var paths = Object.keys(results);
  var shown = paths.filter(function (p) { return results[p].name === 'entities_person.svg'; });
  app.setView({content: 'img', contentPath: results[shown[0]].data_uri});
  Promise.all(paths.map(function (p) { return new Promise(function (resolve) {
    var img = new Image();
    img.onload = function () { resolve([results[p].name, img.naturalWidth, img.naturalHeight]); };
    img.onerror = function () { resolve([results[p].name, 0, 0]); };
    img.src = results[p].data_uri;
  }); })).then(function (rows) {
    // Wait until the report's viewer shows the figure, then send what rendered.
    var tries = 0;
    (function poll() {
      var img = document.querySelector('img[src*="filename=entities_person.svg"]');
      if ((!img || !img.complete) && tries++ < 100) { setTimeout(poll, 100); return; }
      var check = {figures: rows, viewer: img ? img.naturalWidth : 0};
      fetch('/result', {method: 'POST', body: JSON.stringify(check)});
    })();
  });
});
</script>"""


class _ProbeServer:
    """Serves the probe page on 127.0.0.1 and receives what the page sends back, in real time
    (Chromium's virtual time budget dumps a heavy page before it has finished on some machines)."""

    def __init__(self, page: bytes):
        self.page, self.result, self.errors = page, None, []
        self.received = threading.Event()
        probe = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                body = probe.page if self.path == "/" else b""
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802
                text = self.rfile.read(int(self.headers["Content-Length"])).decode()
                self.send_response(204)
                self.end_headers()
                if self.path == "/result":
                    probe.result = json.loads(text)
                    probe.received.set()
                else:
                    probe.errors.append(text)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    workflow = Workflow(
        workdir=root, seeds=copy_seeds(SAMPLE_SEEDS, root / "seeds"), results=root / "results"
    )
    # What a user does: run the workflow, then ask Snakemake for the report.
    report = workflow.results / "report.html"
    workflow.snakemake(config={"report_figures": True})
    workflow.snakemake(config={"report_figures": True}, extra=["--report", str(report)])
    return report


def _planned(done) -> set[str]:
    return set(re.findall(r"^(?:local)?rule (\w+):", done.stdout, re.MULTILINE))


# Snakemake's --config hands every word but True/False over as text; YAML's booleans all work.
@pytest.mark.parametrize(
    ("typed", "drawn"),
    [(True, True), (False, False), ("false", False), ("no", False), ("0", False), ("on", True)],
)
def test_a_run_draws_the_figures_unless_switched_off(tmp_path, typed, drawn):
    workflow = Workflow(workdir=tmp_path, seeds=SAMPLE_SEEDS, results=tmp_path / "results")
    done = workflow.snakemake(config={"report_figures": typed}, extra=["-n"])
    assert "publish" in _planned(done)
    assert ("report_figures" in _planned(done)) == drawn


def test_newscorpus_run_takes_booleans_as_typed_nested_ones_too(tmp_path):
    workflow = Workflow(workdir=tmp_path, seeds=SAMPLE_SEEDS, results=tmp_path / "results")
    config = {"report_figures": "FALSE", "clean": "{structure_tails: off, drop_repeats: yes}"}
    done = workflow.newscorpus_run(config=config, extra=["-n"])
    assert "publish" in _planned(done) and "report_figures" not in _planned(done)


def test_a_word_that_is_no_boolean_is_refused_saying_what_to_type(tmp_path):
    workflow = Workflow(workdir=tmp_path, seeds=SAMPLE_SEEDS, results=tmp_path / "results")
    done = workflow.snakemake(config={"report_figures": "maybe"}, extra=["-n"], check=False)
    assert done.returncode != 0
    assert (
        "report_figures: 'maybe' is not a boolean; type true or false" in done.stdout + done.stderr
    )


def test_report_embeds_every_figure_with_its_caption_and_no_remote_script(report_html):
    html = report_html.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']https?:", html), "report loads a remote script"
    match = re.search(r"var results = (\{.*?\});\n", html)
    assert match, "no results object in the report"
    embedded = {entry["name"]: entry for entry in json.loads(match.group(1)).values()}
    assert set(embedded) == {f"{name}.svg" for name in FIGURES}
    for name, entry in embedded.items():
        assert entry["data_uri"].startswith("data:image/svg+xml"), name
        assert entry["caption"].strip(), f"{name} has no caption"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_every_figure_renders_in_headless_chromium(report_html, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    html = report_html.read_text(encoding="utf-8")
    head, cut = html.index("<head>") + len("<head>"), html.rindex("</body>")
    page = html[:head] + CATCH + html[head:cut] + PROBE + html[cut:]
    probe = tmp_path / "report-probe.html"
    probe.write_text(page, encoding="utf-8")
    flags = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]

    server = _ProbeServer(page.encode("utf-8"))
    log = tmp_path / "chromium.log"
    with log.open("wb") as stderr:
        browser = subprocess.Popen([*flags, server.url], stdout=stderr, stderr=stderr)
        try:
            server.received.wait(timeout=180)
        finally:
            browser.kill()
            browser.wait()
            server.close()
    assert server.result is not None, (
        f"the report page did not finish loading in Chromium; page errors: {server.errors}; "
        f"Chromium said: {log.read_text(errors='replace')[-3000:]}"
    )
    check = server.result
    sizes = {name: (width, height) for name, width, height in check["figures"]}
    assert set(sizes) == {f"{name}.svg" for name in FIGURES}
    for name, (width, height) in sizes.items():
        assert width > 100 and height > 50, f"{name} rendered as {width}x{height}"
    # The report's own viewer displays a figure when navigated to it.
    assert check["viewer"] > 100, "the report viewer did not show the entities_person figure"

    screenshot = tmp_path / "report.png"
    shot = ["--virtual-time-budget=10000", "--window-size=1400,1000", f"--screenshot={screenshot}"]
    subprocess.run(
        [*flags, *shot, probe.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert screenshot.is_file() and _png_size(screenshot) == (1400, 1000)
    # A blank page compresses to a few KB; the app with a bar chart is tens of KB.
    assert screenshot.stat().st_size > 20_000


LABEL_PROBE = """<script>
window.addEventListener('load', function () {
  var svg = document.querySelector('svg').getBoundingClientRect();
  var labels = Array.from(document.querySelectorAll('.role-axis-label text'));
  var out = document.createElement('pre'); out.id = 'label-check';
  out.textContent = JSON.stringify(labels.map(function (t) {
    var box = t.getBoundingClientRect();
    return [t.textContent, box.left - svg.left, box.right - svg.left];
  }));
  document.body.appendChild(out);
});
</script>"""


def test_long_rule_names_fit_inside_the_run_time_figure_in_chromium(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    import polars as pl
    import vl_convert

    from newscorpus.report.figures import figure_spec

    rules = ["tag_entities_with_the_gazetteer_and_canonical_names", "ingest", "publish"]
    frame = pl.DataFrame(
        {"rule": rules, "job": ["0"] * 3, "s": [1.0, 2.0, 3.0], "max_rss_mb": [1.0, 2.0, 3.0]}
    )
    svg = vl_convert.vegalite_to_svg(figure_spec("runtime", frame))
    page = tmp_path / "runtime.html"
    page.write_text(f"<html><body style='margin:0'>{svg}{LABEL_PROBE}</body></html>")
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom"]
        + [page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    found = re.search(r'<pre id="label-check">(.*?)</pre>', dom, re.S)
    assert found, "the figure did not load in Chromium"
    boxes = {text: (left, right) for text, left, right in json.loads(found.group(1))}
    assert set(rules) <= set(boxes), f"rule names cut: {sorted(boxes)}"
    for rule in rules:
        assert boxes[rule][0] >= 0, f"{rule} starts {-boxes[rule][0]:.0f} px left of the figure"
