"""Answer keys for corpus charters, and the score of the drafter against them (issue 12, part 3).

Each ``keys/<stem>.toml`` holds the facts a careful reader takes from
``../shared/corpus/<stem>.txt``, worked out by hand, each with the file line that states it.

* The key-file tests check every key: it parses, each fact key is in the agreed vocabulary, each
  line is inside the charter and holds the value in some written form (digits with or without
  commas or "$", a percentage, words), and a ``derive`` expression (a value that follows from other
  facts, e.g. ``3 * {series.A.original_issue_price}``) gives the keyed value.
* The scoring test drafts every keyed charter with ``charterverify.draft.draft_document`` and counts
  per charter: RIGHT (a non-review drafted fact with the key's key and an equal value), WRONG (a
  non-review drafted fact with that key and another value), MISSED (otherwise).
  recall = right / facts in key, precision = right / (right + wrong).
  Goals: recall >= 80 %, precision >= 95 % over all keys. The per-charter table is written at the
  end of the pytest run (terminal summary), into the assertion message, and to a file.
* The harness itself is checked with fake drafters built from the keys.

Key file fields, per ``[[fact]]``: ``key`` (the agreed vocabulary, see VOCABULARY), ``value``
(numbers as strings: "85000000", "3.155066667", "2/25"; bools as true/false; enums as strings),
``line`` (the file line that states it), optional ``note`` (the reading, e.g. an amendment in
force), optional ``derive`` (how a value not written as such follows: "3 * {series.A.original_issue_price}",
"45000000 / {series.A-2.designated}"; checked exactly) and ``also`` (more lines holding the numbers
of ``derive``). A key holds only what the text settles: facts it leaves open are named in the
file's header comment instead.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest
from summary_support import SummaryReporter, report_in_summary

HERE = Path(__file__).resolve().parent
KEYS_DIR = HERE / "keys"
CORPUS = (HERE.parents[1] / ".." / "shared" / "corpus").resolve()

RECALL_GOAL = Fraction(80, 100)
PRECISION_GOAL = Fraction(95, 100)
TABLE_TITLE = "answer keys: drafter recall and precision"

# ---------------------------------------------------------------- vocabulary

SERIES_ID = r"[A-Za-z0-9][A-Za-z0-9 \-]*"
_FRACTION_FIELDS = (
    "original_issue_price|preference_per_share|participation_cap_per_share|conversion_price"
    "|conversion_ratio|dividend_rate|dividend_percent"
)
VOCABULARY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"authorized\.common(\.[A-Za-z0-9 \-]+)?"), "int"),
    (re.compile(r"authorized\.preferred"), "int"),
    (re.compile(rf"series\.{SERIES_ID}\.(designated|tier)"), "int"),
    (re.compile(rf"series\.{SERIES_ID}\.({_FRACTION_FIELDS})"), "fraction"),
    (re.compile(rf"series\.{SERIES_ID}\.participation"), "participation"),
    (re.compile(rf"series\.{SERIES_ID}\.dividend_cumulative"), "bool"),
    (re.compile(r"auto\.(offering_min_price|offering_min_proceeds|vote_threshold)"), "fraction"),
    (re.compile(r"auto\.offering_proceeds_basis"), "basis"),
    (re.compile(r"auto\.vote_group"), "str"),
]
ENUMS = {"participation": {"none", "full", "capped"}, "basis": {"gross", "net"}}


def kind_of(key: str) -> str | None:
    """The value type of a fact key, or None when the key is not in the agreed vocabulary."""
    for pattern, kind in VOCABULARY:
        if pattern.fullmatch(key):
            return kind
    return None


def _fraction(text: str) -> Fraction:
    text = text.strip().replace(",", "").replace("$", "")
    return Fraction(text)


def parse_value(key: str, value: object) -> int | Fraction | str | bool:
    """A key file's or a drafter's value, in the one canonical form used for comparison."""
    kind = kind_of(key)
    if kind is None:
        raise ValueError(f"{key!r} is not in the fact vocabulary")
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{key}: {value!r} is not a bool")
        return value
    if kind in ("int", "fraction"):
        if isinstance(value, bool):
            raise ValueError(f"{key}: {value!r} is not a number")
        if isinstance(value, float):
            raise ValueError(f"{key}: {value!r} is a float; write it as a string")
        number = value if isinstance(value, (int, Fraction)) else _fraction(str(value))
        number = Fraction(number)
        if kind == "int":
            if number.denominator != 1:
                raise ValueError(f"{key}: {value!r} is not a whole number")
            return int(number)
        return number
    if not isinstance(value, str):
        raise ValueError(f"{key}: {value!r} is not a string")
    text = " ".join(value.split()).lower()
    if kind in ENUMS and text not in ENUMS[kind]:
        raise ValueError(f"{key}: {value!r} is not one of {sorted(ENUMS[kind])}")
    return text


# ---------------------------------------------------------------- key files


@dataclass(frozen=True)
class KeyFact:
    key: str
    value: int | Fraction | str | bool
    line: int
    note: str = ""
    derive: str | None = None
    also: tuple[int, ...] = ()


@dataclass
class AnswerKey:
    path: Path
    charter: str
    facts: list[KeyFact] = field(default_factory=list)

    @property
    def text_path(self) -> Path:
        return CORPUS / self.charter


def load_key(path: Path) -> AnswerKey:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    extra = set(data) - {"charter", "fact"}
    if extra:
        raise ValueError(f"{path.name}: unknown top-level keys {sorted(extra)}")
    key = AnswerKey(path, data["charter"])
    seen: set[str] = set()
    for raw in data["fact"]:
        extra = set(raw) - {"key", "value", "line", "note", "derive", "also"}
        if extra:
            raise ValueError(f"{path.name}: {raw.get('key')}: unknown fields {sorted(extra)}")
        name = raw["key"]
        if name in seen:
            raise ValueError(f"{path.name}: {name} keyed twice")
        seen.add(name)
        line = raw["line"]
        if not isinstance(line, int) or isinstance(line, bool):
            raise ValueError(f"{path.name}: {name}: line {line!r} is not an int")
        key.facts.append(
            KeyFact(
                name,
                parse_value(name, raw["value"]),
                line,
                raw.get("note", ""),
                raw.get("derive"),
                tuple(raw.get("also", ())),
            )
        )
    return key


def key_paths() -> list[Path]:
    return sorted(KEYS_DIR.glob("*.toml"))


# ---------------------------------------------------------------- written forms of a value

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand million billion"
).split()
_NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_MIXED = re.compile(r"(\d+)(?:\s+|-|\s*and\s*)(\d+)\s*/\s*(\d+)")
_FRACTION_WORDS = {"one-half": Fraction(1, 2), "two-thirds": Fraction(2, 3),
                   "two thirds": Fraction(2, 3), "one-third": Fraction(1, 3),
                   "one half": Fraction(1, 2), "majority": Fraction(1, 2)}


def _word_numbers(text: str) -> set[Fraction]:
    """Numbers written in words in `text` ("Fifteen Million Eight Hundred ...", "sixty-six")."""
    from word2number import w2n

    found: set[Fraction] = set()
    words = re.findall(r"[a-z]+", text.lower().replace("-", " "))
    run: list[str] = []
    for word in [*words, "."]:
        if word in _NUMBER_WORDS or (word == "and" and run):
            run.append(word)
            continue
        while run and run[-1] == "and":
            run.pop()
        if run:
            for start in range(len(run)):  # every suffix, so "A Three" style joins do not hide one
                try:
                    found.add(Fraction(w2n.word_to_num(" ".join(run[start:]))))
                except (ValueError, IndexError, KeyError):
                    pass
        run = []
    return found


def written_numbers(text: str) -> set[Fraction]:
    """Every number `text` writes: digits (commas, "$"), percentages as fractions, mixed
    fractions ("66 2/3%"), words, and "majority" as one half."""
    found: set[Fraction] = set()
    for match in _MIXED.finditer(text):
        whole, num, den = (int(g) for g in match.groups())
        if den:
            mixed = whole + Fraction(num, den)
            found |= {mixed, mixed / 100}
    for match in _NUMBER_TOKEN.finditer(text):
        token = match.group().rstrip(",")
        try:
            number = _fraction(token)
        except (ValueError, ZeroDivisionError):
            continue
        found.add(number)
        rest = text[match.end():match.end() + 10].lower()
        if rest.startswith("%") or rest.lstrip().startswith("percent"):
            found.add(number / 100)
    words = _word_numbers(text)
    found |= words
    low = text.lower()
    if "percent" in low:
        found |= {w / 100 for w in words}
    for phrase, number in _FRACTION_WORDS.items():
        if phrase in low:
            found.add(number)
            found.add(Fraction(66, 1) + Fraction(2, 3) if number == Fraction(2, 3) else number)
    return found


# keywords a line must show for a fact whose value is not a number
_KEYWORDS = {
    ("participation", "capped"): r"cap|maximum|until|times|greater|shall not receive",
    ("participation", "none"): r"common|remaining|not\s+participat|no further|greater|assets",
    ("participation", "full"): r"remaining|pro rata|ratabl|as.converted|assuming|converted",
    ("basis", "gross"): r"gross|before deduct",
    ("basis", "net"): r"\bnet\b|after deduct",
    ("bool", True): r"cumulative|accru|compound",
    ("bool", False): r"non.?cumulative|not\s+(be\s+)?cumulative|shall not accrue|no right|only when",
    ("tier",): r"prior|preference|senior|pari|junior|after|subordinat|ratabl|before|equal",
    ("str",): r"preferred|series|holders",
}


def _line_text(lines: list[str], number: int) -> str:
    return lines[number - 1]


def evaluate_derive(expr: str, values: dict[str, object]) -> Fraction:
    """Evaluate `expr` (numbers, {fact.key} references, + - * / and parentheses) exactly."""
    refs: dict[str, Fraction] = {}

    def ref(match: re.Match[str]) -> str:
        name = f"_r{len(refs)}"
        value = values[match.group(1)]
        if isinstance(value, (bool, str)):
            raise ValueError(f"{match.group(1)} is not a number")
        refs[name] = Fraction(value)
        return name

    source = re.sub(r"\{([^}]+)\}", ref, expr)

    def walk(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return left / right
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(ast.get_source_segment(source, node))
        if isinstance(node, ast.Name) and node.id in refs:
            return refs[node.id]
        raise ValueError(f"unsupported in derive: {ast.dump(node)}")

    return walk(ast.parse(source, mode="eval"))


def derive_literals(expr: str) -> list[Fraction]:
    """The numbers written in a derive expression itself (not its references), 1 excluded."""
    bare = re.sub(r"\{[^}]+\}", " ", expr)
    return [n for n in (Fraction(t) for t in re.findall(r"\d+(?:\.\d+)?", bare)) if n != 1]


def check_key(key: AnswerKey) -> list[str]:
    """Every problem of one key file, as readable lines (empty: the key is sound)."""
    problems: list[str] = []
    if not key.text_path.is_file():
        return [f"{key.path.name}: charter {key.charter} not found in {CORPUS}"]
    if key.path.stem != Path(key.charter).stem:
        problems.append(f"{key.path.name}: file name does not match charter {key.charter}")
    lines = key.text_path.read_text(encoding="utf-8").splitlines()
    values = {f.key: f.value for f in key.facts}
    for fact in key.facts:
        where = f"{key.path.name}: {fact.key} (line {fact.line})"
        for number in (fact.line, *fact.also):
            if not 2 <= number <= len(lines):
                problems.append(f"{where}: line {number} is not a text line of {key.charter}")
        if problems and problems[-1].startswith(where):
            continue
        text = " ".join(_line_text(lines, n) for n in (fact.line, *fact.also))
        kind = kind_of(fact.key)
        if fact.derive is not None:
            try:
                derived = evaluate_derive(fact.derive, values)
            except (KeyError, ValueError, SyntaxError, ZeroDivisionError) as exc:
                problems.append(f"{where}: derive {fact.derive!r} fails: {exc}")
                continue
            if derived != fact.value:
                problems.append(f"{where}: derive {fact.derive!r} = {derived}, key says {fact.value}")
            # the price the derivation uses is named on the line (or, wrapped, on the next one)
            named = text + " " + (lines[fact.line] if fact.line < len(lines) else "")
            if "original_issue_price}" in fact.derive and not re.search(r"price|original (issue|purchase)", named, re.I):
                problems.append(f"{where}: the line does not speak of the price {fact.derive!r} uses")
            numbers = written_numbers(text)
            for literal in derive_literals(fact.derive):
                if literal not in numbers:
                    problems.append(f"{where}: {literal} of {fact.derive!r} not written on the line(s)")
            continue
        if kind in ("int", "fraction"):
            if fact.key.endswith(".tier"):
                if not re.search(_KEYWORDS[("tier",)], text, re.I):
                    problems.append(f"{where}: the line states no ranking")
            elif fact.value not in written_numbers(text):
                problems.append(f"{where}: {fact.value} is not written on the line")
        else:
            pattern = _KEYWORDS.get((kind, fact.value)) or _KEYWORDS.get((kind,))
            if pattern and not re.search(pattern, text, re.I):
                problems.append(f"{where}: the line does not speak of {fact.value!r}")
    return problems


# ---------------------------------------------------------------- scoring


@dataclass
class Score:
    charter: str
    right: int = 0
    wrong: int = 0
    missed: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.missed

    def add(self, other: Score) -> None:
        self.right += other.right
        self.wrong += other.wrong
        self.missed += other.missed

    @property
    def recall(self) -> Fraction:
        return Fraction(self.right, self.total) if self.total else Fraction(0)

    @property
    def precision(self) -> Fraction:
        judged = self.right + self.wrong
        return Fraction(self.right, judged) if judged else Fraction(0)


def score_facts(key: AnswerKey, drafted: list[object]) -> Score:
    """Score drafted facts (objects with key, value, line, review) against one answer key."""
    score = Score(key.charter)
    by_key: dict[str, list[object]] = {}
    for fact in drafted:
        if not getattr(fact, "review", False):
            by_key.setdefault(fact.key, []).append(fact)
    for expected in key.facts:
        candidates = by_key.get(expected.key, [])
        values = []
        for fact in candidates:
            try:
                values.append(parse_value(expected.key, fact.value))
            except (ValueError, ZeroDivisionError):
                values.append(fact.value)  # unparseable: never equal, so wrong
        if any(v == expected.value for v in values) and all(v == expected.value for v in values):
            score.right += 1
        elif values:
            score.wrong += 1
            shown = ", ".join(f"{v} (line {getattr(f, 'line', '?')})" for v, f in zip(values, candidates))
            score.details.append(f"WRONG  {expected.key}: key {expected.value} (line {expected.line}), drafted {shown}")
        else:
            score.missed += 1
            score.details.append(f"MISSED {expected.key}: key {expected.value} (line {expected.line})")
    return score


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:5.1f}%"


def format_table(scores: list[Score]) -> list[str]:
    total = Score("ALL")
    for s in scores:
        total.add(s)
    rows = [f"{'charter':<22} {'facts':>5} {'right':>5} {'wrong':>5} {'missed':>6} {'recall':>7} {'precision':>9}"]
    for s in [*scores, total]:
        rows.append(
            f"{s.charter:<22} {s.total:>5} {s.right:>5} {s.wrong:>5} {s.missed:>6} {_pct(s.recall):>7} {_pct(s.precision):>9}"
        )
    return rows


# ---------------------------------------------------------------- tests: the keys


KEY_PATHS = key_paths()


def test_at_least_ten_keys() -> None:
    assert len(KEY_PATHS) >= 10, f"only {len(KEY_PATHS)} answer keys in {KEYS_DIR}"


@pytest.mark.parametrize("path", KEY_PATHS, ids=[p.stem for p in KEY_PATHS])
def test_key_file_is_sound(path: Path) -> None:
    key = load_key(path)
    assert key.facts, f"{path.name} has no facts"
    problems = check_key(key)
    assert not problems, "\n".join(problems)


def test_vocabulary() -> None:
    assert kind_of("series.Seed 1.original_issue_price") == "fraction"
    assert kind_of("series.B-1.designated") == "int"
    assert kind_of("authorized.common.Class B") == "int"
    assert kind_of("series.A.liquidation_multiple") is None
    assert kind_of("auto.vote_thresholds") is None
    with pytest.raises(ValueError):
        parse_value("series.A.participation", "partial")
    with pytest.raises(ValueError):
        parse_value("series.A.designated", "1.5")
    assert parse_value("series.A.original_issue_price", "$1,234.50") == Fraction(246900, 200)


def test_written_forms() -> None:
    line = "Fifteen Million Eight Hundred Forty Seven Thousand Five Hundred (15,847,500) shares at $3.155066667"
    numbers = written_numbers(line)
    assert {Fraction(15847500), Fraction("3.155066667")} <= numbers
    assert Fraction(2, 3) in written_numbers("holders of at least 66 2/3% of the Series E")
    assert Fraction(2, 3) in written_numbers("sixty-six and two-thirds percent (66-2/3%)")
    assert Fraction(3, 5) in written_numbers("at least sixty percent of the shares")
    assert Fraction(1, 2) in written_numbers("a majority of the outstanding Preferred")
    assert Fraction(3) in written_numbers("equal to three times the price")
    assert Fraction(2, 25) in written_numbers("at the rate of 8% per annum")
    assert Fraction("3.15") not in numbers


def test_derive() -> None:
    values = {"series.A.original_issue_price": Fraction("3.155066667")}
    assert evaluate_derive("3 * {series.A.original_issue_price}", values) == Fraction("9.465200001")
    assert evaluate_derive("45000000 / 7", {}) == Fraction(45000000, 7)
    assert derive_literals("1.75 * {series.A-1.original_issue_price}") == [Fraction("1.75")]
    with pytest.raises(ValueError):
        evaluate_derive("__import__('os')", {})


def test_check_key_catches_a_typo(tmp_path: Path) -> None:
    """A key with a wrong digit, a wrong line or a wrong derivation is reported."""
    good = load_key(KEYS_DIR / "tenable.toml")
    assert check_key(good) == []
    facts = {f.key: f for f in good.facts}
    bad = AnswerKey(good.path, good.charter, [
        KeyFact("authorized.preferred", 57847501, 24),
        KeyFact("series.A.designated", 15847500, 27),
        KeyFact("series.A.original_issue_price", facts["series.A.original_issue_price"].value, 48),
        KeyFact("series.A.participation_cap_per_share", Fraction("9.4652"), 72,
                derive="3 * {series.A.original_issue_price}"),
        KeyFact("series.B.designated", 42000000, 9999),
    ])
    problems = check_key(bad)
    assert len(problems) == 4, problems


# ---------------------------------------------------------------- tests: the harness


@dataclass
class FakeFact:
    key: str
    value: object
    source: str = "fake"
    line: int = 0
    quote: str = ""
    review: bool = False


def _as_drafted(key: AnswerKey) -> list[FakeFact]:
    return [FakeFact(f.key, f.value, line=f.line) for f in key.facts]


def test_harness_perfect_drafter_scores_100() -> None:
    for path in KEY_PATHS:
        key = load_key(path)
        score = score_facts(key, _as_drafted(key))
        assert (score.right, score.wrong, score.missed) == (len(key.facts), 0, 0), path.name


def test_harness_perturbed_drafter() -> None:
    """tenable has 19 facts. Perturbed: 2 values changed (wrong), 2 dropped and 1 marked review
    (missed), 1 extra fact not in the key (ignored), 1 value given in another form (int for a
    string, still right). right = 19 - 2 - 3 = 14: recall 14/19, precision 14/16."""
    key = load_key(KEYS_DIR / "tenable.toml")
    assert len(key.facts) == 19
    drafted = _as_drafted(key)
    by = {f.key: f for f in drafted}
    by["series.A.conversion_price"].value = Fraction("3.155066667")  # the OIP: a classic slip
    by["series.B.original_issue_price"].value = "5.805673"  # the uncorrected price
    drafted.remove(by["authorized.common"])
    drafted.remove(by["auto.offering_min_price"])
    by["series.A.participation_cap_per_share"].review = True
    by["authorized.preferred"].value = "57,847,500"  # another written form, same value
    drafted.append(FakeFact("series.C.designated", 5))
    score = score_facts(key, drafted)
    assert (score.right, score.wrong, score.missed) == (14, 2, 3)
    assert score.recall == Fraction(14, 19) and score.precision == Fraction(14, 16)
    assert sum(d.startswith("WRONG") for d in score.details) == 2
    # a review fact is never wrong, even when its value differs
    by["series.A.participation_cap_per_share"].value = Fraction(1)
    assert score_facts(key, drafted).wrong == 2
    # two non-review facts for one key that disagree: wrong, not right
    drafted.append(FakeFact("series.A.designated", 1))
    assert score_facts(key, drafted).wrong == 3


def test_table_format() -> None:
    a, b = Score("a.txt", 8, 1, 1), Score("b.txt", 2, 0, 8)
    rows = format_table([a, b])
    assert rows[-1].split() == ["ALL", "20", "10", "1", "9", "50.0%", "90.9%"]


# ---------------------------------------------------------------- the real drafter


def score_drafter(draft_document) -> list[Score]:  # noqa: ANN001
    """Draft every keyed charter with `draft_document` and score it against its key."""
    scores = []
    for path in KEY_PATHS:
        key = load_key(path)
        draft = draft_document(key.text_path)
        scores.append(score_facts(key, list(draft.facts)))
    return scores


def report_scores(scores: list[Score], directory: Path, config: pytest.Config | None = None) -> tuple[Score, str]:
    """Write the table and the misses to `directory`/score.txt, register the terminal summary
    (with a `config`), and return the overall score and the assertion message."""
    table = format_table(scores)
    details = [f"{s.charter}: {d}" for s in scores for d in s.details]
    report = directory / "score.txt"
    report.write_text("\n".join([*table, "", *details]) + "\n", encoding="utf-8")
    if config is not None:
        report_in_summary(config, TABLE_TITLE, [*table, f"(misses and wrong values: {report})"])
    total = Score("ALL")
    for s in scores:
        total.add(s)
    return total, "\n".join([*table, *details])


def test_table_reporter_writes_the_table() -> None:
    class Terminal:
        def __init__(self) -> None:
            self.lines: list[str] = []

        def section(self, title: str) -> None:
            self.lines.append(f"== {title}")

        def write_line(self, line: str) -> None:
            self.lines.append(line)

    terminal = Terminal()
    SummaryReporter(TABLE_TITLE, ["row 1", "row 2"]).pytest_terminal_summary(terminal)
    assert terminal.lines == ["== answer keys: drafter recall and precision", "row 1", "row 2"]


@dataclass
class _FakeDraft:
    facts: list[FakeFact]


def test_scoring_pipeline_with_a_fake_drafter(tmp_path: Path) -> None:
    """The real test's pipeline, with a drafter that answers from the keys but misses every
    tier and gets every conversion price wrong by a cent."""

    keys_by_charter = {k.charter: k for k in (load_key(p) for p in KEY_PATHS)}

    def fake_draft_document(path: Path) -> _FakeDraft:
        key = keys_by_charter[Path(path).name]
        facts = []
        for f in key.facts:
            if f.key.endswith(".tier"):
                continue
            value = f.value + Fraction(1, 100) if f.key.endswith(".conversion_price") else f.value
            facts.append(FakeFact(f.key, value))
        return _FakeDraft(facts)

    scores = score_drafter(fake_draft_document)
    keys = list(keys_by_charter.values())
    tiers = sum(f.key.endswith(".tier") for k in keys for f in k.facts)
    prices = sum(f.key.endswith(".conversion_price") for k in keys for f in k.facts)
    facts = sum(len(k.facts) for k in keys)
    total, message = report_scores(scores, tmp_path)
    assert (total.right, total.wrong, total.missed) == (facts - tiers - prices, prices, tiers)
    assert (tmp_path / "score.txt").read_text(encoding="utf-8").startswith("charter")
    assert "MISSED series.A.tier" in message and "WRONG  series.A.conversion_price" in message


def test_drafter_against_answer_keys(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    try:
        from charterverify.draft import draft_document
    except ImportError as exc:
        missing = str(exc)
    else:
        missing = ""
    if missing:
        pytest.fail(f"charterverify.draft is missing ({missing}): the answer-key score needs the drafter",
                    pytrace=False)
    scores = score_drafter(draft_document)
    total, message = report_scores(scores, tmp_path_factory.mktemp("answer_keys"), request.config)
    assert total.recall >= RECALL_GOAL and total.precision >= PRECISION_GOAL, message
