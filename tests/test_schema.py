"""The JSON Schema of the charter model (charterverify/schema/charter.schema.json).

Editors validate TOML models with it; the loader (charterverify/model/load.py) stays the
authority. These tests check that the schema is valid, accepts every model the loader
accepts, rejects the schema-level errors the loader rejects (unknown or missing keys,
wrong types, bad enums), matches the loader's tables, keys, enums and id patterns, and
ships with the package.
"""

from __future__ import annotations

import ast
import datetime as dt
import fnmatch
import json
import re
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from charterverify import model
from charterverify.model import load as loader  # the loader module: its _table calls and key sets
from charterverify.model import ModelError, load_model

REPO = Path(__file__).resolve().parents[1]
SCHEMA_PATH = REPO / "charterverify" / "schema" / "charter.schema.json"
BAD_DIR = REPO / "tests" / "charters" / "bad"


def _model_files() -> list[Path]:
    """charters/*.toml and tests/**/*.toml, except the deliberately bad models."""
    found = set((REPO / "charters").glob("*.toml")) | set((REPO / "tests").rglob("*.toml"))
    found = {p for p in found if "keys" not in p.relative_to(REPO).parts}  # tests/draft/keys: answer keys, not models
    return sorted(p for p in found if BAD_DIR not in p.parents)


def _bad_files() -> list[Path]:
    return sorted(BAD_DIR.rglob("*.toml")) if BAD_DIR.is_dir() else []


def _rel(p: Path) -> str:
    return p.relative_to(REPO).as_posix()


# ---------------------------------------------------------------- TOML -> JSON

# Two JSON views of a TOML model. tomllib (parse_float=Decimal) gives Decimals and
# dates, which JSON lacks: "str" writes each Decimal as its text (how the loader reads
# it, exactly); "number" writes it as a JSON number (how an editor such as Taplo sees
# a TOML float). Dates and times become their ISO text in both.
VIEWS = ("str", "number")


def _to_json(value: Any, view: str) -> Any:
    if isinstance(value, dict):
        return {k: _to_json(v, view) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v, view) for v in value]
    if isinstance(value, Decimal):
        return str(value) if view == "str" else float(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    return value


def _parse(path: Path) -> dict:
    text = path.read_bytes().decode("utf-8")
    return tomllib.loads(text.removeprefix("\ufeff"), parse_float=Decimal)


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return _schema()


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}"
            for e in validator.iter_errors(instance)]


_KEY_PART_RE = re.compile(r'\[(\d+)\]|"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_-]+)')


def _loader_key(path: Path, error: str) -> list[str | int] | None:
    """The key path a loader error names ('series[2].conversion.price' -> ['series', 2, 'conversion', 'price'])."""
    m = re.match(r"^(?::\d+)?: (.*?): ", error.removeprefix(str(path)))
    if not m:
        return None
    parts: list[str | int] = []
    for index, quoted, bare in (k.groups() for k in _KEY_PART_RE.finditer(m.group(1))):
        parts.append(int(index) if index is not None else quoted if quoted is not None else bare)
    return parts


def _rejections(validator: Draft202012Validator, path: Path, error: str) -> list[str]:
    """The schema's errors on `path` (in either JSON view) at the key the loader names or a table holding it."""
    key = _loader_key(path, error)
    found = []
    for view in VIEWS:
        for e in validator.iter_errors(_to_json(_parse(path), view)):
            at = list(e.absolute_path)
            if key is None or at == key[: len(at)]:
                found.append(f"{view}: {'/'.join(map(str, at)) or '(top)'}: {e.message[:120]}")
    return found


# ---------------------------------------------------------------- (1) the schema itself


def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _walk(node: Any, pointer: str = "#"):
    """Every (pointer, subschema) in the schema."""
    if isinstance(node, dict):
        yield pointer, node
        for k, v in node.items():
            yield from _walk(v, f"{pointer}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{pointer}/{i}")


def test_every_property_has_title_and_description(schema):
    missing = []
    for pointer, node in _walk(schema):
        if any(part in ("if", "then", "else", "not") for part in pointer.split("/")):
            continue  # conditions restate properties, they do not define them
        for name, sub in node.get("properties", {}).items() if isinstance(node.get("properties"), dict) else ():
            if not (isinstance(sub, dict) and sub.get("title") and sub.get("description")):
                missing.append(f"{pointer}/properties/{name}")
    assert not missing, f"properties without title/description: {missing}"


# ---------------------------------------------------------------- (2) accepted models validate

MODEL_FILES = _model_files()


