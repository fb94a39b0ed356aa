"""One exception root, one subclass per stage, and the coded data-quality findings.

Exceptions stop the processing of one document (or one command); findings are
collected into the load report and never stop anything (DESIGN.md §4, §7.6).
"""

from __future__ import annotations


class PlangraphError(Exception):
    """Root of every error plangraph raises on purpose.

    Messages say what happened, where, and what to do.
    """


class ReadError(PlangraphError):
    """The bytes of a file could not be turned into text."""


class FormatError(PlangraphError):
    """No loader recognises the document, or it is not a plan."""


class ParseError(PlangraphError):
    """A loader could not parse a document it accepted."""


class LoadTimeLimit(PlangraphError):
    """A load stopped at its time limit (plangraph load --time-limit): what was written before it is whole; what
    was not, is not in the store."""

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class StoreError(PlangraphError):
    """The graph store refused an operation or could not be reached."""


class QueryError(PlangraphError):
    """A query is unknown, malformed, or was given bad parameters."""


class ReadOnlyViolation(QueryError):
    """A query tried to change the graph through a read-only entry point."""


class QueryRefused(ReadOnlyViolation):
    """A user query is outside the read subset (plangraph.store.guard): HTTP 403."""


class QueryTooLarge(QueryError):
    """A user query's text or parameters exceed their limits: HTTP 413."""


class QueryLimitExceeded(QueryError):
    """A query was stopped at a limit: time, memory or result size. HTTP 422."""


class UsageError(QueryError):
    """A named query was run without a parameter it needs: HTTP 422, exit code 2."""


class NotFound(QueryError):
    """What a request names (a plan, task, agency, mandate, named query) does not exist: HTTP 404."""


class NoMatch(NotFound):
    """A name in a named query's parameters matches nothing the store holds (an agency, a place, a plan): HTTP
    404, exit code 1 (an answer, not a usage error), with the closest names."""


# Finding codes (spaCy style): attributes, so a mistyped code fails where it is written, e.g.
# `Finding(Warnings.W205, …)`. W1xx: document structure; W2xx: fields; W3xx: metadata; W4xx: reading the
# file (OCR). Keep this table in step
# with the README section "The load report" (tests/test_docs.py checks it).


class Code(str):
    """A finding code ("W205") that also carries what it means."""

    description: str

    def __new__(cls, code: str, description: str) -> Code:
        value = super().__new__(cls, code)
        value.description = description
        return value

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]  # pickled from the parse workers
        return str(self), self.description


class Warnings:
    W101 = Code("W101", "section declares a task count that differs from the tasks it lists")
    W102 = Code("W102", "task numbering has a gap")
    W103 = Code("W103", "task numbering restarts or repeats")
    W104 = Code("W104", "row has cells that could not be assigned to a column")
    W105 = Code("W105", "continuation row with no row before it")
    W106 = Code("W106", "table without a recognisable header")
    W107 = Code("W107", "rows repeat an earlier row exactly")
    W201 = Code("W201", "task has no lead agency")
    W202 = Code("W202", "deadline not understood")
    W203 = Code("W203", "task has no title")
    W204 = Code("W204", "footnote marker without footnote text")
    W205 = Code("W205", "agency mention not in the registry (kept as its own agency)")
    W206 = Code("W206", "a paragraph reads as an assignment (a cue and a body) but no task was read from it")
    W207 = Code("W207", "a task's lead is given in another document (cited), not named")
    W208 = Code("W208", "a paragraph read as one duty holds several items run together (item marks garbled by OCR)")
    W301 = Code("W301", "plan number is blank (draft)")
    W302 = Code("W302", "issue date incomplete or missing")
    W303 = Code("W303", "issuer or province not found")
    W304 = Code("W304", "document contains no tasks")
    W305 = Code("W305", "commune not in the official register, or a name several provinces share")
    W401 = Code("W401", "pages read by OCR (a scan), with their mean confidence")
    W402 = Code("W402", "page read by OCR with a low confidence")
    W403 = Code("W403", "page's text layer is unreadable (read by OCR instead)")
    W404 = Code("W404", "scanned page not read (OCR off, or stopped at a limit)")


CODES: dict[str, str] = {code: getattr(Warnings, code).description for code in vars(Warnings) if code[:1] == "W"}
