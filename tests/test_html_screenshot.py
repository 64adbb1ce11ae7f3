"""The HTML report in a real browser: headless Chromium takes a screenshot from disk.

Skipped when no Chromium is installed (CI images often have none; Debian: `apt-get
install chromium`). The browser runs with networking features off; the page must
render from the file alone. The screenshot must exist and not be blank: it has
many non-white pixels and visible variance (text, tables, chart colours).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from charterverify.model import load_model
from charterverify.report.document import write_report
from charterverify.solver.breakpoints import analyze

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
def test_html_report_renders_in_chromium(name, tmp_path):
    import matplotlib.image as mpimg
    import numpy as np

    out = tmp_path / "out"
    write_report(analyze(load_model(ROOT / "charters" / f"{name}.toml")), out)
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
    # the status box near the top is drawn with its green background (CSS applied)
    top = img[:400]
    greenish = (top[..., 1] > top[..., 0] + 0.03) & (top[..., 1] > top[..., 2] + 0.01)
    assert greenish.mean() > 0.001, "inline CSS not applied?"
    assert np.isfinite(img).all()
