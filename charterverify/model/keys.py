"""One description of the format's tables: keys, types, required keys, defaults, choices, one doc line.

The loader takes its key sets, required keys, defaults and choices from here; the JSON Schema
fragments of these tables (charterverify/schema/charter.schema.json) and the key tables of
docs/charter-format.md are generated from it:

    python -m charterverify.model.keys --write     # rewrite the schema fragments and the docs tables

and tests/test_keys.py asserts that the committed schema and docs equal what this module generates and
that every key the loader accepts in these tables is documented. Every table with keys of its own is here
(`TABLES`, and `NESTED` for the tables written inside another: a vote, ratchet steps, option pools,
anti-dilution carve-outs); the top level and the small [charter], [source], [common] / [preferred] and
[[series]] tables are still described by hand in the schema.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .types import (ANTI_DILUTION_COUNTS, ANTI_DILUTION_KINDS, ANTI_DILUTION_ROUNDING, DIVIDEND_COMPOUNDING,
                    MAX_OPTION_POOLS, OFFERING_PROCEEDS, PARTICIPATION_KINDS, RATCHET_KINDS, READING_CHOICES,
                    SHORTFALL_BASES)

# value kinds -> the JSON Schema of a value ($defs of the schema) and the words the docs use
KINDS: dict[str, tuple[dict, str]] = {
    "money": ({"$ref": "#/$defs/money"}, "exact amount"),
    "positive_money": ({"$ref": "#/$defs/positive_money"}, "exact amount > 0"),
    "fraction": ({"$ref": "#/$defs/fraction"}, "fraction in [0, 1)"),
    "date": ({"$ref": "#/$defs/date"}, "date"),
    "text": ({"$ref": "#/$defs/text"}, "text"),
    "free_text": ({}, "text"),
    "id": ({"$ref": "#/$defs/id"}, "id"),
    "bool": ({"type": "boolean"}, "true / false"),
    "enum": ({}, "one of"),
    "ids": ({"type": "array", "items": {"$ref": "#/$defs/id"}}, "list of ids"),
    "shares": ({"$ref": "#/$defs/shares"}, "whole number of shares"),
    "holder_id": ({"$ref": "#/$defs/holder_id"}, "id (not a series id)"),
    "enums": ({"type": "array"}, "list of"),  # items: one of `allowed`
    "map": ({"type": "object", "propertyNames": {"$ref": "#/$defs/id"}}, "table by series id"),  # values: `items`
    "tables": ({"type": "array"}, "list of tables"),  # items: the `nested` table
    "vote": ({}, "table, or list of tables"),  # the `nested` table, or a list of them that must all approve
}


@dataclass(frozen=True)
class Key:
    name: str
    kind: str
    title: str
    doc: str
    required: bool = False
    default: Any = None  # shown in the docs; None: no default (optional keys: absent)
    allowed: tuple[str, ...] = ()  # kind "enum"
    extra: tuple[tuple[str, Any], ...] = ()  # further schema constraints (minItems...)
    items: tuple[tuple[str, Any], ...] = ()  # kind "ids": title and description of an item; "map": of a value
    nested: Any = None  # kinds "tables" and "vote": the Table of an item

    def schema(self) -> dict:
        base, _ = KINDS[self.kind]
        out: dict = {"title": self.title, "description": self.doc}
        out.update(json.loads(json.dumps(base)))
        if self.kind == "enum":
            out["enum"] = list(self.allowed)
        elif self.kind == "enums":
            out["items"] = {"enum": list(self.allowed)}
        elif self.kind == "map":
            out["additionalProperties"] = dict(self.items)
        elif self.kind == "tables":
            out["items"] = self.nested.object_schema()
        elif self.kind == "vote":
            one = self.nested.object_schema()
            out["oneOf"] = [one, {"type": "array", "title": self.nested.array[0], "description": self.nested.array[1],
                                  "items": one, "minItems": 1}]
        if self.items and self.kind != "map":
            out["items"] = {**dict(self.items), **out["items"]}
        out.update(dict(self.extra))
        return out


@dataclass(frozen=True)
class Table:
    path: str  # as the docs and error messages name it: "series.dividends", "tiers[]"
    pointer: str  # where the schema states the table
    title: str
    doc: str
    keys: tuple[Key, ...]
    array: tuple[str, str] | None = None  # an array of such tables: the array's title and description
    extra: tuple[tuple[str, Any], ...] = ()  # further schema of the table (conditional requirements)
    array_extra: tuple[tuple[str, Any], ...] = ()  # further schema of the array (maxItems)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(k.name for k in self.keys)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys if k.required)

    def __getitem__(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    def object_schema(self) -> dict:
        """The schema of one such table."""
        out: dict = {"title": self.title, "description": self.doc, "type": "object", "additionalProperties": False,
                     "properties": {k.name: k.schema() for k in self.keys}}
        if self.required:
            out["required"] = list(self.required)
        out.update(json.loads(json.dumps(dict(self.extra))))
        return out

    def schema(self) -> dict:
        out = self.object_schema()
        if self.array is not None:
            return {"title": self.array[0], "description": self.array[1], "type": "array", "items": out,
                    **json.loads(json.dumps(dict(self.array_extra)))}
        return out

    def markdown(self) -> str:
        rows = ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
        for k in self.keys:
            kind = KINDS[k.kind][1]
            if k.kind in ("enum", "enums"):
                kind = ("list of " if k.kind == "enums" else "") + " \\| ".join(f'`"{a}"`' for a in k.allowed)
            if k.nested is not None:
                kind += f" (`{k.nested.path}`)"
            default = "" if k.default is None else f"`{_toml(k.default)}`"
            rows.append(f"| `{k.name}` | {kind} | {'yes' if k.required else ''} | {default} | {k.doc} |")
        return "\n".join(rows)


def _toml(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    return str(v)


SOURCE = "the clause it encodes, e.g. \"IV.B.2(a)\"."

PREFERENCE = Table(
    "series.preference", "#/properties/series/items/properties/preference",
    "Liquidation preference", "The series' liquidation preference; omit the table for none.",
    (
        Key("per_share", "money", "Preference per share",
            "Preference amount per share; defaults to original_issue_price."),
        Key("multiple", "positive_money", "Preference multiple",
            "The preference stated as a multiple of the original issue price (\"2\" for 2x); instead of per_share."),
        Key("greater_of_as_converted", "bool", "Greater of the preference and as converted",
            "true: each share is paid the greater of the preference (with dividends) and the amount it would get "
            "had every preferred share converted (NVCA 2.1); the series needs a conversion price and no "
            "participation.", default=False),
        Key("source", "text", "Clause", "The clause stating the preference, e.g. \"IV.B.2(a)(v)\".", required=True),
    ),
)

DIVIDENDS = Table(
    "series.dividends", "#/properties/series/items/properties/dividends",
    "Accruing dividends",
    "Cumulative or accruing dividends, added to the preference as of the exit date (scenario.date or --date).",
    (
        Key("rate", "positive_money", "Rate",
            "Annual rate as a fraction of the original issue price (\"0.08\" for 8%); or per_share."),
        Key("per_share", "positive_money", "Dollars per share per year", "Annual dollars per share; or rate."),
        Key("compounding", "enum", "Compounding",
            "\"simple\", or compounded at the end of each whole period counted in calendar months from start "
            "(annual 12, semiannual 6, quarterly 3, monthly 1); a partial period accrues simply, actual days "
            "elapsed over the actual days of that period.", default="simple", allowed=DIVIDEND_COMPOUNDING),
        Key("start", "date", "Start",
            "The date dividends begin to accrue (the original issue date); required unless cumulative = false."),
        Key("cap", "money", "Cap per share", "At most this much accrues per share in all."),
        Key("in_preference", "bool", "In the preference",
            "true: the accrued amount is added to the liquidation preference; false: shown only.", default=True),
        Key("cumulative", "bool", "Cumulative",
            "false: non-cumulative dividends at the stated rate, payable only when declared; in_preference then "
            "says the preference adds \"undeclared but unpaid\" dividends, read by the reading "
            "undeclared_dividends as nothing (\"none\") or as the rate accrued from start (\"accrued\").",
            default=True),
        Key("source", "text", "Clause", "The dividend clause, e.g. \"IV.B.1\".", required=True),
    ),
    extra=(("if", {"properties": {"cumulative": {"const": False}}, "required": ["cumulative"]}),
           ("else", {"required": ["start"]})),
)

TIER = Table(
    "tiers[]", "#/properties/tiers/items",
    "Seniority tier",
    "One seniority tier (most senior first unless `junior_to` says otherwise); its series are pari passu.",
    (
        Key("id", "id", "Tier id", "Unique tier id, e.g. \"senior\".", required=True),
        Key("series", "ids", "Series", "Ids of the series in this tier (at least one; each series in one tier only).",
            required=True, extra=(("minItems", 1), ("uniqueItems", True)),
            items=(("title", "Series id"), ("description", "Id of a series in this tier."))),
        Key("shortfall", "enum", "Shortfall basis",
            "How a shortfall inside the tier is shared: \"preference\" (default): in proportion to full "
            "preferential amounts; \"original_issue_price\": to OIP x shares; \"shares\": to shares held.",
            default="preference", allowed=SHORTFALL_BASES),
        Key("source", "text", "Clause", "The clause stating the ranking, e.g. \"IV.B.2(a)\".", required=True),
        Key("junior_to", "ids", "Junior to",
            "Optional ids of tiers this tier ranks below (overrides list order; no cycles).",
            items=(("title", "Tier id"), ("description", "Id of a more senior tier."))),
        Key("cap", "positive_money", "Aggregate cap",
            "The tier's preferences pay at most this much in all, shared by the shortfall basis when it binds."),
    ),
)

CATCH_UP = Table(
    "catch_up", "#/properties/catch_up",
    "Catch-up to common",
    "After the preferences, the common (converted preferred included, as converted) first receives this much "
    "per common share before the participating preferred share in the rest.",
    (
        Key("per_share", "positive_money", "Per common share", "The catch-up per common share.", required=True),
        Key("source", "text", "Clause", "The clause stating the catch-up.", required=True),
    ),
)

SCENARIO = Table(
    "scenario", "#/properties/scenario",
    "Scenario", "Costs taken out of a sale before the distribution, and the exit date.",
    (
        Key("transaction_costs", "money", "Transaction costs", "Paid first, out of the exit value.", default="0"),
        Key("carve_out", "money", "Carve-out", "Management carve-out: a fixed amount.", default="0"),
        Key("carve_out_percent", "fraction", "Carve-out percent",
            "Plus this fraction (below 1) of the proceeds after costs, e.g. \"0.10\".", default="0"),
        Key("date", "date", "Exit date",
            "The date of the exit: accruing dividends are added to the preferences as of it (--date overrides)."),
        Key("source", "free_text", "Clause",
            "Where the scenario comes from, e.g. \"assumption\". Free text shown to readers; the loader does not "
            "check its value."),
        Key("note", "free_text", "Note", "Free text shown to readers; the loader does not check its value."),
    ),
)

COMMON_CLASS = Table(
    "common_classes[]", "#/properties/common_classes",
    "Class of common stock",
    "A class of common with the same economics as the others (Class A, Class B): the waterfall pays the common "
    "as one and each class is shown with its shares' part.",
    (
        Key("id", "id", "Class id", "Names the class in payouts (unique; not a series, pool or vote id).",
            required=True),
        Key("name", "free_text", "Name", "e.g. \"Class A Common Stock\"; defaults to the id."),
        Key("outstanding", "shares", "Outstanding", "Shares of the class outstanding; the classes add up to "
            "captable.common_outstanding.", required=True),
        Key("source", "text", "Clause", "The clause creating the class, e.g. \"IV.A\".", required=True),
    ),
    array=("Classes of common", "[[common_classes]]: two or more classes of common with the same economics "
           "(optional)."),
)

REDEMPTION = Table(
    "redemption[]", "#/properties/redemption",
    "Redemption right",
    "Who may require the redemption of some series, from when, at what price, in how many instalments.",
    (
        Key("id", "id", "Id", "Names the right in findings (unique).", required=True),
        Key("series", "ids", "Series", "The series that may be redeemed.", required=True,
            extra=(("minItems", 1), ("uniqueItems", True)),
            items=(("title", "Series id"), ("description", "Id of a redeemable series."))),
        Key("by", "enum", "Who may require it",
            "\"holders\": the holders may require it; \"company\": at the company's option.",
            default="holders", allowed=("holders", "company")),
        Key("after", "date", "On or after", "The right may be exercised on or after this date."),
        Key("price_per_share", "money", "Price per share", "The redemption price; defaults to the original issue price."),
        Key("plus_dividends", "bool", "Plus dividends",
            "true: plus dividends declared but unpaid and accrued to the date.", default=True),
        Key("instalments", "shares", "Instalments",
            "Paid in this many equal annual instalments, the first on the date it is required.", default=1),
        Key("vote", "fraction", "Requested by",
            "The holders of at least this part of the listed series, voting together, must request it "
            "(e.g. \"2/3\"); shown, not modelled as a game move."),
        Key("source", "text", "Clause", "The redemption clause, e.g. \"FOURTH.B.3\".", required=True),
    ),
    array=("Redemption rights", "[[redemption]]: redemption rights (optional); `verify --redeem DATE` pays them "
           "before the waterfall."),
)

SALE_WAIVER = Table(
    "sale_waiver[]", "#/properties/sale_waiver",
    "Deemed-liquidation waiver",
    "A vote that can determine that a sale is not a liquidation (the preferences then do not apply to it).",
    (
        Key("id", "id", "Id", "Names the waiver in findings (unique).", required=True),
        Key("series", "ids", "Series voting", "The series voting together.", required=True,
            extra=(("minItems", 1), ("uniqueItems", True)),
            items=(("title", "Series id"), ("description", "Id of a voting series."))),
        Key("threshold", "fraction", "Threshold", "The part of their shares needed, e.g. \"2/3\".", required=True),
        Key("source", "text", "Clause", "The clause, e.g. \"FOURTH.B.2(a)(i)\".", required=True),
    ),
    array=("Deemed-liquidation waivers", "[[sale_waiver]]: votes that can determine that a sale is not a "
           "liquidation (optional; shown, the payouts assume the sale is one)."),
)

PARTICIPATION = Table(
    "series.participation", "#/properties/series/items/properties/participation",
    "Participation", "Participation after the preferences; omit the table for non-participating.",
    (
        Key("kind", "enum", "Kind",
            "\"none\": non-participating; \"full\": participates without limit; \"capped\": participates up "
            "to `cap`.", required=True, allowed=PARTICIPATION_KINDS),
        Key("cap", "positive_money", "Cap per share",
            "Capped only (required then): total per share INCLUDING the preference; the loader also requires it "
            "to be at least the preference."),
        Key("source", "text", "Clause", "The clause stating participation, e.g. \"IV.B.2(b)\".", required=True),
    ),
    extra=(("allOf", [
        {"if": {"properties": {"kind": {"const": "capped"}}, "required": ["kind"]}, "then": {"required": ["cap"]}},
        {"if": {"properties": {"kind": {"enum": ["none", "full"]}}, "required": ["kind"]},
         "then": {"not": {"required": ["cap"]}}},
    ]),),
)

CONVERSION = Table(
    "series.conversion", "#/properties/series/items/properties/conversion",
    "Conversion", "The holder's conversion right; omit the table if the series does not convert.",
    (
        Key("price", "positive_money", "Conversion price",
            "Conversion price (> 0); ratio = original_issue_price / price.", required=True),
        Key("source", "text", "Clause", "The clause stating the conversion right, e.g. \"IV.B.3(a)\".",
            required=True),
        Key("cash_per_share", "money", "Cash per share", "Optional cash paid per share on conversion (default 0).",
            default="0"),
        Key("cash_source", "text", "Cash clause", "The clause stating the cash on conversion."),
    ),
)

READINGS = Table(
    "readings", "#/properties/readings",
    "Readings", "How ambiguous charter text is read: each key a named reading (`--reading KEY=VALUE` takes another).",
    (
        Key("cap_dropout", "enum", "Cap dropout",
            "\"own_cap\" (default): each capped series stops at its own cap and the others keep participating; "
            "\"first_cap_ends\": participation of all preferred ends when the first capped series reaches its cap.",
            default="own_cap", allowed=READING_CHOICES["cap_dropout"]),
        Key("cash_on_conversion", "enum", "Cash on conversion",
            "\"before_preferences\" (default): cash on conversion is paid before the distribution; "
            "\"after_preferences\": after all preferences, before common.",
            default="before_preferences", allowed=READING_CHOICES["cash_on_conversion"]),
        Key("votes_in_sale", "bool", "Votes in a sale",
            "false (default): a conversion vote acts only in an offering; true: a coalition of series that carries "
            "it and gains forces conversion before a sale.", default=False),
        Key("valuation", "enum", "Valuation",
            "\"pre_money\" (default): an offering's valuation test is met by the value before the offering; "
            "\"post_money\": the raise counts too.", default="pre_money", allowed=READING_CHOICES["valuation"]),
        Key("undeclared_dividends", "enum", "Undeclared dividends",
            "A preference that adds \"undeclared but unpaid\" dividends to non-cumulative ones (series.dividends "
            "with cumulative = false): \"none\" (default): nothing is unpaid until declared; \"accrued\": the "
            "stated rate accrues from series.dividends.start into the preference.",
            default="none", allowed=READING_CHOICES["undeclared_dividends"]),
        Key("offering_size", "enum", "Offering size test",
            "An offering's size test (min_aggregate): \"at_least\" (default): \"at least\" / \"not less than\" "
            "the amount; \"exceeding\": \"exceed\" / \"more than\" it (an offering of exactly the amount "
            "does not convert).", default="at_least", allowed=READING_CHOICES["offering_size"]),
        Key("note", "text", "Note", "Why this reading."),
    ),
)

THRESHOLD_DOC = "Fraction of the group's outstanding shares, in [0, 1), e.g. \"1/2\"."
STRICT_DOC = "true (default): more than the threshold (\"a majority\"); false: at least the threshold."

CLASS_VOTE = Table(
    "class_votes[]", "#/properties/class_votes",
    "Class vote", "Series that convert only together, on a vote of the group.",
    (
        Key("id", "holder_id", "Vote id", "Unique id of the group; not a series id.", required=True),
        Key("series", "ids", "Series",
            "Ids of the series in the group (at least one, each once, each with a conversion right and in one class "
            "vote only).", required=True, extra=(("minItems", 1), ("uniqueItems", True)),
            items=(("title", "Series id"), ("description", "Id of a member series."))),
        Key("threshold", "fraction", "Threshold", THRESHOLD_DOC, required=True),
        Key("strict", "bool", "Strict", STRICT_DOC, default=True),
        Key("source", "text", "Clause", "The clause stating the class vote, e.g. \"IV.B.3(a)\".", required=True),
    ),
    array=("Class votes", "[[class_votes]]: groups of series that convert only together."),
)

VOTE_GROUP = Table(
    "automatic_conversion[].vote", "#/properties/automatic_conversion/items/properties/vote",
    "Vote class", "One class whose vote converts: a threshold of these series' outstanding shares.",
    (
        Key("series", "ids", "Series", "Ids of the voting series (at least one).", required=True,
            extra=(("minItems", 1),), items=(("title", "Series id"), ("description", "Id of a voting series."))),
        Key("threshold", "fraction", "Threshold", THRESHOLD_DOC, required=True),
        Key("strict", "bool", "Strict", STRICT_DOC, default=True),
        Key("separately", "bool", "Separately",
            "true: each listed series votes as its own class and each must carry the threshold; false (default): "
            "the series vote together.", default=False),
    ),
    array=("Vote classes", "Every class whose approval the conversion needs."),
)

AUTOMATIC_CONVERSION = Table(
    "automatic_conversion[]", "#/properties/automatic_conversion",
    "Automatic conversion",
    "Automatic conversion on a public offering (used by --ipo; not in a sale). All given thresholds must be met.",
    (
        Key("id", "id", "Id", "Unique id, e.g. \"qpo\".", required=True),
        Key("series", "ids", "Series", "Ids of the series that convert (at least one).", required=True,
            extra=(("minItems", 1),), items=(("title", "Series id"), ("description", "Id of a converting series."))),
        Key("min_price_per_share", "money", "Minimum price per share", "Optional minimum offering price per share."),
        Key("min_price_multiple", "money", "Minimum price multiple",
            "Optional: the offering price must be at least this multiple of each listed series' own conversion "
            "price (Juniper: \"three times the Series A Conversion Price\")."),
        Key("min_aggregate", "money", "Minimum aggregate",
            "Optional minimum aggregate offering proceeds (\"at least\"; \"exceeding\" under the reading "
            "offering_size)."),
        Key("min_valuation", "money", "Minimum valuation",
            "Optional minimum valuation: pre- or post-money by the reading valuation."),
        Key("strict", "bool", "Exceeding",
            "true: each test needs more than its threshold (\"exceeding\", \"in excess of\"); false (default): at "
            "least the threshold.", default=False),
        Key("proceeds", "enum", "Proceeds measured",
            "\"gross\" (default): min_aggregate is tested on the gross raise; \"net\": on the raise less "
            "offering_costs.", default="gross", allowed=OFFERING_PROCEEDS),
        Key("offering_costs", "fraction", "Offering costs",
            "With proceeds = \"net\" (required then): the underwriting discount and expenses assumed, as a fraction "
            "of the gross (e.g. \"0.07\")."),
        Key("direct_listing", "bool", "Direct listing",
            "true: a listing on an exchange without a raise (a direct listing) also triggers it; the aggregate test "
            "does not apply to it.", default=False),
        Key("company_option", "bool", "At the company's option",
            "true: the offering lets the company convert (rather than converting automatically); the results assume "
            "it does and say so.", default=False),
        Key("vote", "vote", "Vote",
            "Optional alternative trigger: a vote of the preferred (one class, or an array of classes that must all "
            "approve, e.g. a majority of all preferred and 66 2/3% of one series). Also a move before a sale under "
            "the reading votes_in_sale.", nested=VOTE_GROUP),
        Key("source", "text", "Clause", "The clause stating the automatic conversion, e.g. \"IV.B.3(b)(i)\".",
            required=True),
        Key("note", "free_text", "Note", "Free text shown to readers; the loader does not check its value."),
    ),
    array=("Automatic conversion", "[[automatic_conversion]]: conversion on a public offering (used by --ipo)."),
)

RATCHET_STEP = Table(
    "ipo_ratchets[].steps[]", "#/properties/ipo_ratchets/items/properties/steps/items",
    "Step",
    "One step: the percent that applies when the registration is filed by `filed_by` (or within "
    "`filed_within_days` / `filed_within_months`); omit them for the last step.",
    (
        Key("filed_by", "date", "Filed by", "The filing date this step applies up to, e.g. 2000-06-30."),
        Key("filed_within_days", "shares", "Filed within days",
            "The step applies if the registration is filed within this many days of the series' original issue "
            "date (> 0)."),
        Key("filed_within_months", "shares", "Filed within months",
            "The step applies if the registration is filed within this many months of the series' original issue "
            "date (> 0)."),
        Key("percent", "positive_money", "Percent", "Fraction of the IPO price (> 0), e.g. \"0.85\".", required=True),
    ),
)


def _kind_only(kind: str, needs: str, others: tuple[str, ...]) -> dict:
    return {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"required": [needs], "not": {"anyOf": [{"required": [o]} for o in others]}}}


IPO_RATCHET = Table(
    "ipo_ratchets[]", "#/properties/ipo_ratchets",
    "IPO ratchet",
    "An IPO ratchet of one series (at most one per series). \"price_floor\" needs `floor_price`; "
    "\"discount_by_filing_date\" needs `steps`.",
    (
        Key("series", "id", "Series id", "The series the ratchet applies to.", required=True),
        Key("kind", "enum", "Kind",
            "\"price_floor\": ratio = max(OIP / CP, floor_price / ipo_price); \"discount_by_filing_date\": CP = "
            "percent x IPO price, by when the registration is filed. \"price_reset\": the conversion price becomes "
            "percent x the IPO price where that is lower (when the IPO price is below below_price, if given).",
            required=True, allowed=RATCHET_KINDS),
        Key("floor_price", "positive_money", "Floor price", "price_floor only (required then): the floor price."),
        Key("steps", "tables", "Steps",
            "discount_by_filing_date only (required then, at least one): percent of the IPO price by filing date.",
            extra=(("minItems", 1),), nested=RATCHET_STEP),
        Key("percent", "positive_money", "Reset percent",
            "price_reset: the new conversion price as a fraction of the IPO price (e.g. \"0.8\")."),
        Key("below_price", "positive_money", "Reset applies below",
            "price_reset: the reset applies only when the IPO price is below this price."),
        Key("source", "text", "Clause", "The clause stating the ratchet, e.g. \"IV.B.3(b)(ii)\".", required=True),
        Key("note", "free_text", "Note", "Free text shown to readers; the loader does not check its value."),
    ),
    array=("IPO ratchets", "[[ipo_ratchets]]: conversion price adjustments on a public offering."),
    extra=(("allOf", [
        _kind_only("price_floor", "floor_price", ("steps", "percent", "below_price")),
        _kind_only("discount_by_filing_date", "steps", ("floor_price", "percent", "below_price")),
        _kind_only("price_reset", "percent", ("floor_price", "steps")),
    ]),),
)

OPTION_POOL = Table(
    "captable.options[]", "#/properties/captable/properties/options/items",
    "Option pool", "Options or warrants, exercised in a sale only when that pays.",
    (
        Key("id", "holder_id", "Pool id", "Unique id, e.g. \"pool\"; not a series or class vote id.", required=True),
        Key("count", "shares", "Count", "Number of shares the pool buys (> 0).", required=True),
        Key("exercise_price", "money", "Exercise price", "Exercise price per share.", required=True),
        Key("buys", "id", "Buys", "\"common\" (default) or the id of the series the pool buys.", default="common"),
        Key("source", "text", "Clause", "Where the pool is stated (default \"assumption\").", default="assumption"),
    ),
)

CAPTABLE = Table(
    "captable", "#/properties/captable",
    "Cap table", "Cap table figures (assumptions where the charter does not state them).",
    (
        Key("assumption", "bool", "Assumption", "true (default): the charter does not state these numbers.",
            default=True),
        Key("common_outstanding", "shares", "Common outstanding", "Common shares outstanding (> 0).", required=True),
        Key("note", "text", "Note", "Optional free text shown in reports."),
        Key("outstanding", "map", "Outstanding shares",
            "Optional outstanding shares per series id (default: its designated number; never more).",
            items=(("title", "Outstanding"), ("description", "Shares of the series outstanding."),
                   ("$ref", "#/$defs/shares"))),
        Key("dividends", "map", "Unpaid dividends",
            "Declared-but-unpaid dividends per share, per series id (default 0).",
            items=(("title", "Dividends per share"), ("description", "Declared-but-unpaid dividends per share of "
                                                                     "the series."), ("$ref", "#/$defs/money"))),
        Key("options", "tables", "Options and warrants",
            f"[[captable.options]]: option and warrant pools (at most {MAX_OPTION_POOLS}; pools of common are "
            "resolved by a threshold on the value per common share, not played as units of the conversion game).",
            extra=(("maxItems", MAX_OPTION_POOLS),), nested=OPTION_POOL),
    ),
)

EXCLUSION = Table(
    "anti_dilution[].excluded[]", "#/properties/anti_dilution/items/properties/excluded/items",
    "Excluded issuance",
    "An issuance the clause carves out of Additional Stock (employee pool, vendors, public offering...). Without a "
    "cap it is wholly excluded; with one, shares beyond the cap are Additional Stock.",
    (
        Key("id", "id", "Id",
            "Names the carve-out, e.g. \"employee_pool\" (unique within the clause); "
            "`apply_issuance(..., excluded=ID)` charges an issuance to it.", required=True),
        Key("description", "text", "Description", "What the charter excludes, in a few words."),
        Key("cap_shares", "shares", "Cap in shares",
            "Optional: the carve-out covers at most this many shares in the aggregate (Kinzan: 6,300,000)."),
        Key("cap_fraction", "fraction", "Cap as a fraction",
            "Optional, instead of cap_shares: at most this fraction (0 < f < 1) of the common then outstanding on a "
            "fully diluted basis (Valuestar: \"0.05\")."),
        Key("source", "text", "Clause", "The clause stating the carve-out, e.g. \"FOURTH.B.4(d)(ii)(B)\".",
            required=True),
    ),
    extra=(("not", {"required": ["cap_shares", "cap_fraction"]}),),
)

ANTI_DILUTION = Table(
    "anti_dilution[]", "#/properties/anti_dilution",
    "Anti-dilution clause",
    "A broad-based weighted average adjustment of the conversion prices of some series (each series at most "
    "once), with its rounding, minimum adjustment and carve-outs.",
    (
        Key("id", "id", "Id", "Names the clause in reports (unique).", required=True),
        Key("series", "ids", "Series",
            "The series whose conversion prices the clause adjusts (each needs a conversion price).", required=True,
            extra=(("minItems", 1), ("uniqueItems", True))),
        Key("kind", "enum", "Kind",
            "\"broad_based_weighted_average\" (default): CP2 = CP1 x (A + B) / (A + C), A the shares counted as "
            "outstanding, B the shares the consideration buys at CP1, C the new shares.",
            default="broad_based_weighted_average", allowed=ANTI_DILUTION_KINDS),
        Key("counts", "enums", "Counted as outstanding (A)",
            "What A counts besides nothing else: \"common\", \"preferred\" (as converted), \"options\" (the option "
            "pools, as converted), \"convertible_securities\". Default: all four.", allowed=ANTI_DILUTION_COUNTS,
            extra=(("minItems", 1), ("uniqueItems", True))),
        Key("rounding", "enum", "Rounding",
            "\"none\" (default): the new price is kept exact; \"nearest_cent\": rounded to the nearest cent, half a "
            "cent up; \"nearest_tenth_cent\", \"nearest_hundredth_cent\": to $0.001 or $0.0001, half a unit up.",
            default="none", allowed=ANTI_DILUTION_ROUNDING),
        Key("minimum_adjustment", "money", "Minimum adjustment",
            "No adjustment smaller than this (e.g. \"0.01\"); default 0."),
        Key("carry_forward", "bool", "Carry forward",
            "true: an adjustment too small to make is carried forward into the next one (needs minimum_adjustment).",
            default=False),
        Key("no_increase", "bool", "No increase",
            "true: the clause says expressly that no adjustment raises the conversion price (an adjustment never "
            "does in any case: the prices are only reduced).", default=False),
        Key("excluded", "tables", "Excluded issuances",
            "[[anti_dilution.excluded]]: the carve-outs from Additional Stock.", nested=EXCLUSION),
        Key("minimum_source", "text", "Minimum adjustment clause",
            "The sub-clause stating the minimum adjustment, where it is not the formula's clause, e.g. "
            "\"FOURTH.B.4(d)(i)(C)\"."),
        Key("splits_source", "text", "Splits clause",
            "The clause adjusting the conversion prices for splits and combinations."),
        Key("source", "text", "Clause", "The clause stating the formula (and its rounding), e.g. \"V.4(d)(iv)\".",
            required=True),
        Key("note", "text", "Note", "Free text shown in reports."),
    ),
    array=("Anti-dilution", "[[anti_dilution]]: conversion price adjustments for dilutive issuances, one entry per "
           "clause: CP2 = CP1 x (A + B) / (A + C)."),
)


TABLES = (PREFERENCE, PARTICIPATION, CONVERSION, DIVIDENDS, TIER, CATCH_UP, SCENARIO, COMMON_CLASS, REDEMPTION,
          SALE_WAIVER, READINGS, CLASS_VOTE, AUTOMATIC_CONVERSION, IPO_RATCHET, CAPTABLE, ANTI_DILUTION)
# tables written inside another's schema (an array or a vote of them): documented and loaded from here too
NESTED = (VOTE_GROUP, RATCHET_STEP, OPTION_POOL, EXCLUSION)

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "charterverify" / "schema" / "charter.schema.json"
DOCS_PATH = REPO / "docs" / "charter-format.md"


def _parent_and_key(schema: dict, pointer: str) -> tuple[dict, str]:
    parts = pointer.split("/")[1:]
    node = schema
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    return node, parts[-1]


def generated_schema(schema: dict) -> dict:
    """`schema` with the fragments of every table of `TABLES` replaced by the generated ones."""
    out = json.loads(json.dumps(schema))
    for t in TABLES:
        parent, key = _parent_and_key(out, t.pointer)
        parent[key] = t.schema()
    return out


_DOC_BLOCK = re.compile(r"(<!-- keys: (?P<path>[^ ]+) -->\n)(?P<body>(?:(?!<!-- keys:).)*?)(<!-- /keys -->)", re.S)


def generated_docs(text: str) -> str:
    """`text` (docs/charter-format.md) with every `<!-- keys: PATH -->` block regenerated."""
    by_path = {t.path: t for t in TABLES + NESTED}

    def one(m: re.Match) -> str:
        t = by_path.get(m.group("path"))
        if t is None:
            return m.group(0)
        return m.group(1) + t.markdown() + "\n" + m.group(4)

    return _DOC_BLOCK.sub(one, text)


def documented_tables(text: str) -> set[str]:
    return {m.group("path") for m in _DOC_BLOCK.finditer(text)}


def main(argv: list[str]) -> int:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    new_schema = generated_schema(schema)
    docs = DOCS_PATH.read_text(encoding="utf-8")
    new_docs = generated_docs(docs)
    stale = (new_schema != schema) or (new_docs != docs)
    if "--write" in argv:
        SCHEMA_PATH.write_text(json.dumps(new_schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        DOCS_PATH.write_text(new_docs, encoding="utf-8")
        return 0
    print("stale" if stale else "up to date")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
