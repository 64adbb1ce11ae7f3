"""The HTML report in a real browser: headless Chromium takes a screenshot from disk.

Skipped when no Chromium is installed (.ci/run installs the Debian package when it can; `apt-get
install chromium`). The browser runs with networking features off; the page must
render from the file alone. The screenshot must exist and not be blank: it has
many non-white pixels and visible variance (text, tables, chart colours).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                if shutil.which(b)), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium on PATH (install the Debian package 'chromium' to run this check)")


def _screenshot(html: Path, png: Path, profile: Path, size: str = "1200,2000") -> subprocess.CompletedProcess:
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         f"--screenshot={png}", f"--window-size={size}", html.resolve().as_uri()],
        capture_output=True, text=True, timeout=180,
    )


@pytest.mark.parametrize("name", ["valuestar", "kinzan"])
def test_html_report_renders_in_chromium(name, tmp_path, monkeypatch, capsys):
    import matplotlib.image as mpimg
    import numpy as np

    from charterverify.cli import main

    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    main([f"charters/{name}.toml", "--report", str(out)])  # findings included, as users get it
    capsys.readouterr()
    png = tmp_path / "shot.png"
    res = _screenshot(out / f"{name}.html", png, tmp_path / "profile")
    assert png.exists(), f"no screenshot; chromium said: {res.stderr[-2000:]}"
    assert png.stat().st_size > 20_000  # a blank 1200x2000 PNG compresses to a few KB
    img = mpimg.imread(png)[..., :3]
    assert img.shape[:2] == (2000, 1200)
    gray = img.mean(axis=2)
    assert float(gray.std()) > 0.05
    non_white = float((gray < 0.9).mean())
    assert non_white > 0.02, f"page looks blank: {non_white:.2%} non-white pixels"
    # the verdict box near the top is drawn with its coloured background (CSS applied): green for
    # valuestar (no errors), red for kinzan (dangling references are errors)
    top = img[:500]
    if name == "valuestar":
        tinted = (top[..., 1] > top[..., 0] + 0.03) & (top[..., 1] > top[..., 2] + 0.01)
    else:
        tinted = (top[..., 0] > top[..., 1] + 0.03) & (top[..., 0] > top[..., 2] + 0.03)
    assert tinted.mean() > 0.001, "inline CSS not applied?"
    assert np.isfinite(img).all()


_PROBE = """<script>
window.addEventListener("load", () => {
  const r = (el) => el ? el.getBoundingClientRect() : null;
  const top = [...document.querySelectorAll("ol.top li")].map(li => r(li).bottom);
  const wraps = [...document.querySelectorAll(".tablewrap")];
  const over = wraps.filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.parentElement.id);
  const out = {summary: r(document.getElementById("summary")).top,
               verdict: r(document.querySelector("#summary .status")).bottom,
               top: top, overflow: over,
               page: document.documentElement.scrollWidth, width: document.documentElement.clientWidth};
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _probe(html: Path, tmp_path: Path, width: int, print_rules: bool) -> dict:
    """Layout facts of the page in Chromium at `width` CSS pixels (print rules applied on screen
    when print_rules: the page as it prints on A4, whose printable width is 190 mm = 718 px)."""
    import json
    import re

    text = html.read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)  # let the probe run
    if print_rules:
        text = text.replace("@media print {", "@media all {")
    text = text.replace("</body>", _PROBE + "</body>")
    probe = tmp_path / f"probe-{width}-{print_rules}.html"
    probe.write_text(text, encoding="utf-8")
    res = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={tmp_path / 'p2'}",
         f"--window-size={width},1000", "--dump-dom", probe.resolve().as_uri()],
        capture_output=True, text=True, timeout=180)
    m = re.search(r'<pre id="probe">(.*?)</pre>', res.stdout, re.S)
    assert m, f"no probe output; chromium said: {res.stderr[-2000:]}"
    import html as _html

    return json.loads(_html.unescape(m.group(1)))


def test_quintus_report_prints_with_summary_and_findings_first(tmp_path, monkeypatch, capsys):
    """The Quintus report as a lawyer would send it: printed to PDF (at most 15 A4 pages), the
    executive summary and the findings that matter most on the first page, nothing overflowing."""
    import re

    from charterverify.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    assert main(["charters/quintus.toml", "--report", str(out)]) == 1
    capsys.readouterr()
    html = out / "quintus.html"
    pdf = tmp_path / "quintus.pdf"
    res = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={tmp_path / 'p1'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()],
        capture_output=True, text=True, timeout=180)
    assert pdf.exists(), res.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 3 <= pages <= 15, pages
    # as printed (A4: 190 mm x 273 mm printable = 718 x 1031 CSS px): the verdict and the five
    # findings that matter most end within the first page; no table needs a scrollbar
    p = _probe(html, tmp_path, 718, print_rules=True)
    assert p["verdict"] < 1031 and len(p["top"]) == 5 and max(p["top"]) < 1031, p
    assert p["overflow"] == [] and p["page"] <= p["width"], p
    # on screen at 1200 px: the same, and no table is wider than the page (the findings table
    # with its witness column included)
    s = _probe(html, tmp_path, 1200, print_rules=False)
    assert s["verdict"] < 400 and max(s["top"]) < 1400, s
    assert s["overflow"] == [] and s["page"] <= s["width"], s