@pytest.mark.parametrize("path", MODEL_FILES, ids=[_rel(p) for p in MODEL_FILES])
def test_model_the_loader_accepts_validates(path, validator):
    try:
        load_model(path)
    except ModelError as e:
        pytest.skip(f"the loader rejects it ({e})")
    data = _parse(path)
    for view in VIEWS:
        errors = _errors(validator, _to_json(data, view))
        assert not errors, f"{_rel(path)} (Decimals as {view}): " + "; ".join(errors)


# ---------------------------------------------------------------- (3) bad models: schema-level errors rejected

# The files of tests/charters/bad/ whose error a schema cannot catch, decided file by
# file: file name -> (the loader's error, as a regex, and why the schema cannot see it).
# Every other bad model has a schema-level error (unknown key, missing required key,
# wrong type, bad enum or id, a number out of range) and the schema must reject it.
BAD_NOT_SCHEMA_LEVEL = {
    # semantic: relations between values, references, uniqueness, cycles
    "cap_below_preference.toml": (r"below the liquidation preference", "compares the cap with the preference"),
    "class_vote_without_conversion.toml": (r"has no conversion right", "depends on another table (conversion)"),
    "cyclic_seniority.toml": (r"seniority is cyclic", "a cycle through junior_to"),
    "self_junior_tier.toml": (r"cannot be junior to itself", "a cycle through junior_to"),
    "duplicate_series_id.toml": (r"is used twice", "uniqueness of ids across tables"),
    "self_referencing_class_vote.toml": (r"is also a series id", "uniqueness of ids across tables"),
    "series_in_two_tiers.toml": (r"is in two tiers", "uniqueness across tables"),
    "preference_without_tier.toml": (r"is in no tier", "a series missing from every tier"),
    "unknown_series.toml": (r"unknown series id", "a reference to an undeclared series"),
    "option_pool_unknown_series.toml": (r"unknown series id", "a reference to an undeclared series"),
    "outstanding_unknown_series.toml": (r"captable\.outstanding\.\w+: unknown key", "a reference to an undeclared series"),
    "unknown_junior_tier.toml": (r"unknown tier id", "a reference to an undeclared tier"),
    "outstanding_exceeds_designated.toml": (r"exceeds the \d+ shares designated", "compares two values"),
    # the size of a number written as text in p/q or exponent form
    "class_vote_threshold.toml": (r"must be a fraction in \[0, 1\), got \"3/2\"", "a p/q above 1"),
    "huge_exponent.toml": (r"implausibly large", "magnitude of \"1e999999999\""),
    "too_many_decimals.toml": (r"more than \d+ decimal places", "precision of \"1e-999999999\""),
    # not TOML: no JSON to validate
    "bad_date.toml": (r"TOML syntax error", "not TOML"),
    "duplicate_key.toml": (r"TOML syntax error", "not TOML"),
    "duplicate_table.toml": (r"TOML syntax error", "not TOML"),
    "syntax_error.toml": (r"TOML syntax error", "not TOML"),
    "unterminated_string.toml": (r"TOML syntax error", "not TOML"),
}


def _loader_error(path: Path) -> str | None:
    try:
        load_model(str(path))
    except ModelError as e:
        return str(e)
    return None


BAD_FILES = _bad_files()


@pytest.mark.parametrize("path", BAD_FILES, ids=[_rel(p) for p in BAD_FILES])
def test_bad_model_with_schema_level_error_is_rejected(path, validator):
    error = _loader_error(path)
    assert error is not None, "the loader accepts a model in tests/charters/bad/"
    listed = BAD_NOT_SCHEMA_LEVEL.get(path.name)
    if listed is not None:
        # A check that passes, not a skip: the loader rejects the file for the listed reason and
        # the schema (which cannot see that reason) accepts it, or the file is not TOML at all.
        # Mutation that kills it (run): the loader's seniority-cycle check removed
        # (cyclic_seniority.toml is then accepted).
        expected, why = listed
        assert re.search(expected, error), f"listed as {why!r}, but the loader now says: {error}"
        try:
            data = _parse(path)
        except tomllib.TOMLDecodeError:
            assert why == "not TOML", f"{path.name} does not parse as TOML but is listed as {why!r}"
            return
        assert why != "not TOML", f"{path.name} parses as TOML but is listed as not TOML"
        for view in VIEWS:
            errors = _errors(validator, _to_json(data, view))
            assert not errors, (f"the schema now rejects {path.name} ({'; '.join(errors)}): "
                                f"remove it from BAD_NOT_SCHEMA_LEVEL")
        return
    assert _rejections(validator, path, error), (
        f"the schema accepts a model the loader rejects: {error} -- if a schema cannot catch this error, "
        f"list {path.name} in BAD_NOT_SCHEMA_LEVEL in tests/test_schema.py")


