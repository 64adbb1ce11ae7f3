"""Fuzzing the loader and the `verify` command line with hypothesis.

A small valid model (VALID, below) is mutated: keys dropped or added, values replaced
by values of other TOML types (tables, lists, nested lists, dates, booleans, floats),
unicode and control characters injected into names and keys, extreme numbers (0,
10^15 and 10^19 shares, prices with 12 decimals, 1e400), empty series lists, cyclic
seniority, self-referencing class votes; the TOML text itself is cut and spliced.

Whatever the input, `loads_model` returns a model or raises ModelError with one
printable line, and `main([path, "--exit", v, "--format", "json"])` exits 0 with
exact payouts (equal to the direct evaluator's) or 2 with one line on stderr --
never a traceback, never exit 3.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charterverify.cli import main
from charterverify.evaluate import evaluate_exit
from charterverify.model import Charter, ModelError, format_exact, loads_model

SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])

VALID: dict[str, Any] = {
    "format": 1,
    "charter": {"id": "fuzz", "name": "Fuzz Corporation"},
    "source": {"document": "Restated Certificate of Incorporation, Article IV"},
    "series": [
        {
            "id": "A", "name": "Series A Preferred Stock", "designated": 1000, "original_issue_price": "1.00",
            "source": "IV.B",
            "preference": {"per_share": "1.00", "source": "IV.B.2(a)"},
            "participation": {"kind": "capped", "cap": "3.00", "source": "IV.B.2(b)"},
            "conversion": {"price": "1.00", "source": "IV.B.3(a)"},
        },
        {
            "id": "B", "designated": 500, "original_issue_price": "2.00", "source": "IV.B",
            "preference": {"source": "IV.B.2(a)"},
            "conversion": {"price": "2.00", "source": "IV.B.3(a)", "cash_per_share": "0.10",
                           "cash_source": "IV.B.3(a)(i)"},
        },
    ],
    "tiers": [
        {"id": "senior", "series": ["B"], "shortfall": "preference", "source": "IV.B.2(a)"},
        {"id": "junior", "series": ["A"], "source": "IV.B.2(a)", "junior_to": ["senior"]},
    ],
    "class_votes": [{"id": "AB", "series": ["A", "B"], "threshold": "1/2", "strict": True, "source": "IV.B.3(a)"}],
    "readings": {"cap_dropout": "own_cap", "cash_on_conversion": "before_preferences"},
    "captable": {
        "assumption": True, "common_outstanding": 2000,
        "outstanding": {"A": 900}, "dividends": {"B": "0.05"},
        "options": [{"id": "pool", "count": 100, "exercise_price": "0.10", "buys": "common"}],
    },
    "scenario": {"transaction_costs": "10", "carve_out_percent": "0.05", "source": "assumption"},
}

# ---------------------------------------------------------------- a small TOML writer

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _str(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(k: str) -> str:
    return k if _BARE.fullmatch(k) else _str(k)


def _val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        if v.is_nan():
            return "nan"
        if v.is_infinite():
            return "-inf" if v < 0 else "inf"
        s = str(v)
        return s if any(c in s for c in ".eE") else s + ".0"
    if isinstance(v, str):
        return _str(v)
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def _is_aot(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def to_toml(doc: dict) -> str:
    lines: list[str] = []

    def table(path: str, d: dict) -> None:
        for k, v in d.items():
            if not isinstance(v, dict) and not _is_aot(v):
                lines.append(f"{_key(k)} = {_val(v)}")
        for k, v in d.items():
            sub = f"{path}.{_key(k)}" if path else _key(k)
            if isinstance(v, dict):
                lines.extend(["", f"[{sub}]"])
                table(sub, v)
            elif _is_aot(v):
                for item in v:
                    lines.extend(["", f"[[{sub}]]"])
                    table(sub, item)

    table("", doc)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- mutations

NASTY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\x00", "\x1b", "\n", "\r", "\t", "\x7f", "\x85", "\u2028", "\u202e", "\ufeff", "é", "☃",
                         "𝔘", '"', "\\", "[", "]", ".", "="]),
    ),
    max_size=12,
)

EXTREME_NUMBERS = st.sampled_from([
    0, -1, 1, 10**15, 10**18, 10**19, -(10**15), 2**63, 10**40,
    Decimal("0.0"), Decimal("1000.0"), Decimal("1.5"), Decimal("1e400"), Decimal("-1e-400"), Decimal("NaN"),
    Decimal("Infinity"), Decimal("1.000000000001"),
    "0", "-0", "1.123456789012", "0.000000000001", "1e15", "1e400", "1e999999999", "1e-999999999",
    "2/3", "1/0", "nan", "inf", "$1,000", "1_000", "", " ", "1,2,3", "one", "10^15",
])

WEIRD = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(-(10**20), 10**20),
        EXTREME_NUMBERS,
        NASTY_TEXT,
        st.dates(min_value=dt.date(1, 1, 1)),
        st.datetimes(timezones=st.one_of(st.none(), st.just(dt.timezone.utc))),
        st.times(),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["id", "x", "source", "price", "A", "series"]), inner,
                                            max_size=3)),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append(prefix + (k,))
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append(prefix + (i,))
            out.extend(_paths(v, prefix + (i,)))
    return out


def _parent(doc: Any, path: tuple) -> Any:
    for p in path[:-1]:
        doc = doc[p]
    return doc


@st.composite
def mutation(draw, doc: dict) -> None:
    """Apply one random change to `doc` in place."""
    paths = _paths(doc)
    op = draw(st.sampled_from(["drop", "replace", "replace", "inject", "add_key", "number", "scenario"]))
    path = draw(st.sampled_from(paths))
    parent = _parent(doc, path)
    leaf = path[-1]
    if op == "drop":
        del parent[leaf]
    elif op == "replace":
        parent[leaf] = draw(WEIRD)
    elif op == "inject":
        strings = [p for p in paths if isinstance(_parent(doc, p)[p[-1]], str)]
        if strings:
            p = draw(st.sampled_from(strings))
            s = _parent(doc, p)[p[-1]]
            at = draw(st.integers(0, len(s)))
            _parent(doc, p)[p[-1]] = s[:at] + draw(NASTY_TEXT) + s[at:]
    elif op == "add_key":
        tables = [p for p in paths if isinstance(_parent(doc, p)[p[-1]], dict)]
        target = doc
        if tables and draw(st.booleans()):
            p = draw(st.sampled_from(tables))
            target = _parent(doc, p)[p[-1]]
        target[draw(st.one_of(NASTY_TEXT.filter(bool), st.just("series[0]"), st.just("ratio")))] = draw(WEIRD)
    elif op == "number":
        numeric = [p for p in paths if p[-1] in ("designated", "common_outstanding", "count", "A", "B",
                                                  "original_issue_price", "per_share", "cap", "price",
                                                  "cash_per_share", "exercise_price", "threshold",
                                                  "transaction_costs", "carve_out_percent")]
        if numeric:
            p = draw(st.sampled_from(numeric))
            _parent(doc, p)[p[-1]] = draw(EXTREME_NUMBERS)
    else:
        which = draw(st.sampled_from(["empty_series", "cycle", "self_vote", "vote_member_is_vote", "no_tiers",
                                      "same_tier_twice", "pool_buys_vote", "series_as_table"]))
        try:  # earlier mutations may have changed the shapes these reach into
            if which == "empty_series":
                doc["series"] = []
            elif which == "cycle":
                doc["tiers"][0]["junior_to"] = ["junior"]
            elif which == "self_vote":
                doc["class_votes"][0]["id"] = "A"
            elif which == "vote_member_is_vote":
                doc["class_votes"][0]["series"] = ["AB", "A"]
            elif which == "no_tiers":
                doc["tiers"] = []
            elif which == "same_tier_twice":
                doc["tiers"].append(copy.deepcopy(doc["tiers"][0]))
            elif which == "pool_buys_vote":
                doc["captable"]["options"][0]["buys"] = "AB"
            elif which == "series_as_table":
                doc["series"] = doc["series"][0]
        except (KeyError, IndexError, TypeError, AttributeError):
            pass


@st.composite
def mutated_texts(draw) -> str:
    doc = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        if not _paths(doc):
            break
        draw(mutation(doc))
    return to_toml(doc)


@st.composite
def spliced_texts(draw) -> str:
    """The TOML text of VALID (or of a mutation), cut, spliced, or with random characters put in."""
    text = draw(st.one_of(st.just(to_toml(VALID)), mutated_texts()))
    lines = text.split("\n")
    op = draw(st.sampled_from(["delete_line", "duplicate_line", "truncate", "insert", "swap_lines"]))
    i = draw(st.integers(0, len(lines) - 1))
    if op == "delete_line":
        del lines[i]
    elif op == "duplicate_line":
        lines.insert(i, lines[i])
    elif op == "swap_lines":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    else:
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + draw(NASTY_TEXT) + lines[i][at:]
    return "\n".join(lines)


OPTIONAL = [("charter", "name"), ("source",), ("series", 0, "name"), ("series", 0, "preference", "per_share"),
            ("series", 1, "conversion", "cash_per_share"), ("series", 0, "participation"), ("series", 1, "preference"),
            ("tiers", 0, "shortfall"), ("tiers", 1, "junior_to"), ("class_votes",), ("class_votes", 0, "strict"),
            ("readings",), ("captable", "outstanding"), ("captable", "dividends"), ("captable", "options"),
            ("scenario",), ("format",)]
VALID_NUMBERS = {
    ("series", 0, "designated"): st.sampled_from([1000, 10**15, "1,000", "1_000_000"]),
    ("series", 1, "designated"): st.sampled_from([500, 1, 10**15]),
    ("captable", "common_outstanding"): st.sampled_from([1, 2000, 10**15]),
    ("series", 0, "original_issue_price"): st.sampled_from(["1.00", "0.000000000001", "1.123456789012", "2/3",
                                                            Decimal("1.5"), 7, "$1,000.50"]),
    ("series", 1, "conversion", "price"): st.sampled_from(["2.00", "0.000000000001", "123456.123456789012"]),
    ("class_votes", 0, "threshold"): st.sampled_from(["0", "1/2", "0.999999999999", "2/3"]),
    ("captable", "options", 0, "count"): st.sampled_from([1, 100, 10**15]),
    ("captable", "options", 0, "exercise_price"): st.sampled_from(["0", "0.10", "1000000"]),
    ("scenario", "transaction_costs"): st.sampled_from(["0", "10", "1000000000000000"]),
    ("scenario", "carve_out_percent"): st.sampled_from(["0", "0.05", "0.999999999999"]),
}


@st.composite
def gentle_texts(draw) -> str:
    """Mutations that mostly keep the model valid, so the solver runs: optional keys dropped,
    extreme but valid numbers, unicode names."""
    doc = copy.deepcopy(VALID)
    for path in draw(st.lists(st.sampled_from(sorted(VALID_NUMBERS, key=str)), max_size=3, unique=True)):
        _parent(doc, path)[path[-1]] = draw(VALID_NUMBERS[path])
    for path in draw(st.lists(st.sampled_from(OPTIONAL), max_size=3, unique=True)):
        try:
            del _parent(doc, path)[path[-1]]
        except (KeyError, IndexError, TypeError):
            pass
    if draw(st.booleans()):
        doc["charter"]["name"] = draw(NASTY_TEXT)
    if draw(st.booleans()):
        doc["series"][0]["note"] = draw(st.text(max_size=20))
    return to_toml(doc)


EXIT_VALUES = st.one_of(
    st.sampled_from(["0", "1000000000000000", "100", "5000", "1/3", "12345.678901234567", "-5", "abc", "nan",
                     "inf", "-inf", "1e400", "1e999999999", "", "0x10", "10^15"]),
    st.integers(0, 10**15).map(str),
    st.fractions(min_value=0, max_value=10**7, max_denominator=10**6).map(str),
)

EXACT = re.compile(r"-?\d+(\.\d+)?|-?\d+/\d+")


# ---------------------------------------------------------------- checks


def load(text: str, name: str = "fuzz.toml") -> Charter | None:
    """loads_model, asserting that it fails only with a one-line ModelError."""
    try:
        return loads_model(text, name)
    except ModelError as e:
        msg = str(e)
        assert msg.isprintable() and "\n" not in msg, repr(msg)
        assert msg.startswith(name + ":"), msg
        return None


def run_cli(path: Path, text: str, exit_value: str, capsys) -> None:
    path.write_text(text, encoding="utf-8")
    code = main([str(path), f"--exit={exit_value}", "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 2), (code, err, text)
    assert "Traceback" not in err
    assert err.count("\n") <= 1 and len(err.splitlines()) <= 1, err
    if code == 2:
        assert err.startswith("verify: error: ") and err.endswith("\n"), err
        assert err[:-1].isprintable(), repr(err)
        assert out == ""
        return
    assert err == ""
    doc = json.loads(out)
    model = loads_model(text, str(path))
    [result] = doc["exits"]
    E = Fraction(result["exit_value"])
    assert result["exit_value"] == format_exact(E)
    for holder, amount in result["payouts"].items():
        assert isinstance(amount, str) and EXACT.fullmatch(amount), (holder, amount)
    # the exact result agrees with the direct evaluator
    expected = evaluate_exit(model, E)
    assert result["payouts"] == {h: format_exact(v) for h, v in expected.payouts.items()}


def test_valid_model_is_valid(tmp_path, capsys):
    assert load(to_toml(VALID)) is not None
    run_cli(tmp_path / "valid.toml", to_toml(VALID), "5000", capsys)


@settings(max_examples=400, **SETTINGS)
@given(text=st.one_of(mutated_texts(), spliced_texts()))
def test_fuzz_loader(text):
    load(text)


@settings(max_examples=250, **SETTINGS)
@given(text=st.one_of(mutated_texts(), spliced_texts(), gentle_texts()), exit_value=EXIT_VALUES)
def test_fuzz_cli(tmp_path, capsys, text, exit_value):
    run_cli(tmp_path / "fuzz.toml", text, exit_value, capsys)


@settings(max_examples=60, **SETTINGS)
@given(
    shares=st.sampled_from([1, 7, 10**15]),
    common=st.sampled_from([1, 10**15]),
    price=st.sampled_from(["1.00", "0.000000000001", "1.123456789012", "999999.999999999999", "2/3"]),
    cap=st.sampled_from(["3.00", "1.123456789013", "1000000"]),
    exit_value=st.sampled_from(["0", "1", "1000000000000000", "123456789.123456789012", "1/7"]),
    name=NASTY_TEXT.filter(lambda s: s.isprintable() and "\u2028" not in s),
)
def test_extreme_but_valid(tmp_path, capsys, shares, common, price, cap, exit_value, name):
    """Extreme numbers that are still valid give an exact result (or a clean refusal: a cap below the
    preference), never an internal error."""
    doc = copy.deepcopy(VALID)
    doc["charter"]["name"] = name or "x"
    a, b = doc["series"]
    a["designated"] = shares
    b["designated"] = shares
    a["original_issue_price"] = price
    a["preference"]["per_share"] = price
    a["participation"]["cap"] = cap
    b["conversion"]["price"] = price
    doc["captable"]["common_outstanding"] = common
    doc["captable"]["outstanding"] = {}
    run_cli(tmp_path / "extreme.toml", to_toml(doc), exit_value, capsys)


@pytest.mark.parametrize("text", [
    to_toml({**VALID, "series": []}),
    to_toml({**VALID, "tiers": [{**VALID["tiers"][0], "junior_to": ["junior"]}, VALID["tiers"][1]]}),
    to_toml({**VALID, "class_votes": [{**VALID["class_votes"][0], "id": "A"}]}),
    to_toml({**VALID, "class_votes": [{**VALID["class_votes"][0], "series": ["AB"]}]}),
])
def test_named_inconsistencies(text, tmp_path, capsys):
    assert load(text) is None
    run_cli(tmp_path / "bad.toml", text, "100", capsys)
