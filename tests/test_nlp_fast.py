"""annotate() answers as the spaCy pipeline does, without a spaCy Doc per text (issue 21, item 3).

`plangraph.ingest.nlp.annotate` finds the same spans with the same finders and widens them to the blank
Vietnamese tokenizer's token boundaries itself; `annotate_with_spacy` runs the real pipeline. They must agree on
every text: each line, cell and paragraph of the samples and the web corpus, and generated text built from the
pieces that make the widening hard (several spaces, tabs, newlines, no-break spaces, punctuation against a name).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plangraph.ingest.nlp import annotate, annotate_with_spacy

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted((ROOT / "data" / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "web").glob("*.txt"))


def texts_of(path: Path) -> set[str]:
    """Lines, tab and pipe cells, and paragraphs (runs of lines) of a document, each as it stands."""
    text = path.read_text("utf-8")
    out = {text[:20_000]}
    lines = text.split("\n")
    out.update(lines)
    for line in lines:
        out.update(re.split(r"\t|\|", line))
    out.update("\n".join(lines[i : i + 3]) for i in range(0, len(lines), 2))
    return {t for t in out if t.strip()}


def test_annotate_agrees_with_the_spacy_pipeline_on_every_text_of_the_corpus() -> None:
    checked = 0
    found = 0
    for path in DOCUMENTS:
        for text in texts_of(path):
            for jurisdiction in (None, "tỉnh Lạng Sơn"):
                fast = annotate.__wrapped__(text, jurisdiction)
                assert fast == annotate_with_spacy(text, jurisdiction), (path.name, text[:200])
                checked += 1
                found += len(fast.legal_refs) + len(fast.agencies) + len(fast.deadlines) + len(fast.targets)
    assert checked > 5_000 and found > 3_000  # the corpus's texts, and plenty of spans in them


def test_legal_refs_are_annotates_legal_references_on_every_text_of_the_corpus() -> None:
    """legal_refs (what a plan cites, searched in every paragraph) runs one finder, not four, and answers alike."""
    from plangraph.ingest.nlp import legal_refs

    found = 0
    for path in DOCUMENTS:
        for text in texts_of(path):
            for jurisdiction in (None, "tỉnh Lạng Sơn"):
                refs = legal_refs(text, jurisdiction)
                assert refs == annotate.__wrapped__(text, jurisdiction).legal_refs, (path.name, text[:200])
                found += len(refs)
    assert found > 1_000


PIECES = [
    "Sở Nội vụ",
    "sở Tài chính",
    "UBND tỉnh",
    "Công an xã",
    "Nghị quyết số 57-NQ/TW",
    "Quyết định 06/QĐ-TTg ngày 06/01/2022",
    "Luật Đất đai năm 2024",
    "tháng 12/2026",
    "Quý II/2026",
    "trước ngày 30/6/2026",
    "đạt 100%",
    "tối thiểu 80% hồ sơ",
    "chủ trì",
    "phối hợp",
    "năm 2025",
    "(",
    ")",
    ",",
    ";",
    ".",
    ":",
    "-",
    "“",
    "”",
]
GAPS = ["", " ", "  ", "\n", "\t", " \n ", "\u00a0", " - ", "\n\n"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(GAPS), st.sampled_from(PIECES)), min_size=1, max_size=12), st.sampled_from(GAPS)
)
def test_annotate_agrees_with_the_spacy_pipeline_on_generated_text(parts: list[tuple[str, str]], tail: str) -> None:
    from plangraph.ingest.nlp import legal_refs

    text = "".join(gap + piece for gap, piece in parts) + tail
    expected = annotate_with_spacy(text, None)
    assert annotate.__wrapped__(text, None) == expected
    assert legal_refs(text, None) == expected.legal_refs


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ,\n\t\u00a0", max_size=20), st.integers(-1, 21), st.integers(0, 22))
def test_token_widening_is_spacys_char_span_expand(text: str, start: int, end: int) -> None:
    """Every (start, end), including starts on a trailing space, inside whitespace tokens and out of range."""
    from plangraph.ingest.nlp import _UNSURE, _Tokens, pipeline

    doc = pipeline().make_doc(text)
    widened = _Tokens(text).expand(start, end)
    try:
        span = doc.char_span(start, end, alignment_mode="expand")
    except IndexError:  # spaCy cannot make the span (it would end before it starts): left to spaCy itself
        assert widened is _UNSURE
        return
    if widened is _UNSURE:
        assert span is not None and len(span) == 0
    elif widened is None:
        assert span is None
    else:
        assert span is not None and (span.start_char, span.end_char) == widened


def test_the_agency_trie_finds_what_the_alternation_of_names_finds() -> None:
    from plangraph.ingest.nlp import agency_names, agency_names_alternation

    trie, alternation = agency_names(), agency_names_alternation()
    found = 0
    for path in DOCUMENTS:
        for text in texts_of(path):
            spans = [m.span() for m in trie.finditer(text)]
            assert spans == [m.span() for m in alternation.finditer(text)], (path.name, text[:200])
            found += len(spans)
    assert found > 1_000


NAMES_AND_NEIGHBOURS = st.sampled_from(
    ["và", "tỉnh", "xã", ",", "(", ")", "Sở", "Sở Nội", "vụ", "UBND", "Ủy ban", "ban"]
)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_agency_trie_prefers_the_longest_name_as_the_alternation_does(data: st.DataObject) -> None:
    from plangraph.ingest.nlp import _agency_name_list, agency_names, agency_names_alternation

    names = st.sampled_from(_agency_name_list())
    parts = data.draw(st.lists(st.one_of(names, NAMES_AND_NEIGHBOURS), min_size=1, max_size=6))
    text = data.draw(st.sampled_from([" ", "", ", ", "\n"])).join(parts)
    assert [m.span() for m in agency_names().finditer(text)] == [
        m.span() for m in agency_names_alternation().finditer(text)
    ]


SPACES = st.text(alphabet="ab ,*\t\n\u00a0\u2003\u200b\u202f\u3000", max_size=30)


@settings(max_examples=400, deadline=None)
@given(SPACES)
def test_squeeze_and_plain_text_are_the_substitutions_they_skip(text: str) -> None:
    """squeeze searches before it replaces, plain_text skips the "*" step without a "*": both answer as the plain
    substitutions do, on every mix of the spaces they know and the ones they leave alone (a newline)."""
    from plangraph.ingest.text import WHITESPACE, plain_text, squeeze

    assert squeeze(text) == WHITESPACE.sub(" ", text)
    assert plain_text.__wrapped__(text) == WHITESPACE.sub(" ", re.sub(r"\*+", "", text)).strip()
