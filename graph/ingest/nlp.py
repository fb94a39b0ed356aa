"""spaCy components that mark LEGAL_REF, AGENCY, DEADLINE and TARGET spans.

A blank Vietnamese pipeline (`use_pyvi: False`: no model, nothing downloaded)
with four registered components. Each puts spans into `doc.spans["plangraph"]`
and the structured value (a LegalRef, agency name, Deadline or Target, with the
exact character offsets) into `span._.value`. The same pipeline reads table
cells and prose: :func:`annotate` is what the interpretation stage calls.

The grammars themselves live in :mod:`plangraph.ingest.legal`, :mod:`plangraph.ingest.resolve`,
:mod:`plangraph.ingest.deadlines` and :mod:`plangraph.ingest.targets`; the components only apply them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from plangraph import vocabulary
from plangraph.ingest.deadlines import normalise_deadline
from plangraph.ingest.legal import find_legal_refs
from plangraph.ingest.targets import Target, find_targets
from plangraph.model import Deadline, LegalRef
from plangraph.reference import registry

SPAN_KEY = "plangraph"
LABELS = ("LEGAL_REF", "AGENCY", "DEADLINE", "TARGET")

VALUES_KEY = "plangraph_values"  # doc.user_data[VALUES_KEY][(label, start_char, end_char)] = value


def _span_value(span: Span) -> Any:
    return span.doc.user_data.get(VALUES_KEY, {}).get((span.label_, span.start_char, span.end_char))


if not Span.has_extension("value"):
    Span.set_extension("value", getter=_span_value)
if not Doc.has_extension("jurisdiction"):
    Doc.set_extension("jurisdiction", default=None)

# Deadline expressions inside running text (plangraph.vocabulary.DEADLINE_IN_TEXT).
DEADLINE_IN_TEXT = re.compile(vocabulary.DEADLINE_IN_TEXT)


def _agency_name_list() -> list[str]:
    """Every registry name, short name and group name (and each without its final "tỉnh"/"xã"), longest first."""
    reg = registry()
    names = {e.name for e in reg.entries} | {e.short for e in reg.entries if e.short} | {g.name for g in reg.groups}
    names |= {re.sub(r" tỉnh$| xã$", "", n) for n in names}
    return sorted((n for n in names if len(n) > 3), key=len, reverse=True)


def agency_names_alternation() -> re.Pattern[str]:
    """The names as one alternation, longest first, any case for the first letter: the plain form of
    :func:`agency_names`, which finds exactly what this finds (`tests/test_nlp_fast.py`)."""
    parts = _agency_name_list()
    alternation = "|".join(f"[{re.escape(p[0].lower())}{re.escape(p[0].upper())}]{re.escape(p[1:])}" for p in parts)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def _trie_pattern(trie: dict[str, Any]) -> str:
    """A trie of names as a regular expression that tries longer names before shorter ones: at each node the
    branches (distinct next characters, so at most one can go on) come first, the name ending here last."""
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(trie.items()) if char]
    if not branches:
        return ""
    if "" in trie:  # a name ends here: the longer ones first, then this one
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@lru_cache(maxsize=1)
def agency_names() -> re.Pattern[str]:
    """Every agency name as a pattern that finds, at the leftmost place, the longest name followed by no letter
    — what the alternation of the names longest first finds — without trying every name at every place: the
    names share their beginnings ("Sở …", "Ủy ban nhân dân …"), so they are one trie, first letter in either
    case."""
    roots: dict[str, dict[str, Any]] = {}
    for name in _agency_name_list():
        node = roots.setdefault(name[0].lower(), {})
        for char in name[1:]:
            node = node.setdefault(char, {})
        node[""] = {}
    alternatives = [
        f"[{re.escape(first)}{re.escape(first.upper())}]" + _trie_pattern(trie) for first, trie in sorted(roots.items())
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


TEXT_KEY = "plangraph_text"


def _text(doc: Doc) -> str:
    """The doc's text: `doc.text` joins every token each time it is read, so annotate keeps it once."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text


