"""charterverify/report/escape.py: one function per output kind, checked on any string.

Each property is what the output kind needs: rendered markdown shows exactly the text and makes
no element; XML text holds only characters XML 1.0 allows; nothing on a CI log can start a
workflow command; the JSON guard keeps the document's meaning.
"""

from __future__ import annotations

import html as html_mod
import json
import re
import unicodedata
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from charterverify.report import escape

HOSTILE_ALPHABET = st.sampled_from(list("<>&\"'`*_[]()!|~$#+-=.:/@\\{}^%,;\n\r\t \x00\x07\x1b\x7f\x85\x9b"
                                        "\u2028\u202e\u2066\ufeff\ufffeaZ09") + ["::", "##vso[", "##[", "://", "www."])
TEXTS = st.one_of(st.text(max_size=60), st.lists(HOSTILE_ALPHABET, max_size=30).map("".join))
XML_CHAR = re.compile("[\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def test_known_values():
    assert escape.terminal("a\x1b]0;x\x07b\n") == "a\\x1b]0;x\\x07b\\n"
    assert escape.terminal("\u202eabc") == "\\u202eabc"
    assert escape.ci_log("x\n::warning::INJECTED") == "x\\n\\x3a:warning\\x3a:INJECTED"
    assert escape.ci_log("##vso[task.setvariable]") == "\\x23#vso[task.setvariable]"
    assert escape.workflow_property("a,b:c\nd") == "a%2Cb%3Ac%0Ad"
    assert escape.markdown("<script>") == "&lt;script&gt;"
    assert escape.markdown("[a](https://e.example)") == "\\[a\\](https:\u2060//e.example)"
    assert escape.markdown("1. item") == "1\\. item"
    assert escape.markdown("##") == "\\##" and escape.markdown("---") == "\\---"  # no heading, no rule
    assert escape.markdown("1.5") == "1.5"  # an amount stays as it is
    assert escape.rich("[/bold]") == "\\[/bold]"
    assert escape.xml("a\x00b\tc\n") == "a\\x00b\tc\n"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXTS)
def test_markdown_renders_exactly_the_text_and_nothing_else(s):
    rendered = MD.render(escape.markdown(s)).strip()
    expected = " ".join(escape.terminal(s.replace("\t", " ")).split())
    if not expected:
        assert rendered == ""
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4]
    assert "<" not in inner, rendered  # no element of any kind
    # the word joiners escape.markdown inserts are invisible; compare without any
    assert html_mod.unescape(inner).replace("\u2060", "") == expected.replace("\u2060", "")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXTS)
def test_ci_log_cannot_start_a_command(s):
    out = escape.ci_log(s)
    assert "::" not in out and "##[" not in out and "##vso[" not in out.lower()
    assert all(unicodedata.category(c) not in ("Cc",) for c in out)
    assert "\u202e" not in out and "\u2028" not in out


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXTS)
def test_workflow_values_stay_inside_their_command(s):
    prop = escape.workflow_property(s)
    data = escape.workflow_data(s)
    assert not re.search("[:,\r\n]", prop) and not re.search("[\r\n]", data) and "::" not in data


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXTS)
def test_xml_text_is_xml_1_0_and_parses(s):
    x = escape.xml(s)
    assert XML_CHAR.fullmatch(x)
    e = ET.Element("failure", {"message": x})
    e.text = x
    back = ET.fromstring(ET.tostring(e, encoding="unicode"))
    # an XML parser reads a CR or CR LF in text as LF; nothing else changes
    assert (back.text or "") == x.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dictionaries(TEXTS, TEXTS, max_size=3))
def test_json_guard_keeps_the_meaning(d):
    d = {k.encode("utf-8", "replace").decode(): v.encode("utf-8", "replace").decode() for k, v in d.items()}
    guarded = escape.guard_stream_text(json.dumps(d, ensure_ascii=False, indent=2), json=True)
    assert json.loads(guarded) == d
    assert not re.search(r"^\s*::", guarded, re.M) and "##vso[" not in guarded and "\x1b" not in guarded
