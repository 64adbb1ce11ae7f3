"""One description of the format (charterverify/model/keys.py) drives the loader, the schema and the docs.

For every table it describes: the committed JSON Schema fragment equals the generated one, the docs'
key table equals the generated one, the loader accepts exactly the described keys (an unknown key is
refused), requires the required ones, and applies the documented defaults. Regenerate with
`python -m charterverify.model.keys --write`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fractions import Fraction as F

from charterverify.model import ModelError, keys, loads_model

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "charterverify" / "schema" / "charter.schema.json").read_text(encoding="utf-8"))
DOCS = (REPO / "docs" / "charter-format.md").read_text(encoding="utf-8")


def test_committed_schema_is_the_generated_one():
    assert keys.generated_schema(SCHEMA) == SCHEMA, "run: python -m charterverify.model.keys --write"


def test_committed_docs_are_the_generated_ones():
    assert keys.documented_tables(DOCS) == {t.path for t in keys.TABLES + keys.NESTED}
    assert keys.generated_docs(DOCS) == DOCS, "run: python -m charterverify.model.keys --write"


def test_every_described_key_is_in_the_docs_and_the_schema():
    for t in keys.TABLES + keys.NESTED:
        block = DOCS.split(f"<!-- keys: {t.path} -->", 1)[1].split("<!-- /keys -->", 1)[0]
        node = SCHEMA
        for part in t.pointer.split("/")[1:]:
            node = node[part]
        if "oneOf" in node:  # a vote: one table, or a list of them
            node = node["oneOf"][0]
        if node.get("type") == "array":
            node = node["items"]
        for k in t.keys:
            assert f"| `{k.name}` |" in block, (t.path, k.name)
            assert k.name in node["properties"], (t.path, k.name)


# A model using every table keys.py describes, each key once (the loader's view of the description).
FULL = '''format = 1
[charter]
id = "keys"
[[series]]
id = "A"
designated = 100
original_issue_price = "1"
source = "x"
[series.preference]
multiple = "2"
greater_of_as_converted = true
source = "x"
[series.dividends]
rate = "0.08"
compounding = "annual"
start = 2020-01-01
cap = "1"
in_preference = true
cumulative = true
source = "x"
[series.participation]
kind = "capped"
cap = "3"
source = "x"
[series.conversion]
price = "1"
cash_per_share = "0"
cash_source = "x"
source = "x"
[[tiers]]
id = "t"
series = ["A"]
shortfall = "shares"
junior_to = []
cap = "150"
source = "x"
[catch_up]
per_share = "1"
source = "x"
[scenario]
transaction_costs = "1"
carve_out = "1"
carve_out_percent = "0.1"
date = 2021-01-01
source = "x"
note = "x"
[readings]
cap_dropout = "first_cap_ends"
cash_on_conversion = "after_preferences"
votes_in_sale = true
valuation = "post_money"
undeclared_dividends = "accrued"
offering_size = "exceeding"
note = "x"
[[class_votes]]
id = "AV"
series = ["A"]
threshold = "1/2"
strict = true
source = "x"
[[automatic_conversion]]
id = "qpo"
series = ["A"]
min_price_per_share = "2"
min_price_multiple = "1"
min_aggregate = "1000"
min_valuation = "5000"
strict = false
proceeds = "net"
offering_costs = "0.07"
direct_listing = false
company_option = false
vote = { series = ["A"], threshold = "1/2", strict = true, separately = false }
source = "x"
note = "x"
[[ipo_ratchets]]
series = "A"
kind = "price_reset"
percent = "0.8"
below_price = "10"
source = "x"
note = "x"
[[anti_dilution]]
id = "ad"
series = ["A"]
kind = "broad_based_weighted_average"
counts = ["common", "preferred"]
rounding = "nearest_cent"
minimum_adjustment = "0.01"
carry_forward = true
no_increase = true
minimum_source = "x"
splits_source = "x"
source = "x"
note = "x"
[[anti_dilution.excluded]]
id = "pool"
description = "x"
cap_shares = 10
source = "x"
[captable]
assumption = true
common_outstanding = 100
note = "x"
[captable.outstanding]
A = 100
[captable.dividends]
A = "0"
[[captable.options]]
id = "pool"
count = 10
exercise_price = "0.5"
buys = "common"
source = "x"
[[common_classes]]
id = "class_a"
name = "Class A Common Stock"
outstanding = 60
source = "x"
[[common_classes]]
id = "class_b"
outstanding = 40
source = "x"
[[redemption]]
id = "put"
series = ["A"]
by = "holders"
after = 2025-01-01
price_per_share = "1"
plus_dividends = false
instalments = 3
vote = "2/3"
source = "x"
[[sale_waiver]]
id = "w"
series = ["A"]
threshold = "2/3"
source = "x"
'''

# each table's first line in FULL, to insert a key after it or delete one of its lines
HEADERS = {"series.preference": "[series.preference]\n", "series.participation": "[series.participation]\n",
           "series.conversion": "[series.conversion]\n", "series.dividends": "[series.dividends]\n",
           "tiers[]": "[[tiers]]\n", "catch_up": "[catch_up]\n", "scenario": "[scenario]\n",
           "common_classes[]": "[[common_classes]]\n", "redemption[]": "[[redemption]]\n",
           "sale_waiver[]": "[[sale_waiver]]\n", "readings": "[readings]\n", "class_votes[]": "[[class_votes]]\n",
           "automatic_conversion[]": "[[automatic_conversion]]\n", "ipo_ratchets[]": "[[ipo_ratchets]]\n",
           "anti_dilution[]": "[[anti_dilution]]\n", "captable": "[captable]\n"}


ALTERNATIVES = {"series.preference": {"per_share"}, "series.dividends": {"per_share"},
                # one kind of ratchet at a time (price_reset written: percent, below_price)
                "ipo_ratchets[]": {"floor_price", "steps"},
                # written as tables of their own below the section
                "captable": {"outstanding", "dividends", "options"}, "anti_dilution[]": {"excluded"}}


def _section(text: str, t: keys.Table) -> tuple[int, int]:
    start = text.index(HEADERS[t.path]) + len(HEADERS[t.path])
    end = text.find("\n[", start)
    return start, end


def test_the_full_model_uses_every_key():
    m = loads_model(FULL, "<keys>")
    assert m.catch_up is not None and m.tiers[0].cap == 150 and m.scenario.date is not None
    assert m.class_votes[0].strict and m.automatic_conversions[0].proceeds == "net"
    assert m.ipo_ratchets[0].kind == "price_reset" and m.anti_dilution[0].exclusions[0].cap_shares == 10
    assert m.captable.options[0].count == 10 and m.captable.outstanding["A"] == 100
    for t in keys.TABLES:
        a, b = _section(FULL, t)
        written = {line.split(" = ")[0] for line in FULL[a:b].splitlines()}
        # per_share is the alternative of multiple (preference) and of rate (dividends): one of each pair
        assert written | ALTERNATIVES.get(t.path, set()) == set(t.names), t.path


@pytest.mark.parametrize("table", keys.TABLES, ids=lambda t: t.path)
def test_loader_refuses_an_unknown_key(table):
    a, _ = _section(FULL, table)
    with pytest.raises(ModelError, match="unknown key"):
        loads_model(FULL[:a] + 'bogus_key = "1"\n' + FULL[a:], "<keys>")


@pytest.mark.parametrize("table, key", [(t, k) for t in keys.TABLES for k in t.keys if k.required],
                         ids=lambda x: getattr(x, "path", None) or getattr(x, "name", None))
def test_loader_requires_the_required_keys(table, key):
    a, b = _section(FULL, table)
    lines = [ln for ln in FULL[a:b].splitlines() if ln.split(" = ")[0] != key.name]
    with pytest.raises(ModelError, match="missing"):
        loads_model(FULL[:a] + "\n".join(lines) + FULL[b:], "<keys>")


def test_documented_defaults_are_the_loaders():
    text = FULL.replace('compounding = "annual"\n', "").replace("in_preference = true\n", "") \
        .replace('shortfall = "shares"\n', "").replace("greater_of_as_converted = true\n", "") \
        .replace('cash_per_share = "0"\n', "").replace("cumulative = true\n", "")
    text = text[:text.index("[readings]\n")] + text[text.index("[captable]\n"):]
    m = loads_model(text, "<keys>")
    s = m.series[0]
    assert s.dividend.cumulative is keys.DIVIDENDS["cumulative"].default is True
    for name in ("cap_dropout", "cash_on_conversion", "votes_in_sale", "valuation", "undeclared_dividends",
                 "offering_size"):  # every reading: the documented default is the loader's (the first choice)
        assert getattr(m.readings, name) == keys.READINGS[name].default, name
    assert s.dividend.compounding == keys.DIVIDENDS["compounding"].default == "simple"
    assert s.dividend.in_preference is keys.DIVIDENDS["in_preference"].default is True
    assert m.tiers[0].shortfall == keys.TIER["shortfall"].default == "preference"
    assert s.preference.greater_of_as_converted is keys.PREFERENCE["greater_of_as_converted"].default is False
    assert s.conversion.cash_per_share == F(keys.CONVERSION["cash_per_share"].default) == 0


def test_every_key_the_loader_accepts_is_documented():
    """Every key of every table the loader reads (its `_table` calls, keys.py's tables included) is written
    in docs/charter-format.md, as `key = ...` in an example or as a row of a generated key table."""
    import ast

    from charterverify.model import load as loader

    tree = ast.parse(Path(loader.__file__).read_text(encoding="utf-8"))
    keys_seen: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_table" and len(n.args) > 3:
            arg = n.args[3]
            if isinstance(arg, ast.Name) and isinstance(getattr(loader, arg.id, None), (set, frozenset, tuple)):
                keys_seen |= set(getattr(loader, arg.id))
            else:
                try:
                    keys_seen |= set(ast.literal_eval(arg))
                except ValueError:
                    pass  # computed: series ids (captable.outstanding / dividends)
    assert len(keys_seen) > 60
    missing = sorted(k for k in keys_seen
                     if f"\n{k} = " not in DOCS and f"| `{k}` |" not in DOCS and f"{k} = " not in DOCS
                     and f"[{k}]" not in DOCS and f"[[{k}]]" not in DOCS and f"[series.{k}]" not in DOCS
                     and f"[captable.{k}]" not in DOCS and f"[[captable.{k}]]" not in DOCS)
    assert missing == [], f"keys the loader accepts but docs/charter-format.md never writes: {missing}"


def test_the_full_model_takes_every_reading_as_written():
    r = loads_model(FULL, "<keys>").readings
    assert (r.cap_dropout, r.cash_on_conversion, r.votes_in_sale, r.valuation, r.undeclared_dividends,
            r.offering_size) == ("first_cap_ends", "after_preferences", True, "post_money", "accrued", "exceeding")


def test_non_cumulative_dividends_need_no_start_and_cumulative_ones_do():
    no_start = FULL.replace("start = 2020-01-01\n", "")
    with pytest.raises(ModelError, match="missing start"):
        loads_model(no_start, "<keys>")
    m = loads_model(no_start.replace("cumulative = true", "cumulative = false"), "<keys>")
    assert m.series[0].dividend.cumulative is False and m.series[0].dividend.start is None
    # the schema says the same: start is required unless cumulative is false
    d = SCHEMA["properties"]["series"]["items"]["properties"]["dividends"]
    assert d["if"] == {"properties": {"cumulative": {"const": False}}, "required": ["cumulative"]}
    assert d["else"] == {"required": ["start"]}


def test_documented_defaults_of_votes_offerings_ratchets_captable_and_anti_dilution():
    """The tables moved into keys.py (issue 13 §4): what the loader takes for an absent key is the documented
    default."""
    text = FULL
    for line in ('strict = true\n', 'strict = false\n', 'proceeds = "net"\n', 'offering_costs = "0.07"\n',
                 'direct_listing = false\n', 'company_option = false\n', 'kind = "broad_based_weighted_average"\n',
                 'rounding = "nearest_cent"\n', 'carry_forward = true\n', 'no_increase = true\n', 'assumption = true\n',
                 'buys = "common"\n'):
        assert line in text, line
        text = text.replace(line, "")
    text = text.replace(", strict = true, separately = false }", " }")
    text = text.replace('exercise_price = "0.5"\nsource = "x"\n', 'exercise_price = "0.5"\n')
    m = loads_model(text, "<keys>")
    a, v, ad, pool = m.automatic_conversions[0], m.automatic_conversions[0].vote_groups[0], m.anti_dilution[0], \
        m.captable.options[0]
    assert m.class_votes[0].strict is keys.CLASS_VOTE["strict"].default is True
    assert a.strict is keys.AUTOMATIC_CONVERSION["strict"].default is False
    assert a.proceeds == keys.AUTOMATIC_CONVERSION["proceeds"].default == "gross"
    assert a.direct_listing is a.company_option is keys.AUTOMATIC_CONVERSION["direct_listing"].default is False
    assert v.strict is keys.VOTE_GROUP["strict"].default is True
    assert v.separately is keys.VOTE_GROUP["separately"].default is False
    assert ad.kind == keys.ANTI_DILUTION["kind"].default and ad.rounding == keys.ANTI_DILUTION["rounding"].default
    assert ad.carry_forward is ad.no_increase is keys.ANTI_DILUTION["carry_forward"].default is False
    assert m.captable.assumption is keys.CAPTABLE["assumption"].default is True
    assert pool.buys == keys.OPTION_POOL["buys"].default and pool.source == keys.OPTION_POOL["source"].default


@pytest.mark.parametrize("table", ["redemption[]", "sale_waiver[]", "tiers[]", "class_votes[]", "anti_dilution[]"])
def test_a_series_listed_twice_is_refused_as_the_schema_says(table):
    """One check of a series list (model/load.py `_series_list`) wherever the schema says uniqueItems; the
    redemption and waiver lists took a repeated series before."""
    t = next(t for t in keys.TABLES if t.path == table)
    assert ("uniqueItems", True) in t["series"].extra
    a, b = _section(FULL, t)
    section = FULL[a:b].replace('series = ["A"]', 'series = ["A", "A"]')
    with pytest.raises(ModelError, match=r"series\[1\].*listed twice"):
        loads_model(FULL[:a] + section + FULL[b:], "<keys>")
