"""The registry of the text rules: every rule id the text checks can report, with its one-line
description (docs/text-checks.md has the long form). The CLI lists these as the rules that ran
on a text, and the SARIF and JUnit renderers take their ids and descriptions from here.

A leaf module (no imports), so a renderer can read it without loading the text checks.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "text.dangling-reference": "a cross-reference names a clause that does not exist",
    "text.wrong-self-reference": "a \"this ...\" reference is written inside a clause other than the one it names",
    "text.ambiguous-reference": "a cross-reference fits several clauses equally well from where it is written",
    "text.wrong-clause-reference": "a cross-reference names a clause that is not about what the sentence says it is",
    "text.reference-direction": "a \"below\"/\"above\" reference resolves to a clause in the other direction",
    "text.undefined-term": "a capitalised term is used as a defined term but never defined",
    "text.duplicate-definition": "the same term is defined in two places",
    "text.unused-definition": "a term is defined but never used elsewhere",
    "text.use-before-definition": "a term is used before its definition without an \"as defined below\" flag",
    "text.external-term": "a term the text says is defined in another document",
    "text.numbering-gap": "a label is skipped in the outline or in a list written in running text",
    "text.numbering-duplicate": "a label appears twice in a row in the outline or in running text",
    "text.placeholder": "a blank or placeholder is left in the draft",
    "text.bracketed-alternative": "bracketed drafting alternatives of a model form are left in the text",
    "text.share-count": "share counts that must agree do not (classes against the total, series against the preferred)",
    "text.dividend-wording": "non-cumulative dividends, yet an amount payable adds accrued or unpaid dividends",
    "text.inconsistent-amount": "an amount's words and figures disagree, or a defined amount has two values",
    "text.untraced-number": "a number of the model does not appear in the clause its source names",
    "text.unused-amount": "a dollar amount in a liquidation or conversion clause that no model number equals",
    "text.imprecise-source": "a model number's source names a whole part where a sub-clause states it",
    "text.gate": "the model and a fresh draft of its charter text disagree on an economic fact",
    "text.missing": "the charter text a model names does not exist, so the text checks did not run",
    "text.sale-waiver-vote": "a vote of the preferred can take a sale out of the liquidation waterfall",
}

# the rules that compare a model with its text: they run only when a model names the text
MODEL_RULES = frozenset({"text.untraced-number", "text.unused-amount", "text.imprecise-source", "text.gate",
                         "text.missing"})

__all__ = ["MODEL_RULES", "RULES"]