@pytest.mark.skipif(not BAD_FILES, reason="no tests/charters/bad/")
def test_bad_not_schema_level_list_names_existing_files():
    names = {p.name for p in BAD_FILES}
    assert set(BAD_NOT_SCHEMA_LEVEL) <= names, sorted(set(BAD_NOT_SCHEMA_LEVEL) - names)


MINIMAL = '''\
[charter]
id = "mini"

[[series]]
id = "A"
designated = 1000
original_issue_price = "1.00"
source = "IV.B"

[series.preference]
source = "IV.B.2"

[series.participation]
kind = "capped"
cap = "3"
source = "IV.B.2(b)"

[series.conversion]
price = "1.00"
source = "IV.B.3"

[[tiers]]
id = "senior"
series = ["A"]
source = "IV.B.2"

[captable]
common_outstanding = 5000
'''

SECOND_SERIES = '''
[[series]]
id = "B"
designated = 500
original_issue_price = "2"
source = "IV.B"
'''

VOTE = '''
[[class_votes]]
id = "vote"
series = ["A"]
threshold = {t}
source = "IV.B.3"
'''

RATCHET = '''
[[ipo_ratchets]]
series = "A"
{body}
source = "IV.B.3(b)"
'''

# (id, old, new, expected verdict); old "" appends `new` to the model.
MUTATIONS = [
    ("unknown-top-key", "[charter]", 'colour = "blue"\n[charter]', "schema"),
    ("unknown-series-key", 'source = "IV.B"\n', 'source = "IV.B"\nsauce = "x"\n', "schema"),
    ("unknown-participation-key", 'cap = "3"', 'cap = "3"\nceiling = "4"', "schema"),
    ("missing-designated", "designated = 1000\n", "", "schema"),
    ("missing-series-source", 'source = "IV.B"\n', "", "schema"),
    ("missing-captable", "[captable]\ncommon_outstanding = 5000\n", "", "schema"),
    ("missing-tier-source", 'series = ["A"]\nsource = "IV.B.2"', 'series = ["A"]', "schema"),
    ("empty-file", MINIMAL, "", "schema"),
    ("designated-text", "designated = 1000", 'designated = "many"', "schema"),
    ("designated-float", "designated = 1000", "designated = 1000.0", "schema"),
    ("designated-zero", "designated = 1000", "designated = 0", "schema"),
    ("price-words", 'original_issue_price = "1.00"', 'original_issue_price = "one dollar"', "schema"),
    ("price-bool", 'original_issue_price = "1.00"', "original_issue_price = true", "schema"),
    ("price-zero", 'price = "1.00"', 'price = "0.00"', "schema"),
    ("price-zero-denominator", 'price = "1.00"', 'price = "1/0"', "schema"),
    ("cash-negative", 'price = "1.00"', 'price = "1.00"\ncash_per_share = "-1"', "schema"),
    ("source-float", 'source = "IV.B"\n', "source = 4.5\n", "schema"),
    ("source-line-break", 'source = "IV.B"\n', 'source = "IV.\\nB"\n', "schema"),
    ("series-not-a-list", "[[series]]", "[series]", "schema"),
    ("bad-participation-kind", 'kind = "capped"', 'kind = "partial"', "schema"),
    ("bad-shortfall", 'series = ["A"]', 'series = ["A"]\nshortfall = "pro_rata"', "schema"),
    ("bad-reading", "", '\n[readings]\ncap_dropout = "never"\n', "schema"),
    ("capped-without-cap", 'cap = "3"\n', "", "schema"),
    ("cap-on-full", 'kind = "capped"', 'kind = "full"', "schema"),
    ("bad-series-id", 'id = "A"', 'id = "A B"', "schema"),
    ("reserved-series-id", 'id = "A"', 'id = "common"', "schema"),
    ("bad-charter-id", 'id = "mini"', 'id = "Mini"', "schema"),
    ("format-2", "[charter]", "format = 2\n[charter]", "schema"),
    ("empty-tier", 'series = ["A"]', "series = []", "schema"),
    ("series-twice-in-tier", 'series = ["A"]', 'series = ["A", "A"]', "schema"),
    ("threshold-number-above-1", "", VOTE.format(t="2"), "schema"),
    ("threshold-decimal-above-1", "", VOTE.format(t='"1.5"'), "schema"),
    ("carve-out-percent-1", "", '\n[scenario]\ncarve_out_percent = "1.0"\n', "schema"),
    ("price-floor-without-floor", "", RATCHET.format(body='kind = "price_floor"'), "schema"),
    ("steps-on-price-floor", "", RATCHET.format(body='kind = "price_floor"\nfloor_price = "2"\n'
                                                    'steps = [{ percent = "0.8" }]'), "schema"),
    ("filed-by-datetime", "", RATCHET.format(body='kind = "discount_by_filing_date"\n'
                                                  'steps = [{ filed_by = 2000-06-30T12:00:00, percent = "0.8" }]'),
     "schema"),
    ("common-outstanding-zero", "common_outstanding = 5000", "common_outstanding = 0", "schema"),
    ("reserved-option-id", "", '\n[[captable.options]]\nid = "carve_out"\ncount = 10\nexercise_price = "0.1"\n',
     "schema"),
    # semantic: the loader rejects them, the schema cannot
    ("unknown-series-in-tier", 'series = ["A"]', 'series = ["A", "Z"]', "semantic"),
    ("cap-below-preference", 'cap = "3"', 'cap = "0.5"', "semantic"),
    ("tier-junior-to-itself", 'series = ["A"]', 'series = ["A"]\njunior_to = ["senior"]', "semantic"),
    ("series-id-twice", "", SECOND_SERIES.replace('"B"', '"A"'), "semantic"),
    ("series-in-no-tier", "", SECOND_SERIES + '\n[series.preference]\nsource = "IV.B.2"\n', "semantic"),
    ("outstanding-above-designated", "", "\n[captable.outstanding]\nA = 2000\n", "semantic"),
    ("outstanding-unknown-series", "", "\n[captable.outstanding]\nZ = 5\n", "semantic"),
    ("threshold-p/q-above-1", "", VOTE.format(t='"3/2"'), "semantic"),
    ("option-id-is-series-id", "", '\n[[captable.options]]\nid = "A"\ncount = 10\nexercise_price = "0.1"\n',
     "semantic"),
]


