"""Bad input never gets past `verify` as a traceback: one line on stderr, exit status 2.

Every file in tests/charters/bad/ is a small invalid model whose first line is
`# expect: <fragment of the message>`. For each, the message must be exactly
`verify: error: <file>:<line>: <key>: ...` (or `<file>: <key>: ...` where no line
can be known) with the line and key listed in CASES below.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.model import MAX_SERIES, ModelError, load_model, loads_model

BAD = Path(__file__).parent / "charters" / "bad"
VERIFY = Path(sys.executable).parent / "verify"

# case -> (line, key); line None: the key is absent, so there is no line to name
CASES: dict[str, tuple[int | None, str]] = {
    # TOML itself
    "syntax_error": (8, "series[0].designated"),
    "unterminated_string": (10, "series[0].source"),
    "duplicate_key": (11, "series[0].designated"),
    "duplicate_table": (27, "captable"),
    "bad_date": (30, "ipo_ratchets[0].steps[0].filed_by"),
    # structure
    "unknown_key": (17, "series[0].conversion.ratio"),
    "unknown_top_level_key": (24, "cap_table"),
    "quoted_key_like_a_path": (2, '"series[0]"'),
    "missing_field": (6, "series[0].original_issue_price"),
    "missing_source": (6, "series[0].source"),
    "missing_table": (None, "captable"),
    "empty_series_list": (2, "series"),
    "format_version": (2, "format"),
    # wrong TOML types
    "table_for_list": (6, "series"),
    "text_for_list": (21, "tiers[0].series"),
    "list_for_text": (4, "charter.name"),
    "nested_array": (23, "tiers[0].series[1]"),
    "table_for_text": (17, "series[0].conversion.source"),
    "list_for_table": (26, "captable.outstanding"),
    "date_for_number": (9, "series[0].original_issue_price"),
    "bool_for_number": (8, "series[0].designated"),
    "number_for_bool": (11, "series[0].external"),
    "float_shares": (25, "captable.common_outstanding"),
    "fractional_shares": (8, "series[0].designated"),
    # numbers
    "nonnumeric_price": (9, "series[0].original_issue_price"),
    "zero_price": (16, "series[0].conversion.price"),
    "negative_money": (28, "captable.dividends.A"),
    "negative_shares": (8, "series[0].designated"),
    "zero_shares": (25, "captable.common_outstanding"),
    "huge_shares": (8, "series[0].designated"),
    "huge_price": (16, "series[0].conversion.price"),
    "huge_exponent": (9, "series[0].original_issue_price"),
    "too_many_decimals": (9, "series[0].original_issue_price"),
    "division_by_zero": (9, "series[0].original_issue_price"),
    "nan_price": (9, "series[0].original_issue_price"),
    # text and ids
    "control_char_in_name": (4, "charter.name"),
    "line_break_in_name": (4, "charter.name"),
    "bad_series_id": (7, "series[0].id"),
    "bad_charter_id": (3, "charter.id"),
    "reserved_series_id": (7, "series[0].id"),
    "duplicate_series_id": (20, "series[1].id"),
    "unknown_choice": (29, "series[1].participation.kind"),
    # consistency
    "unknown_series": (40, "tiers[0].series[1]"),
    "series_in_two_tiers": (43, "tiers[1].series[0]"),
    "series_twice_in_tier": (21, "tiers[0].series[1]"),
    "preference_without_tier": (25, "series[1].preference"),
    "cap_below_preference": (30, "series[1].participation.cap"),
    "cap_without_capped": (30, "series[1].participation.cap"),
    "cyclic_seniority": (40, "tiers[0].junior_to"),
    "self_junior_tier": (22, "tiers[0].junior_to[0]"),
    "unknown_junior_tier": (22, "tiers[0].junior_to[0]"),
    "self_referencing_class_vote": (45, "class_votes[0].id"),
    "class_vote_threshold": (47, "class_votes[0].threshold"),
    "class_vote_without_conversion": (42, "class_votes[0].series[1]"),
    "outstanding_exceeds_designated": (28, "captable.outstanding.A"),
    "outstanding_unknown_series": (29, "captable.outstanding.Z"),
    "option_pool_unknown_series": (31, "captable.options[0].buys"),
    "carve_out_percent": (28, "scenario.carve_out_percent"),
    "ratchet_filed_by_not_a_date": (32, "ipo_ratchets[0].steps[1].filed_by"),
    # line numbers of entries: the second [[series]], an element of an inline array of
    # tables, and a key after a multi-line string holding header-like text
    "array_of_tables_entry": (21, "series[1].designated"),
    "inline_array_of_tables": (4, "series[1].prefrence"),
    "after_multiline_string": (22, "series[0].conversion.price"),
}

GOOD = """\
[charter]
id = "good"
name = "Good Example Inc."

