"""Issue 15: `verify` is safe to run on untrusted pull requests and fails closed.

Each case of the issue runs here with its expected exit status and message. Inputs that cannot be
files in the repository (FIFOs, /dev paths, huge files, names with newlines) are made by the tests
in tmp; the small fixed inputs are in tests/hostile/. In-process runs use main(); the cases that
need a real process (a reader that goes away, a full disk, a closed stdout) run a subprocess.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from charterverify.cli import main

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "hostile"
SIMPLE = ROOT / "tests" / "charters" / "good" / "simple.toml"
JUNIPER = ROOT / "charters" / "juniper.toml"
SECRET = "Hunter2Secret"
FORMATS = ("text", "json", "markdown", "sarif", "junit", "github")


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code, err, expect_code=2):
    assert code == expect_code, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("verify: error: "), err
    assert "Traceback" not in err
    return lines[0][len("verify: error: "):]


def model_text(**subs) -> str:
    """The simple model, with `text` as its source.text (if given) and textual substitutions."""
    text = SIMPLE.read_text()
    for old, new in subs.get("replace", []):
        assert old in text
        text = text.replace(old, new, 1)
    if subs.get("text") is not None:
        text = text.replace('[common]', f'[source]\ntext = {json.dumps(subs["text"])}\n\n[common]', 1)
    if subs.get("name") is not None:
        text = text.replace('name = "Good Simple, Inc."', f"name = {json.dumps(subs['name'])}", 1)
    return text


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """tmp/repo (a git checkout: it has a .git) with charters/ and texts/, and tmp/outside holding
    a 'secret' the runner must not leak; no extra text roots from the environment."""
    monkeypatch.delenv("CHARTERVERIFY_TEXT_ROOT", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    r = tmp_path / "repo"
    (r / ".git").mkdir(parents=True)
    (r / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET} [TBD]\n")
    (r / "charters").mkdir()
    (r / "texts").mkdir()
    shutil.copy(HOSTILE / "placeholder.txt", r / "texts" / "charter.txt")
    out = tmp_path / "outside"
    out.mkdir()
    (out / "secrets.env").write_text(f"1. Registry Password {SECRET} is [TBD].\n")
    monkeypatch.chdir(r)
    return r


# ---------------------------------------------------------------- reading what it must not


@pytest.mark.parametrize("text, why", [
    ("../../outside/secrets.env", "outside"),             # a ../ escape
    ("{outside}/secrets.env", "outside"),                 # an absolute path
    ("/proc/self/environ", "outside"),
    ("/dev/zero", "outside"),
    ("../.git/config", ".git"),                           # the checkout's token, inside the repo
])
def test_source_text_outside_the_roots_is_refused(repo, capsys, text, why):
    text = text.format(outside=repo.parent / "outside")
    (repo / "charters" / "m.toml").write_text(model_text(text=text))
    code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--format", "github")
    msg = one_line_error(code, err)
    assert out == "" and SECRET not in err
    assert "source.text of charters/m.toml" in msg
    if why == "outside":  # named as resolved, with the flag that would allow it
        assert os.path.realpath(repo / "charters" / text) in msg and "--text-root" in msg
    else:
        assert ".git/config" in msg and ".git directory" in msg


def test_symlink_out_of_the_repo_is_refused(repo, capsys):
    (repo / "texts" / "link.txt").symlink_to(repo.parent / "outside" / "secrets.env")
    (repo / "charters" / "m.toml").write_text(model_text(text="../texts/link.txt"))
    code, out, err = run(capsys, "charters/m.toml", "--no-properties")
    msg = one_line_error(code, err)
    assert "resolves to" in msg and str(repo.parent / "outside" / "secrets.env") in msg and SECRET not in err


def test_text_flag_is_confined_too(repo, capsys):
    (repo / "charters" / "m.toml").write_text(model_text())
    code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--text", repo.parent / "outside" / "secrets.env")
    msg = one_line_error(code, err)
    assert "(--text)" in msg and "--text-root" in msg and SECRET not in out + err


def test_text_root_allows_a_trusted_directory(repo, capsys):
    (repo / "charters" / "m.toml").write_text(model_text(text="../../outside/secrets.env"))
    code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--text-root", repo.parent / "outside")
    # allowed by the job's author: read, and its [TBD] is a placeholder error (exit 1)
    assert code == 1 and "text.placeholder" in out


def test_text_inside_the_repo_is_read(repo, capsys):
    (repo / "charters" / "m.toml").write_text(model_text(text="../texts/charter.txt"))
    code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--format", "json")
    assert code == 1 and err == ""
    # tests/hostile/placeholder.txt line 5 holds the one [TBD]
    found = {(f["file"], f["line"], f["rule"]) for f in json.loads(out)["findings"]}
    assert ("texts/charter.txt", 5, "text.placeholder") in found, out


def test_without_git_the_working_directory_is_the_root(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CHARTERVERIFY_TEXT_ROOT", raising=False)
    (tmp_path / "w").mkdir()
    shutil.copy(HOSTILE / "placeholder.txt", tmp_path / "w" / "t.txt")
    (tmp_path / "w" / "m.toml").write_text(model_text(text="t.txt"))
    (tmp_path / "w" / "bad.toml").write_text(model_text(text="../s.txt"))
    (tmp_path / "s.txt").write_text("1. x [TBD]\n")
    monkeypatch.chdir(tmp_path / "w")
    assert run(capsys, "m.toml", "--no-properties")[0] == 1
    one_line_error(*run(capsys, "bad.toml", "--no-properties")[::2])


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_source_text_that_is_not_a_regular_file(repo, capsys, kind):
    target = repo / "texts" / "odd"
    os.mkdir(target) if kind == "directory" else os.mkfifo(target)
    (repo / "charters" / "m.toml").write_text(model_text(text="../texts/odd"))
    msg = one_line_error(*run(capsys, "charters/m.toml", "--no-properties")[::2])
    assert "texts/odd" in msg and ("is a directory" in msg if kind == "directory" else "not a regular file" in msg)


def test_proc_file_allowed_by_a_root_still_fails_cleanly(repo, capsys):
    # /proc/self/mem is a "regular file" of size 0 that cannot be read: even when the job allows
    # / as a root, the read error is exit 2 naming the file, not a traceback
    (repo / "charters" / "m.toml").write_text(model_text(text="/proc/self/mem"))
    msg = one_line_error(*run(capsys, "charters/m.toml", "--no-properties", "--text-root", "/")[::2])
    # named as the resolved /proc/<pid>/mem; the reader sees a size-0 file or a read error
    assert msg.startswith("/proc/") and "/mem" in msg and ("cannot read" in msg or "is empty" in msg)


@pytest.mark.parametrize("flag", ["--text-only", "--outline"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "directory"])
def test_text_only_and_outline_refuse_what_is_not_a_file(tmp_path, capsys, flag, kind):
    if kind == "fifo":
        path = tmp_path / "t.txt"
        os.mkfifo(path)
    else:
        path = tmp_path if kind == "directory" else Path(kind)
    msg = one_line_error(*run(capsys, flag, path)[::2])
    assert msg.startswith(str(path)) and ("is a directory" if kind == "directory" else "not a regular file") in msg


def _without_dac_override() -> None:
    """In the child before exec: drop CAP_DAC_OVERRIDE (1) and CAP_DAC_READ_SEARCH (2) from the
    bounding set (prctl PR_CAPBSET_DROP = 24), so a root process is held to the permission bits
    like any owner. (Switching to uid 65534 instead would lock it out of the interpreter, which may
    live under /root.)"""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {cap})")


def run_unprivileged(capsys, *args):
    """`run`, where chmod denies: in-process for a normal user; as root (CI), `python -m
    charterverify` in a subprocess from the current directory without the capabilities that let
    root read and write past the permission bits."""
    if os.geteuid() != 0:
        return run(capsys, *args)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "charterverify", *map(str, args)], cwd=os.getcwd(), env=env,
                       capture_output=True, text=True, timeout=120, preexec_fn=_without_dac_override)
    return p.returncode, p.stdout, p.stderr


def test_unreadable_source_text(repo, capsys):
    (repo / "texts" / "charter.txt").chmod(0)
    (repo / "charters" / "m.toml").write_text(model_text(text="../texts/charter.txt"))
    msg = one_line_error(*run_unprivileged(capsys, "charters/m.toml", "--no-properties")[::2])
    # "<repo>/texts/charter.txt (source.text of charters/m.toml): cannot read (Permission denied)"
    assert msg == f"{repo / 'texts' / 'charter.txt'} (source.text of charters/m.toml): cannot read (Permission denied)"


# ---------------------------------------------------------------- fail-open: the exit status survives the output


def _subprocess(args, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CHARTERVERIFY_TEXT_ROOT", None)
    return subprocess.run(args, cwd=kw.pop("cwd", ROOT), env=env, capture_output=True, text=True, timeout=120, **kw)


def _failing_model(tmp_path) -> Path:
    """A checkout holding a model whose text has a placeholder: exit 1 when the output is read."""
    (tmp_path / "r" / ".git").mkdir(parents=True)
    shutil.copy(HOSTILE / "placeholder.txt", tmp_path / "r" / "t.txt")
    (tmp_path / "r" / "m.toml").write_text(model_text(text="t.txt"))
    return tmp_path / "r" / "m.toml"


def test_broken_pipe_is_never_a_pass(tmp_path):
    model = _failing_model(tmp_path)
    cmd = f"set -o pipefail; {sys.executable} -m charterverify {model} --no-properties --format sarif | true"
    p = _subprocess(["bash", "-c", cmd])
    assert p.returncode != 0
    # `| true` may close the pipe before or after the write: either exit 2 with one line, or the
    # write went through and the status is the findings' 1; never 0
    if p.returncode == 2:
        assert p.stderr.count("\n") == 1 and "cannot write the output" in p.stderr, p.stderr
    else:
        assert p.returncode == 1 and p.stderr == ""


def test_full_disk_is_exit_2_with_one_line(tmp_path):
    model = _failing_model(tmp_path)
    p = _subprocess(["bash", "-c", f"{sys.executable} -m charterverify {model} --no-properties > /dev/full"])
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        "verify: error: cannot write the output to stdout (No space left on device) "
        "(a finding reached --fail-on: the check FAILED)"]


def test_closed_stdout_is_exit_2(tmp_path):
    model = _failing_model(tmp_path)
    p = _subprocess(["bash", "-c", f"{sys.executable} -m charterverify {model} --no-properties --format junit >&-"])
    assert p.returncode == 2 and len(p.stderr.splitlines()) == 1 and "cannot write the output" in p.stderr


class _Failing:
    """A stdout whose writes fail as a pipe with no reader (EPIPE) or a full disk (ENOSPC) do."""

    def __init__(self, exc):
        self.exc = exc

    def write(self, s):
        raise self.exc

    def flush(self):
        raise self.exc

    def fileno(self):
        raise OSError("no file descriptor here")  # keeps main() from redirecting the test's own fd


@pytest.mark.parametrize("exc", [BrokenPipeError(32, "Broken pipe"), OSError(28, "No space left on device"),
                                 ValueError("I/O operation on closed file.")])
def test_write_errors_in_process(tmp_path, monkeypatch, capsys, exc):
    monkeypatch.delenv("CHARTERVERIFY_TEXT_ROOT", raising=False)
    model = _failing_model(tmp_path)
    monkeypatch.setattr(sys, "stdout", _Failing(exc))
    code = main([str(model), "--no-properties"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write the output to stdout" in err and "FAILED" in err


# ---------------------------------------------------------------- injection through file names and text


INJECT_NAME = "x\n::warning::INJECTED\n::add-mask::x\n.toml"
COMMAND_LINE = re.compile(r"^\s*(::|##\[|##vso\[)", re.M)


def _command_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if COMMAND_LINE.match(line)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_name_injection(repo, capsys, fmt):
    model = repo / "charters" / INJECT_NAME
    model.write_text(model_text(text="../texts/charter.txt"))
    text = repo / "texts" / "y\n::error file=a::INJECTED\x1b]0;PWNED\x07.txt"
    shutil.copy(HOSTILE / "placeholder.txt", text)
    code, out, err = run(capsys, model, "--no-properties", "--format", fmt, "--text", text)
    assert code == 1, err
    assert "\x1b" not in out + err and "INJECTED" in out  # shown, escaped
    commands = _command_lines(out)
    if fmt == "github":  # only our own annotations, with the names %-escaped inside them
        assert commands and all(re.match(r"::(error|warning|notice) file=[^\n]*::", c) for c in commands)
        assert not any(c.startswith(("::warning::", "::add-mask::", "::error file=a")) for c in commands)
    else:
        assert commands == []
    if fmt == "junit":
        ET.fromstring(out)
    if fmt in ("json", "sarif"):
        json.loads(out)


@pytest.mark.parametrize("extra", [["--exit", "100"], ["--breakpoints"], []])
def test_github_format_allows_only_its_own_annotations(repo, capsys, extra):
    # with --exit or --breakpoints the github format prints tables whose title starts with the
    # charter name: a name that is a workflow command must not become one
    (repo / "charters" / "m.toml").write_text(model_text(name="::warning::INJECTED", text="../texts/charter.txt"))
    code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--format", "github", *extra)
    if extra:  # payouts and breakpoints are not findings: the github format refuses them, one line
        assert code == 2 and out == "" and err.count("\n") == 1 and not _command_lines(err), err
        return
    assert code in (0, 1), err
    assert all(re.match(r"::(error|warning|notice) file=", c) for c in _command_lines(out)), out
    if not extra:  # the findings run: its annotations are there, raw
        assert any(c.startswith("::error file=texts/charter.txt,line=5,") for c in _command_lines(out)), out


def test_model_file_name_injection_in_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / INJECT_NAME).write_text("format = 1\n[charter\n")
    code, out, err = run(capsys, INJECT_NAME)
    one_line_error(code, err)
    assert _command_lines(err) == [] and "\\n\\x3a:warning\\x3a:INJECTED" in err


def test_control_characters_from_the_text_are_escaped(repo, capsys):
    # a NUL byte makes the reader refuse the file as binary (exit 2, one line): the other
    # control characters are few enough to read, and must reach no output raw
    raw = (HOSTILE / "control.txt").read_bytes()
    (repo / "texts" / "nul.txt").write_bytes(raw)
    (repo / "charters" / "n.toml").write_text(model_text(text="../texts/nul.txt"))
    msg = one_line_error(*run(capsys, "charters/n.toml", "--no-properties")[::2])
    assert "nul.txt" in msg and "binary" in msg
    (repo / "texts" / "esc.txt").write_bytes(raw.replace(b"\x00", b""))
    (repo / "charters" / "m.toml").write_text(model_text(text="../texts/esc.txt"))
    for fmt in FORMATS:
        code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--format", fmt)
        assert code in (0, 1), err
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), (fmt, out)
        if fmt == "junit":
            ET.fromstring(out)  # well-formed XML 1.0
        if fmt in ("json", "sarif"):
            json.loads(out)


@pytest.mark.parametrize("extra", [[], ["--breakpoints"], ["--exit", "100"]])
def test_rich_markup_in_model_strings_is_text(tmp_path, capsys, extra):
    # the text tables are drawn with rich, whose markup a stray "[/bold]" made crash (exit 3)
    # and a "[link=...]" made a hyperlink; model strings are escaped for it
    m = tmp_path / "m.toml"
    m.write_text(model_text(name="[/bold] [link=https://evil.example]x[/link]",
                            replace=[('source = "4.B.2(a)"\n\n[series.conversion]', 'source = "[/x]"\n\n[series.conversion]')]))
    code, out, err = run(capsys, m, "--no-properties", *extra)
    assert code == 0, err
    assert "[/bold]" in out and "[link=https://evil.example]x[/link]" in out


# ---------------------------------------------------------------- markdown renders nothing active


def active_elements(html: str) -> list[str]:
    """Every element or attribute in rendered HTML that does something: scripts, frames, objects,
    forms, event handlers, and links or images that leave the document (a report's own links to
    its sections, "#...", and its own chart files, "<id>-<chart>.svg", are the template's)."""
    from html.parser import HTMLParser

    own = re.compile(r"#[a-z0-9-]+|[a-z0-9_-]+-(payouts|per-share)\.svg")
    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed", "style", "link", "meta", "form", "svg", "base"):
                found.append(tag)
            for k, v in attrs:
                if k.startswith("on") or (k == "style" and not re.fullmatch(r"text-align:(left|right|center)", v or "")) or (k in ("href", "src") and not own.fullmatch(v or "")):
                    found.append(f"{tag}[{k}={v}]")

    P().feed(html)
    return found


def _render(md: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md)


def _hostile_name() -> str:
    return (HOSTILE / "payload.txt").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("fmt", ["markdown", "github"])
def test_markdown_and_step_summary_render_nothing_active(repo, capsys, monkeypatch, fmt):
    summary = repo.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    (repo / "texts" / "p.txt").write_text((HOSTILE / "placeholder.txt").read_text() + "\n3. [TBD] " + _hostile_name()
                                          + " [TBD]\n")
    (repo / "charters" / "m.toml").write_text(model_text(text="../texts/p.txt"))
    code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--format", fmt)
    assert code == 1, err
    md = out if fmt == "markdown" else summary.read_text()
    html = _render(md)
    assert active_elements(html) == [], html  # the quote shows the payload as text, cut short
    assert "&lt;script&gt;" in html  # shown as text


def test_report_markdown_and_html_render_nothing_active(repo, capsys):
    payload = _hostile_name()
    (repo / "charters" / "m.toml").write_text(model_text(name=payload))
    code, out, err = run(capsys, "charters/m.toml", "--no-properties", "--report", repo / "out")
    assert code == 0, err
    md = (repo / "out" / "good-simple.md").read_text()
    html = _render(md)
    assert "evil.example" in html and active_elements(html) == [], html
    page = (repo / "out" / "good-simple.html").read_text()
    assert "<script" not in page.lower() and "&lt;script&gt;" in page


def test_diff_markdown_renders_nothing_active(repo, capsys):
    payload = _hostile_name()
    (repo / "charters" / "a.toml").write_text(model_text(name=payload))
    (repo / "charters" / "b.toml").write_text(model_text(name=payload, replace=[('per_share = "4"', 'per_share = "5"')]))
    (repo / "charters" / "<img src=x onerror=alert(1)>.toml").write_text(model_text(name=payload))
    code, out, err = run(capsys, "--diff", "charters/a.toml", "charters/<img src=x onerror=alert(1)>.toml",
                         "--format", "markdown")
    assert code in (0, 1), err
    html = _render(out)
    assert active_elements(html) == [] and "&lt;img" in html, html


# ---------------------------------------------------------------- input limits, checked before reading


@pytest.mark.parametrize("path, fragment", [
    ("/dev/zero", "is a device"),
    ("/dev/urandom", "is a device"),
    ("/dev/null", "is a device"),
    ("/proc/self/mem", "cannot read"),  # a regular file of size 0 that cannot be read as one
    ("/", "is a directory"),
])
def test_model_that_is_not_a_regular_file(capsys, path, fragment):
    if not os.path.exists(path):
        pytest.skip(f"{path} not on this system")
    msg = one_line_error(*run(capsys, path)[::2])
    assert msg.startswith(path) and fragment in msg


def test_model_fifo_does_not_hang(tmp_path, capsys):
    fifo = tmp_path / "m.toml"
    os.mkfifo(fifo)
    msg = one_line_error(*run(capsys, fifo)[::2])
    assert "FIFO" in msg


def test_model_larger_than_2_mb(tmp_path, capsys):
    big = tmp_path / "big.toml"
    big.write_text(model_text() + "# " + "x" * (2 * 1024 * 1024) + "\n")
    msg = one_line_error(*run(capsys, big)[::2])
    assert f"{big.stat().st_size} bytes" in msg and "2 MB" in msg


def test_long_string_in_a_model(tmp_path, capsys):
    m = tmp_path / "m.toml"
    m.write_text(model_text(name="n" * 100_001))  # 100,001 characters: one more than a value may hold
    msg = one_line_error(*run(capsys, m)[::2])
    assert "charter.name" in msg and "a text of 100001 characters" in msg


def test_long_array_in_a_model(tmp_path, capsys):
    m = tmp_path / "m.toml"
    m.write_text(model_text(replace=[('series = ["A", "B"]\nsource = "4.B.2(a)"',
                                      'series = [' + ", ".join(['"A"'] * 10_001) + ']\nsource = "4.B.2(a)"')]))
    msg = one_line_error(*run(capsys, m)[::2])
    assert "tiers[0].series" in msg and "a list of 10001 entries" in msg


def test_report_write_errors_are_exit_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    # a directory standing at the target file name; a path under a regular file; /dev/null; /proc
    (tmp_path / "rep" / "good-simple.md").mkdir(parents=True)
    for target, fragment in [(tmp_path / "rep", "good-simple.md"), (blocker / "sub", "Not a directory"),
                             ("/dev/null", "exists and is not a directory"), ("/proc/hostile", "cannot write")]:
        msg = one_line_error(*run(capsys, SIMPLE, "--no-properties", "--report", target)[::2])
        assert msg.startswith(f"--report {target}") and fragment in msg, msg


def test_report_into_a_read_only_directory(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    msg = one_line_error(*run_unprivileged(capsys, SIMPLE, "--no-properties", "--report", ro)[::2])
    assert msg.startswith(f"--report {ro}") and "Permission denied" in msg, msg
    assert list(ro.iterdir()) == []  # nothing was written


@pytest.mark.parametrize("where", ["missing/dir/summary.md", "."])
def test_step_summary_errors_are_exit_2(tmp_path, monkeypatch, capsys, where):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / where))
    msg = one_line_error(*run(capsys, SIMPLE, "--no-properties", "--format", "github")[::2])
    assert msg.startswith("GITHUB_STEP_SUMMARY ") and "cannot append" in msg


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("price, fragment", [
    ('"1,75"', "misplaced thousands separator in '1,75'"),
    ('"12,34,567"', "misplaced thousands separator"),
    ('"١٫٧٥"', "ASCII digits only"),          # Arabic-Indic digits
    ('"１７５"', "ASCII digits only"),          # full-width digits
])
def test_conversion_price_numbers(tmp_path, capsys, price, fragment):
    m = tmp_path / "m.toml"
    m.write_text(model_text(replace=[('[series.conversion]\nprice = "1"', f"[series.conversion]\nprice = {price}")]))
    msg = one_line_error(*run(capsys, m)[::2])
    assert "series[0].conversion.price" in msg and fragment in msg