def test_minimal_model_is_valid(tmp_path, validator):
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    load_model(path)
    for view in VIEWS:
        assert not _errors(validator, _to_json(_parse(path), view))


@pytest.mark.parametrize("old,new,expected", [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_mutated_model(old, new, expected, tmp_path, validator):
    """Schema-level mutations are rejected by loader and schema; semantic ones by the loader only."""
    if old:
        assert old in MINIMAL
        text = MINIMAL.replace(old, new, 1)
    else:
        text = MINIMAL + new
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    error = _loader_error(path)
    assert error is not None, "the loader accepts the mutation"
    assert "TOML syntax error" not in error, error
    if expected == "schema":
        assert _rejections(validator, path, error), f"the schema accepts it; the loader says: {error}"
    else:  # the documented limit: the schema takes it
        for view in VIEWS:
            assert not _errors(validator, _to_json(_parse(path), view)), f"the loader says: {error}"


# ---------------------------------------------------------------- the schema matches the loader

# Loader tables (the value passed to `_table` in model/load.py) -> where the schema states them.
TABLES = {
    "data": ["#"],
    "data['charter']": ["#/properties/charter"],
    "data.get('source', {})": ["#/properties/source"],
    "data[key]": ["#/properties/common", "#/properties/preferred"],
    "sr": ["#/properties/series/items"],
    "sr['preference']": ["#/properties/series/items/properties/preference"],
    "sr['participation']": ["#/properties/series/items/properties/participation"],
    "sr['conversion']": ["#/properties/series/items/properties/conversion"],
    "sr['dividends']": ["#/properties/series/items/properties/dividends"],
    "data['catch_up']": ["#/properties/catch_up"],
    "cr": ["#/properties/common_classes/items"],
    "xr": ["#/properties/redemption/items"],
    "wr": ["#/properties/sale_waiver/items"],
    "tr": ["#/properties/tiers/items"],
    "vr": ["#/properties/class_votes/items"],
    "ar": ["#/properties/automatic_conversion/items"],
    "group": ["#/properties/automatic_conversion/items/properties/vote/oneOf/0",
              "#/properties/automatic_conversion/items/properties/vote/oneOf/1/items"],
    "rr": ["#/properties/ipo_ratchets/items"],
    "st": ["#/properties/ipo_ratchets/items/properties/steps/items"],
    "data.get('readings', {})": ["#/properties/readings"],
    "data['captable']": ["#/properties/captable"],
    "orow": ["#/properties/captable/properties/options/items"],
    "adr": ["#/properties/anti_dilution/items"],
    "exr": ["#/properties/anti_dilution/items/properties/excluded/items"],
    "data.get('scenario', {})": ["#/properties/scenario"],
}


def _resolve(schema: dict, pointer: str) -> dict:
    node = schema
    for part in pointer.split("/")[1:]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _literal_set(node: ast.AST) -> set[str] | None:
    """A set/tuple/list of strings written in model/load.py, or a module constant naming one."""
    if isinstance(node, ast.Name) and isinstance(getattr(loader, node.id, None), (set, frozenset, tuple, list)):
        return set(getattr(loader, node.id))
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None  # computed, e.g. set(by_id)
    return set(value) if isinstance(value, (set, frozenset, tuple, list)) else None


def _loader_calls(name: str) -> list[ast.Call]:
    tree = ast.parse(Path(loader.__file__).read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name]


def test_schema_tables_match_the_loader(schema):
    covered = set()
    for call in _loader_calls("_table"):
        allowed = _literal_set(call.args[3])
        if allowed is None:
            continue  # captable.outstanding / dividends: keys are series ids (propertyNames)
        value = ast.unparse(call.args[2])
        assert value in TABLES, (f"model.py reads a new table ({value}): describe it in the schema and map it "
                                 f"in TABLES in tests/test_schema.py")
        required = _literal_set(call.args[4]) if len(call.args) > 4 else set()
        for pointer in TABLES[value]:
            node = _resolve(schema, pointer)
            covered.add(pointer)
            assert node.get("additionalProperties") is False, pointer
            assert set(node["properties"]) == allowed, f"{pointer}: keys differ from the loader's"
            assert set(node.get("required", ())) == required, f"{pointer}: required keys differ from the loader's"
    closed = {p for p, n in _walk(schema) if n.get("additionalProperties") is False and "properties" in n}
    assert closed <= covered, f"schema tables the loader does not read: {sorted(closed - covered)}"


def test_schema_enums_match_the_loader(schema):
    enums = [set(n["enum"]) for p, n in _walk(schema) if "enum" in n and not p.endswith("/not")]
    for call in _loader_calls("_choice"):
        options = _literal_set(call.args[3])
        if options is None:
            continue  # keys.py's choices (key.allowed): the schema's enum is generated from the same tuple
        assert options in enums, f"loader choice {sorted(options)} has no enum in the schema"
    assert {"none", "full", "capped"} in enums
    assert {"preference", "original_issue_price", "shares"} in enums
    assert {"price_floor", "discount_by_filing_date", "price_reset"} in enums
    from charterverify.model.types import READING_CHOICES

    for name, choices in READING_CHOICES.items():  # every reading's choices, generated from keys.READINGS
        if not isinstance(choices[0], bool):
            assert set(choices) in enums, name


def test_schema_patterns_and_limits_match_the_loader(schema):
    defs = schema["$defs"]
    assert defs["id"]["allOf"][1]["pattern"] == model.ID_RE.pattern
    assert schema["properties"]["charter"]["properties"]["id"]["pattern"] == model.CHARTER_ID_RE.pattern
    assert defs["holder_id"]["allOf"][1]["not"]["enum"] == [model.COMMON, model.CARVE_OUT]
    assert schema["properties"]["series"]["maxItems"] == model.MAX_SERIES
    assert schema["properties"]["captable"]["properties"]["options"]["maxItems"] == model.MAX_OPTION_POOLS
    assert defs["shares"]["anyOf"][0]["maximum"] == model.MAX_SHARES
    assert defs["money"]["anyOf"][1]["maximum"] == model.MAX_AMOUNT


@pytest.mark.parametrize("text,ok", [
    ("1.7909", True), ("17.50", True), ("2/3", True), ("$12,375,000", True), (" 1 / 3 ", True),
    ("1e6", True), ("1E+6", True), ("0E-7", True), ("$1,000.50", True), ("0", True),
    ("-1", False), ("1/0", False), ("abc", False), ("1.2.3", False), ("Infinity", False), ("", False),
])
def test_money_text_matches_the_loader(text, ok, schema):
    """The schema's exact-number text agrees with the loader's reading on these forms."""
    try:
        loader_ok = model.parse_exact(text) >= 0
    except ValueError:
        loader_ok = False
    assert loader_ok == ok
    money = Draft202012Validator({"$ref": "#/$defs/money", "$defs": schema["$defs"]})
    assert money.is_valid(text) == ok


# ---------------------------------------------------------------- (4) shipped with the package


def test_schema_loads_from_the_installed_package(schema):
    res = resources.files("charterverify").joinpath("schema", "charter.schema.json")
    assert res.is_file()
    shipped = json.loads(res.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(shipped)
    assert shipped == schema


def test_schema_is_package_data():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["charterverify"]
    assert any(fnmatch.fnmatch("schema/charter.schema.json", g) for g in globs)