[[series]]
id = "A"
designated = 1000
original_issue_price = "1.00"
source = "IV.B"

[series.preference]
source = "IV.B.2(a)"

[series.conversion]
price = "1.00"
source = "IV.B.3(a)"

[[tiers]]
id = "preferred"
series = ["A"]
source = "IV.B.2(a)"

[captable]
common_outstanding = 2000
"""


def expected_fragment(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = re.fullmatch(r"# expect: (.+)", first)
    assert m, f"{path.name}: the first line must be '# expect: <message fragment>'"
    return m.group(1)


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert err.endswith("\n") and err.count("\n") == 1, repr(err)
    assert lines[0].startswith("verify: error: "), err
    assert lines[0].isprintable(), repr(err)
    return lines[0][len("verify: error: "):]


def test_every_bad_file_is_listed():
    on_disk = {p.stem for p in BAD.glob("*.toml")}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_model(case, capsys):
    path = BAD / f"{case}.toml"
    line, key = CASES[case]
    code, out, err = run(capsys, [str(path)])
    msg = assert_one_line_error(code, err)
    assert out == ""
    where = f"{path}:{line}: {key}: " if line is not None else f"{path}: {key}: "
    assert msg.startswith(where), f"expected {where!r}, got {msg!r}"
    assert expected_fragment(path) in msg


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_model_loader(case):
    """The loader raises ModelError (never anything else) with the same one-line text."""
    path = BAD / f"{case}.toml"
    with pytest.raises(ModelError) as info:
        load_model(path)
    text = str(info.value)
    assert "\n" not in text and text.isprintable()
    assert expected_fragment(path) in text


def test_bad_files_leave_the_input_alone(capsys):
    before = {p: p.read_bytes() for p in BAD.glob("*.toml")}
    for p in before:
        main([str(p)])
    capsys.readouterr()
    assert {p: p.read_bytes() for p in before} == before


# ---------------------------------------------------------------- files that are no model


def test_missing_file(tmp_path, capsys):
    p = tmp_path / "nope.toml"
    msg = assert_one_line_error(*run(capsys, [str(p)])[::2])
    assert msg == f"{p}: no such file"


def test_directory(tmp_path, capsys):
    msg = assert_one_line_error(*run(capsys, [str(tmp_path)])[::2])
    assert msg == f"{tmp_path}: is a directory, not a charter model"


def test_nul_in_file_name(capsys):
    msg = assert_one_line_error(*run(capsys, ["bad\0name.toml"])[::2])
    assert "not a valid file name" in msg


def test_non_utf8(tmp_path, capsys):
    p = tmp_path / "latin1.toml"
    p.write_bytes(GOOD.replace("Good Example Inc.", "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale").encode("latin-1"))
    msg = assert_one_line_error(*run(capsys, [str(p)])[::2])
    assert msg.startswith(f"{p}:3: not UTF-8 text (byte 0xe9")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \t\n"])
def test_empty_file(tmp_path, capsys, text):
    p = tmp_path / "empty.toml"
    p.write_text(text)
    msg = assert_one_line_error(*run(capsys, [str(p)])[::2])
    assert msg.startswith(f"{p}: charter: missing: the file holds no TOML keys or tables")


def test_nul_byte_in_file(tmp_path, capsys):
    p = tmp_path / "nul.toml"
    p.write_text(GOOD.replace('id = "A"', 'id = "A\0"'))
    msg = assert_one_line_error(*run(capsys, [str(p)])[::2])
    assert msg.startswith(f"{p}:6: series[0].id: TOML syntax error: ")


def test_byte_order_mark_is_accepted(tmp_path, capsys):
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    code, out, err = run(capsys, [str(p), "--exit", "1000"])
    assert (code, err) == (0, "")


def test_integer_too_long_for_python(tmp_path, capsys):
    p = tmp_path / "long.toml"
    p.write_text(GOOD.replace("designated = 1000", "designated = " + "9" * 5000))
    msg = assert_one_line_error(*run(capsys, [str(p)])[::2])
    assert msg.startswith(f"{p}:7: series[0].designated: TOML syntax error: a number with more than 4300 digits")


def test_nesting_too_deep(tmp_path, capsys):
    p = tmp_path / "deep.toml"
    p.write_text(GOOD.replace('series = ["A"]', 'series = ' + "[" * 5000 + "]" * 5000))
    msg = assert_one_line_error(*run(capsys, [str(p)])[::2])
    assert "nested too deeply" in msg


def _many_series(n: int) -> str:
    out = ['[charter]', 'id = "many"', '']
    for i in range(n):
        out += ['[[series]]', f'id = "S{i}"', 'designated = 100', f'original_issue_price = "{i + 1}.00"',
                'source = "IV.B"', '[series.preference]', 'source = "IV.B.2"', '[series.conversion]',
                f'price = "{i + 1}.00"', 'source = "IV.B.3"', '']
    out += ['[[tiers]]', 'id = "all"', 'series = [' + ", ".join(f'"S{i}"' for i in range(n)) + ']',
            'source = "IV.B.2"', '', '[captable]', 'common_outstanding = 1000', '']
    return "\n".join(out)


def test_huge_number_of_series_is_refused(tmp_path, capsys):
    p = tmp_path / "many.toml"
    p.write_text(_many_series(5000))
    msg = assert_one_line_error(*run(capsys, [str(p), "--exit", "1000"])[::2])
    assert msg == (f"{p}:4: series: 5000 series; at most {MAX_SERIES} are supported (the conversion game's "
                   f"proofs grow with every series: {MAX_SERIES} series take about a minute; larger charters "
                   f"are not known to finish)")


def test_largest_supported_number_of_series_loads():
    model = loads_model(_many_series(MAX_SERIES), "many.toml")
    assert len(model.series) == MAX_SERIES


def test_too_many_option_pools(capsys, tmp_path):
    p = tmp_path / "pools.toml"
    pools = "".join(f'\n[[captable.options]]\nid = "p{i}"\ncount = 10\nexercise_price = "0.1"\n' for i in range(500))
    p.write_text(GOOD + pools)
    msg = assert_one_line_error(*run(capsys, [str(p)])[::2])
    assert re.match(rf"{re.escape(str(p))}:\d+: captable\.options: 500 option pools; at most \d+ are supported$", msg)


def test_second_model_bad(tmp_path, capsys):
    good, bad = tmp_path / "good.toml", BAD / "zero_shares.toml"
    good.write_text(GOOD)
    msg = assert_one_line_error(*run(capsys, [str(good), str(bad), "--exit", "100"])[::2])
    assert msg.startswith(f"{bad}:25: captable.common_outstanding: ")


# ---------------------------------------------------------------- exit values


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.toml"
    p.write_text(GOOD)
    return p


@pytest.mark.parametrize("value, reason", [
    ("-5", "cannot be negative"),
    ("-0.01", "cannot be negative"),
    ("abc", "not a number"),
    ("nan", "not a number"),
    ("inf", "not a number"),
    ("-inf", "not a number"),
    ("1e400", "implausibly large"),
    ("1e999999999", ""),  # must not hang expanding 10**999999999
    ("1e-999999999", ""),
    ("1/0", "not a number"),
    ("", "not a number"),
    ("0x10", "not a number"),
    ("1,2,3.4.5", "not a number"),
])
def test_bad_exit_value(good, capsys, value, reason):
    msg = assert_one_line_error(*run(capsys, [str(good), f"--exit={value}"])[::2])
    assert msg.startswith(f"--exit {value!r}: ")
    assert reason in msg


@pytest.mark.parametrize("value, shown", [("0", "0"), ("1000000000000000", "1000000000000000"), ("1/3", "1/3"),
                                          ("$1,500.25", "1500.25"), ("1.5e3", "1500")])
def test_good_exit_value(good, capsys, value, shown):
    import json

    code, out, err = run(capsys, [str(good), "--exit", value, "--format", "json"])
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["exits"][0]["exit_value"] == shown


# ---------------------------------------------------------------- the real executable


@pytest.mark.parametrize("args, start", [
    (["tests/charters/bad/cyclic_seniority.toml"], "tests/charters/bad/cyclic_seniority.toml:40: tiers[0].junior_to: "),
    (["tests/charters/bad/syntax_error.toml"], "tests/charters/bad/syntax_error.toml:8: series[0].designated: "),
    (["tests/charters/bad/nonnumeric_price.toml"], "tests/charters/bad/nonnumeric_price.toml:9: "),
    (["tests/charters/bad/no_such_file.toml"], "tests/charters/bad/no_such_file.toml: no such file"),
    (["charters/kinzan.toml", "--exit", "-5"], "--exit '-5': "),
    (["charters/kinzan.toml", "--exit", "nan"], "--exit 'nan': "),
])
def test_executable(args, start):
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([str(VERIFY), *args], cwd=root, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith("verify: error: " + start), r.stderr
    assert r.stdout == ""