def _add(doc: Doc, start: int, end: int, label: str, value: Any) -> None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return
    # Values are kept per label and span: an AGENCY and a LEGAL_REF may cover the same tokens.
    doc.user_data.setdefault(VALUES_KEY, {})[(label, span.start_char, span.end_char)] = value
    doc.spans.setdefault(SPAN_KEY, [])
    doc.spans[SPAN_KEY] = list(doc.spans[SPAN_KEY]) + [span]


@Language.component("plangraph_legal_refs")
def legal_refs_component(doc: Doc) -> Doc:
    for ref in find_legal_refs(_text(doc), doc._.jurisdiction):
        _add(doc, ref.start, ref.end, "LEGAL_REF", ref)
    return doc


@Language.component("plangraph_agencies")
def agencies_component(doc: Doc) -> Doc:
    for match in agency_names().finditer(_text(doc)):
        _add(doc, match.start(), match.end(), "AGENCY", match.group(0))
    return doc


@Language.component("plangraph_deadlines")
def deadlines_component(doc: Doc) -> Doc:
    for match in DEADLINE_IN_TEXT.finditer(_text(doc)):
        normalised = normalise_deadline(match.group(0))
        if normalised.understood:
            _add(doc, match.start(), match.end(), "DEADLINE", normalised.deadline)
    return doc


@Language.component("plangraph_targets")
def targets_component(doc: Doc) -> Doc:
    for target in find_targets(_text(doc)):
        _add(doc, target.span[0], target.span[1], "TARGET", target)
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The blank Vietnamese pipeline with plangraph's four components (built once)."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    for name in ("plangraph_legal_refs", "plangraph_agencies", "plangraph_deadlines", "plangraph_targets"):
        nlp.add_pipe(name)
    return nlp


@dataclass(frozen=True)
class Annotations:
    text: str
    legal_refs: tuple[LegalRef, ...]
    agencies: tuple[tuple[int, int, str], ...]  # (start, end, name as written)
    deadlines: tuple[tuple[int, int, Deadline], ...]
    targets: tuple[Target, ...]


@lru_cache(maxsize=65_536)
def annotate(text: str, jurisdiction: str | None = None) -> Annotations:
    """The four components' annotations of one text (a cell or a paragraph). Memoised: plans repeat their cells
    ("Công an xã", "Năm 2026", "Nghị quyết số 57-NQ/TW") and the annotations are immutable.

    The same answer as running the spaCy pipeline (:func:`annotate_with_spacy`) without building a spaCy `Doc`
    per text: the blank Vietnamese tokenizer (`use_pyvi: False`) cuts at whitespace, so its token boundaries —
    to which each found span is widened (`char_span(…, alignment_mode="expand")`) — are computed here directly
    (`tests/test_nlp_fast.py` compares the two on every text of the samples and the web corpus and on generated
    text). A span the widening would leave empty is rare and odd enough to be left to spaCy itself."""
    spans: list[tuple[str, int, int]] = []  # (label, start, end), in the components' order
    values: dict[tuple[str, int, int], Any] = {}
    tokens: _Tokens | None = None  # made when the first span is found (most texts have none)
    for label, found in (
        ("LEGAL_REF", ((ref.start, ref.end, ref) for ref in find_legal_refs(text, jurisdiction))),
        ("AGENCY", ((m.start(), m.end(), m.group(0)) for m in agency_names().finditer(text))),
        ("DEADLINE", _deadlines_in(text)),
        ("TARGET", ((t.span[0], t.span[1], t) for t in find_targets(text))),
    ):
        for start, end, value in found:
            if tokens is None:
                tokens = _Tokens(text)
            widened = tokens.expand(start, end)
            if widened is None:
                continue
            if widened is _UNSURE:
                return annotate_with_spacy(text, jurisdiction)
            key = (label, *widened)
            values[key] = value
            spans.append(key)
    legal = [(a, b) for label, a, b in spans if label == "LEGAL_REF"]
    spans = [key for key in spans if key[0] == "LEGAL_REF" or not any(a <= key[1] < b for a, b in legal)]
    return Annotations(
        text=text,
        legal_refs=tuple(values[key] for key in spans if key[0] == "LEGAL_REF"),
        agencies=tuple((key[1], key[2], values[key]) for key in spans if key[0] == "AGENCY"),
        deadlines=tuple((key[1], key[2], values[key]) for key in spans if key[0] == "DEADLINE"),
        targets=tuple(values[key] for key in spans if key[0] == "TARGET"),
    )