def test_thousands_in_groups_of_three_still_load(capsys):
    # 1,750 is one thousand seven hundred and fifty: the payout of $1,750 with A's $1,000
    # preference then $750 shared by 2,000 common + 0... B (pref $2,000) takes it all below $3,000
    code, out, err = run(capsys, SIMPLE, "--exit", "1,750", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["exits"][0]["exit_value"] == "1750"


@pytest.mark.parametrize("value, fragment", [("1,5", "misplaced thousands separator"), ("1,75", "misplaced"),
                                             ("١٥", "ASCII digits only")])
def test_exit_numbers(capsys, value, fragment):
    msg = one_line_error(*run(capsys, SIMPLE, "--exit", value)[::2])
    assert msg.startswith(f"--exit {value!r}: ") and fragment in msg


def test_issue_shares_in_groups_of_three(capsys):
    msg = one_line_error(*run(capsys, JUNIPER, "--issue", "1,75@1", "--exit", "1000")[::2])
    assert "misplaced thousands separator in '1,75'" in msg


@pytest.mark.parametrize("value", ["0", "-1", "4294967296", "4294967297", "99999999999999999999999", "١٠", "1e6", ""])
def test_rlimit_out_of_range(capsys, value):
    msg = one_line_error(*run(capsys, SIMPLE, "--rlimit", value, "--exit", "100")[::2])
    assert msg.startswith(f"--rlimit {value!r}: ")


def test_rlimit_largest_is_accepted(capsys):
    code, out, err = run(capsys, SIMPLE, "--rlimit", "4294967295", "--exit", "100", "--format", "json")
    assert code == 0, err


# ---------------------------------------------------------------- values that crashed the analysis


@pytest.mark.parametrize("key", ["min_price_per_share", "min_price_multiple"])
def test_zero_automatic_conversion_price_tests(tmp_path, capsys, key):
    m = tmp_path / "m.toml"
    m.write_text(model_text(replace=[('min_price_per_share = "8"', f'{key} = "0"')]))
    msg = one_line_error(*run(capsys, m)[::2])
    assert f"automatic_conversion[0].{key}" in msg and "must be positive" in msg


@pytest.mark.parametrize("step, fragment", [
    ("filed_within_months = 1000000000000000000", "at most 1200 months"),
    ("filed_within_days = 99999999", "at most 36525 days"),
])
def test_huge_filing_periods(tmp_path, capsys, step, fragment):
    m = tmp_path / "juniper.toml"
    text = JUNIPER.read_text()
    assert "filed_within_months = 12," in text
    m.write_text(text.replace("filed_within_months = 12,", step + ",", 1).replace("filed_within_days = 180,", step + ",", 1)
                 if "days" in step else text.replace("filed_within_months = 12,", step + ",", 1))
    msg = one_line_error(*run(capsys, m)[::2])
    assert "ipo_ratchets[0].steps[" in msg and fragment in msg


def test_huge_filed_flag(capsys):
    msg = one_line_error(*run(capsys, JUNIPER, "--ipo", "10", "--raise", "50000000",
                             "--filed", "99999999999999999999m")[::2])
    assert "more than 100 years" in msg


# ---------------------------------------------------------------- silently wrong: now refused


def test_two_models_with_one_id_and_a_report_dir(tmp_path, capsys):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(model_text())
    b.write_text(model_text())
    msg = one_line_error(*run(capsys, a, b, "--no-properties", "--report", tmp_path / "rep")[::2])
    assert str(a) in msg and str(b) in msg and "'good-simple'" in msg and "overwrite" in msg
    assert not (tmp_path / "rep").exists()  # refused before anything is written


@pytest.mark.parametrize("flag", [["--split", "2"], ["--issue", "100@0.5"]])
def test_ipo_with_split_or_issue_is_refused(capsys, flag):
    msg = one_line_error(*run(capsys, JUNIPER, "--ipo", "10", "--raise", "50000000", *flag)[::2])
    assert "--ipo does not take" in msg
