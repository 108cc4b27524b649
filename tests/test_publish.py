"""End-to-end on the real notebooks: papermill runs them, nbconvert publishes offline HTML
in both editions. (The publisher's own behaviour is tested on fixture notebooks in
test_publisher.py and test_faults.py.)

These tests build in a scratch copy of the project (raw data and notebooks) so
they never touch the real data/processed or reports folders.
"""

import re
import time

import pytest

from .conftest import run_cli  # noqa: F401  (the `built` fixture lives in conftest)

pytestmark = pytest.mark.slow

# Anything a browser would fetch: src/href attributes, CSS url() and @import.
NETWORK_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)


def test_extra_city_joins_the_data(built):
    text = (built / "data" / "processed" / "indicators.csv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if ",Testville," in line]
    assert len(rows) == 100
    assert "EC5.1,Economy,core,Testville,5.5,%,2019,False,5.5" in rows


def test_report_hides_code_and_loads_nothing_from_the_network(built):
    page = (built / "reports" / "en" / "benchmark-testville.html").read_text(encoding="utf-8")
    assert "Testville" in page
    assert "read_benchmark_input" not in page and "run_benchmark(" not in page  # no code cells
    assert 'class="jp-CodeMirrorEditor' not in page and "hl-ipython3" not in page  # no code input rendered
    assert NETWORK_REFERENCE.search(page) is None, NETWORK_REFERENCE.search(page)
    assert "require.js" not in page and "MathJax.js" not in page
    assert len(re.findall(r'<img[^>]+src="data:image/(?:png|svg\+xml);base64,', page)) + page.count("<svg") >= 10  # figures embedded
    assert "<title>ISO 37120 benchmark: Testville</title>" in page and '<header class="site-header">' in page
    polish = (built / "reports" / "pl" / "benchmark-testville.html").read_text(encoding="utf-8")
    assert "<title>Testville na tle innych miast – wskaźniki ISO 37120</title>" in polish


def test_report_csv_has_the_published_columns(built):
    csv_path = built / "reports" / "data" / "benchmark-testville.csv"
    header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:9] == ["code", "theme", "city", "value", "year", "rank", "n_ranked", "score_minmax", "score_z"]
    for lang in ("pl", "en"):
        assert 'href="benchmark-testville.html"' in (built / "reports" / lang / "index.html").read_text(encoding="utf-8")


def test_rebuild_with_no_change_starts_no_kernel(built):
    start = time.perf_counter()
    again = run_cli(built, "report", "--city", "testville")
    elapsed = time.perf_counter() - start
    assert again.returncode == 0
    assert "up to date, skipped" in again.stdout
    assert elapsed < 10  # a kernel start alone takes longer; the measured figure is in benchmarks/


def test_unknown_city_fails_before_any_kernel_starts(built):
    result = run_cli(built, "report", "--city", "Atlantis")
    assert result.returncode == 1
    assert "unknown city 'Atlantis'" in result.stderr
    assert "Kielce, Eindhoven, Gdynia, Oakville, Porto, Testville" in result.stderr
    assert not (built / "build" / "logs" / "benchmark-atlantis.log").exists()


def test_failing_notebook_keeps_the_previous_report(built):
    import nbformat

    html_path = built / "reports" / "en" / "benchmark-testville.html"
    csv_path = built / "reports" / "data" / "benchmark-testville.csv"
    before_html, before_csv = html_path.read_bytes(), csv_path.read_bytes()
    notebook_path = built / "notebooks" / "benchmark.ipynb"
    original = notebook_path.read_bytes()
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.insert(4, nbformat.v4.new_code_cell('raise RuntimeError("deliberate failure")'))
    nbformat.write(notebook, notebook_path)
    try:
        result = run_cli(built, "report", "--city", "testville")
    finally:
        notebook_path.write_bytes(original)
    assert result.returncode != 0
    assert "benchmark-testville: FAILED" in result.stdout
    assert "failed at cell 4 ('raise RuntimeError" in result.stdout and "RuntimeError: deliberate failure" in result.stdout
    assert html_path.read_bytes() == before_html
    assert csv_path.read_bytes() == before_csv


def test_dispersion_notebook_runs_with_other_parameters(built, tmp_path):
    import os
    import subprocess
    import sys

    out = tmp_path / "dispersion.ipynb"
    tables = tmp_path / "tables"
    env = {**os.environ, "KIELCE_PROJECT_ROOT": str(built)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(built / "notebooks" / "score_dispersion.ipynb"),
            str(out),
            "-y",
            "areas: [digital, safety]",
            "-p",
            "exclude_straightliners",
            "True",
            "-p",
            "n_boot",
            "300",
            "-p",
            "output_dir",
            str(tables),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    agreement = (tables / "agreement.csv").read_text(encoding="utf-8").splitlines()
    assert agreement[0].startswith("area,n_raters,kendall_w,kendall_p,krippendorff_alpha,friedman_p")
    assert [line.split(",")[0] for line in agreement[1:]] == ["digital", "safety"]
    # digital has 9 raters, 5 of them straight-liners: 4 remain.
    assert agreement[1].split(",")[1] == "4"
    assert "Straight-liners are excluded" in out.read_text(encoding="utf-8")


def test_a_folded_section_shows_its_heading_as_the_summary_and_needs_one():
    """Issue 18: details folded on screen; the heading (with its id, for the contents and links) opens it."""
    from analysis.publish.site import fold_sections

    page = (
        '<main><details class="fold"><summary class="fold-summary"></summary>\n<div class="jp-Cell"><div class="out">'
        '<h2 id="Robustness">Robustness<a class="anchor-link" href="#Robustness">¶</a></h2><p>text</p></div></div>\n</details>'
        '<h2 id="Other">Other</h2></main>'
    )
    folded = fold_sections(page)
    assert folded.startswith(
        '<main><details class="fold"><summary class="fold-summary"><h2 id="Robustness">Robustness'
        '<a class="anchor-link" href="#Robustness">¶</a></h2></summary>\n<div class="jp-Cell"><div class="out"><p>text</p>'
    )
    assert folded.count("<h2") == 2 and folded.endswith('<h2 id="Other">Other</h2></main>')
    assert fold_sections("<main><p>nothing folded</p></main>") == "<main><p>nothing folded</p></main>"
    with pytest.raises(ValueError, match="no ## heading"):
        fold_sections('<details class="fold"><summary class="fold-summary"></summary><p>no heading</p></details>')
