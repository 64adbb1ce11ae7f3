"""`verify -j N` (issue 16): several charters checked in parallel processes print exactly what the
serial run prints, in the order named, with the same exit status. Nothing here is timed."""

from __future__ import annotations

import os
import sys

import pytest

from charterverify import jobs
from charterverify.cli import main

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = [ROOT / "charters" / f"{c}.toml" for c in ("juniper", "valuestar", "kinzan")]


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_parallel_output_is_the_serial_output(capsys, fmt):
    common = [*SEEDS, "--text-root", SHARED, "--format", fmt]
    serial = run(capsys, "-j", "1", *common)
    parallel = run(capsys, "-j", "2", *common)
    assert parallel == serial  # exit status, stdout byte for byte, stderr
    code, out, _ = serial
    assert code == 1  # each of the three seeds has an error finding (the default --fail-on error)
    if fmt == "text":  # each charter's report, in the order named, one blank line between them
        starts = [out.index(f"{name}") for name in ("juniper", "valuestar", "kinzan")]
        assert starts == sorted(starts)
    if fmt == "json":
        import json

        assert [r["charter"] for r in json.loads(out)] == ["juniper", "valuestar", "kinzan"]


def test_parallel_output_keeps_the_order_named(capsys):
    """The order of the arguments, not the order the workers finish in (Kinzan is the quickest)."""
    a = run(capsys, "-j", "3", SEEDS[0], SEEDS[2], "--text-root", SHARED, "--format", "json")
    b = run(capsys, "-j", "3", SEEDS[2], SEEDS[0], "--text-root", SHARED, "--format", "json")
    import json

    assert [r["charter"] for r in json.loads(a[1])] == ["juniper", "kinzan"]
    assert [r["charter"] for r in json.loads(b[1])] == ["kinzan", "juniper"]


def test_parallel_reports_are_the_serial_reports(capsys, tmp_path):
    """--report with -j: every report file is written, byte for byte as serially, and the
    'verify: wrote ...' lines come in the order named."""
    args = [*SEEDS[1:], "--text-root", SHARED, "--format", "json"]
    serial = run(capsys, "-j", "1", *args, "--report", tmp_path / "s")
    parallel = run(capsys, "-j", "2", *args, "--report", tmp_path / "p")
    assert serial[:2] == parallel[:2]
    assert serial[2].replace(str(tmp_path / "s"), "DIR") == parallel[2].replace(str(tmp_path / "p"), "DIR")
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "p").iterdir()) and len(names) == 12  # six files a charter
    for n in names:
        assert (tmp_path / "s" / n).read_bytes() == (tmp_path / "p" / n).read_bytes(), n


@pytest.mark.parametrize("value", ["0", "x", "65", "-1", "1.5", ""])
def test_bad_jobs_value_is_one_line_and_exit_2(capsys, value):
    code, out, err = run(capsys, SEEDS[0], "-j", value)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "-j takes a number of processes from 1 to 64" in err


@pytest.mark.parametrize("extra", [["--exit", "5000000"], ["--breakpoints"], ["--ipo", "10", "--raise", "1000"]])
def test_jobs_where_no_check_runs_is_refused(capsys, extra):
    code, out, err = run(capsys, SEEDS[0], SEEDS[1], "-j", "2", *extra)
    assert code == 2 and out == "" and err.count("\n") == 1 and "drop -j" in err


def test_a_failing_charter_fails_as_in_the_serial_run(capsys, tmp_path):
    """A charter whose checks stop with a usage error (its text is a directory): the first such
    error in the order named is the one reported, one line, exit 2, whatever finishes first."""
    src = (ROOT / "charters" / "valuestar.toml").read_text()
    assert 'text = "../../shared/seeds/003_f0dd647d6efd7235.txt"' in src
    bad = []
    for name in ("one", "two"):
        (tmp_path / f"dir_{name}").mkdir()
        path = tmp_path / f"bad_{name}.toml"
        path.write_text(src.replace("../../shared/seeds/003_f0dd647d6efd7235.txt", f"dir_{name}")
                        .replace('id = "valuestar"', f'id = "bad_{name}"'))
        bad.append(path)
    for order, first in (([SEEDS[1], bad[0]], "dir_one"), ([bad[0], SEEDS[1]], "dir_one"),
                         ([bad[1], SEEDS[2], bad[0]], "dir_two")):
        serial = run(capsys, "-j", "1", *order, "--text-root", SHARED)
        parallel = run(capsys, "-j", "2", *order, "--text-root", SHARED)
        assert serial == parallel
        code, out, err = serial
        assert code == 2 and out == "" and err.count("\n") == 1
        assert first in err and "is a directory" in err


def _pid(_):
    return os.getpid()


def _say(item):
    print(f"item {item}", file=sys.stderr)
    if item == "boom":
        raise ValueError("boom")
    return item * 2


def test_in_order_runs_in_other_processes_and_keeps_the_order(capsys):
    pids = jobs.in_order(_pid, [1, 2, 3, 4], 2)
    assert os.getpid() not in pids and 1 <= len(set(pids)) <= 2
    assert jobs.in_order(_pid, [1, 2], 1) == [os.getpid()] * 2  # -j 1: in this process
    capsys.readouterr()
    assert jobs.in_order(_say, [1, 2, 3], 2) == [2, 4, 6]
    assert capsys.readouterr().err == "item 1\nitem 2\nitem 3\n"  # replayed in the order of the items
    with pytest.raises(ValueError, match="boom"):
        jobs.in_order(_say, [1, "boom", 3], 2)
    assert capsys.readouterr().err.startswith("item 1\n")


def test_parse_jobs():
    assert [jobs.parse_jobs(t) for t in ("1", "2", " 64 ")] == [1, 2, 64]
    for t in ("0", "65", "two", "2.0", "-2", ""):
        with pytest.raises(ValueError):
            jobs.parse_jobs(t)