def legal_refs(text: str, jurisdiction: str | None = None) -> tuple[LegalRef, ...]:
    """``annotate(text, jurisdiction).legal_refs`` without the other three finders: what a plan cites is searched
    for in every heading and paragraph, most of which no other step annotates. Legal references are never dropped
    for overlapping another label's span, so they are the ones the finder gives, widened the same way; a span the
    widening would leave empty is left to :func:`annotate` (`tests/test_nlp_fast.py` compares the two)."""
    found = find_legal_refs(text, jurisdiction)
    if not found:
        return ()
    tokens = _Tokens(text)
    values: dict[tuple[int, int], LegalRef] = {}
    spans: list[tuple[int, int]] = []
    for ref in found:
        widened = tokens.expand(ref.start, ref.end)
        if widened is None:
            continue
        if widened is _UNSURE:
            return annotate(text, jurisdiction).legal_refs
        values[widened] = ref
        spans.append(widened)
    return tuple(values[span] for span in spans)


def _deadlines_in(text: str) -> Iterator[tuple[int, int, Deadline]]:
    for match in DEADLINE_IN_TEXT.finditer(text):
        normalised = normalise_deadline(match.group(0))
        if normalised.understood:
            yield match.start(), match.end(), normalised.deadline


_UNSURE = (-1, -1)
NON_SPACE = re.compile(r"\S+")


class _Tokens:
    """The tokens the blank Vietnamese tokenizer makes of a text (spacy.util.get_words_and_spaces over
    `text.split()`): each run of non-space characters, with one following " " as its trailing space; any other
    whitespace (a newline, a tab, a second space, leading space) is a token of its own."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []  # the token's own end (without its trailing space)
        self.size = len(text)
        position = 0
        for match in NON_SPACE.finditer(text):
            start, end = match.span()
            if start > position:
                self.starts.append(position)
                self.ends.append(start)
            self.starts.append(start)
            self.ends.append(end)
            position = end + 1 if end < self.size and text[end] == " " else end
        if position < self.size:
            self.starts.append(position)
            self.ends.append(self.size)

    def _at(self, char: int) -> int:
        """The token whose characters (with its trailing space) include `char`, or -1 (Doc's token_by_char)."""
        if char < 0 or char >= self.size or not self.starts:
            return -1
        return bisect_right(self.starts, char) - 1

    def expand(self, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) widened to whole tokens as `Doc.char_span(start, end, alignment_mode="expand")` widens
        it; None where char_span gives None, _UNSURE where it would give an empty span."""
        first = self._at(start)
        last = self._at(end - 1)
        if first < 0 or last < 0:
            return None
        if start == self.ends[first]:  # on the trailing space: the span starts at the next token
            first += 1
        if first > last:
            return _UNSURE
        return self.starts[first], self.ends[last]


def annotate_with_spacy(text: str, jurisdiction: str | None = None) -> Annotations:
    """Run the spaCy pipeline on one text: the reference that :func:`annotate` answers as."""
    nlp = pipeline()
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text  # the tokenizer keeps the text exactly: doc.text == text
    doc._.jurisdiction = jurisdiction
    for _, component in nlp.pipeline:
        doc = component(doc)
    spans = list(doc.spans.get(SPAN_KEY, []))
    # A date or number inside a legal reference ("ngày 22 tháng 12 năm 2024") is not a deadline or target.
    legal = [(s.start_char, s.end_char) for s in spans if s.label_ == "LEGAL_REF"]
    spans = [s for s in spans if s.label_ == "LEGAL_REF" or not any(a <= s.start_char < b for a, b in legal)]
    return Annotations(
        text=text,
        legal_refs=tuple(s._.value for s in spans if s.label_ == "LEGAL_REF"),
        agencies=tuple((s.start_char, s.end_char, s._.value) for s in spans if s.label_ == "AGENCY"),
        deadlines=tuple((s.start_char, s.end_char, s._.value) for s in spans if s.label_ == "DEADLINE"),
        targets=tuple(s._.value for s in spans if s.label_ == "TARGET"),
    )
