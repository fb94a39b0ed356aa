"""What a user query may be, decided by parsing it: the read subset of Cypher, allowed, not filtered.

User Cypher (`plangraph cypher`, `POST /cypher`) is tokenized and parsed here, on the text
exactly as the engine will receive it, before either engine sees it. What is admitted:

- clauses: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT,
  UNION [ALL], and CALL of a read-only procedure on :data:`PROCEDURES`;
- expressions: literals, parameters, properties, lists, maps, CASE, list comprehensions,
  quantifiers (all/any/none/single), reduce, EXISTS { … } and COUNT { … } subqueries, pattern
  predicates, and calls of the functions on :data:`FUNCTIONS`.

Everything else is refused with the reason (:class:`QueryRefused`, HTTP 403): writes, LOAD FROM
and LOAD CSV (server files: `LOAD WITH HEADERS … FROM '/etc/passwd'`), COPY, EXPORT, INSTALL,
ATTACH, USE, transactions, settings (`` CALL `threads`=1 ``), unknown functions and procedures.
Outside strings and comments only ASCII is admitted: the embedded engine reads U+180E, U+00A0,
U+2028, U+3000 … as spaces where Python's `\\s` does not (`LOAD<U+180E>FROM` was let through by the
keyword filter this module replaces), so any other character is refused instead of guessed at.
Strings admit only the escapes both engines read the same way, so both agree where a string ends.

Limits are checked before anything runs (:class:`Limits`): text length, nesting depth (a 10,000
deep `RETURN ((((…))))` is refused, not recursed into), parameter size and depth.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from plangraph.errors import QueryError, QueryRefused, QueryTooLarge
from plangraph.store.base import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, QueryResult, Reader


@dataclass(frozen=True)
class Limits:
    """Bounds on a user query, checked before the engine sees it."""

    max_chars: int = 20_000  # the longest named query is under 1,500 characters
    max_depth: int = 64  # nested expressions, lists, maps, subqueries
    max_param_bytes: int = 1_000_000  # the parameters as JSON
    max_param_depth: int = 8  # nested lists and maps in a parameter value
    # Literal maps and lists in the text: each map is a struct the engine builds and binds (2,000 small maps
    # took the engine half a second of CPU, 20 KB of nested ones 1.5 s); a read of the graph writes few.
    max_maps: int = 256
    max_lists: int = 1_024


DEFAULT_LIMITS = Limits()

# Read-only functions a user query may call (lower case). Both engines' spellings where they differ
# (toLower / lower, size / length / list functions of the embedded engine). Anything not listed is
# refused: an allow-list, so a new engine function that reads files or changes state is never let in.
FUNCTIONS = frozenset(
    """
    count sum avg min max collect stdev stdevp percentilecont percentiledisc
    abs ceil floor round sign sqrt exp log log10 log2 ln pi e rand sin cos tan asin acos atan atan2
    degrees radians haversin cot factorial gamma even odd
    tolower toupper lower upper lcase ucase trim ltrim rtrim btrim substring substr left right replace
    split reverse tostring tointeger tofloat toboolean tostringornull tointegerornull tofloatornull
    tobooleanornull string_split concat contains starts_with ends_with prefix suffix lpad rpad
    repeat initcap levenshtein array_extract list_extract list_element
    size length coalesce head last tail range keys labels label type id elementid properties nodes
    relationships rels startnode endnode exists isempty
    list_concat list_cat array_concat list_append list_prepend list_contains list_has array_contains
    list_position list_indexof list_distinct list_unique list_sort list_reverse_sort list_sum
    list_product list_any_value list_slice list_reverse list_to_string list_transform list_filter
    list_reduce list_has_all array_slice
    date datetime localdatetime localtime time duration timestamp date_part datepart date_trunc
    datetrunc dayname monthname last_day greatest least make_date century epoch_ms to_epoch_ms
    interval_to_seconds to_days to_hours to_minutes to_seconds to_years to_months
    cast typeof nullif all any none single reduce
    """.split()
)
# Read-only procedures (CALL name(args)): the embedded engine's catalog views, Neo4j's schema ones.
PROCEDURES = frozenset(
    {
        "show_tables",
        "table_info",
        "show_connection",
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
    }
)
# Type names after AS in CAST(expr AS type) (the embedded engine's casts).
TYPES = frozenset(
    "STRING INT64 INT32 INT16 INT8 INT128 UINT64 UINT32 UINT16 UINT8 DOUBLE FLOAT BOOLEAN BOOL DATE "
    "TIMESTAMP INTERVAL BLOB UUID SERIAL".split()
)
KEYWORDS = frozenset(
    "MATCH OPTIONAL WHERE WITH UNWIND RETURN ORDER BY SKIP LIMIT UNION ALL AS DISTINCT ASC ASCENDING DESC "
    "DESCENDING AND OR XOR NOT IN STARTS ENDS CONTAINS IS NULL TRUE FALSE CASE WHEN THEN ELSE END CALL YIELD "
    "EXISTS COUNT".split()
)

# Token kinds.
NAME, QNAME, STRING_LIT, NUMBER, PARAM, PUNCT, EOF = "name", "qname", "string", "number", "param", "punct", "eof"
# Punctuation, longest first.
PUNCTUATION = ("..", "<>", "!=", "<=", ">=", "=~", *"()[]{},.:;|=<>+-*/%^")
PUNCTUATION_SET = frozenset(PUNCTUATION)
TWO_CHAR_PUNCTUATION = frozenset(p for p in PUNCTUATION if len(p) == 2)
NUMBER_RE = re.compile(r"(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The escapes both engines read alike inside a string ('\u0041', "\n", '\'').
ESCAPE_RE = re.compile(r"\\(?:[\\'\"bfnrt]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
ALLOWED_SPACE = " \t\n\r"
# The parse's step budget per token (see _Parser.step): a query of nested maps 64 deep costs under 40.
STEPS_PER_TOKEN = 64


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int
    end: int  # where the token's spelling ends in the query (exclusive)

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == NAME else ""


def _where(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def tokenize(query: str) -> list[Token]:
    """The tokens of `query`; QueryRefused for any character or escape the engines could read differently."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in ALLOWED_SPACE:
            i += 1
        elif c == "/" and query.startswith("//", i):
            end = query.find("\n", i)
            end = n if end < 0 else end
            _check_comment(query, i, end)
            i = end
        elif c == "/" and query.startswith("/*", i):
            end = _block_comment_end(query, i)
            _check_comment(query, i, end)
            i = end + 2
        elif c in "'\"":
            i = _string(query, i, tokens)
        elif c == "`":
            end = query.find("`", i + 1)
            if end < 0:
                raise QueryError(f"a `quoted name` opened at {_where(query, i)} is not closed")
            name = query[i + 1 : end]
            if not name or any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in name):
                raise QueryRefused(
                    f"the quoted name at {_where(query, i)} is empty or holds control or space characters"
                )
            tokens.append(Token(QNAME, name, i, end + 1))
            i = end + 1
        elif c == "$":
            match = NAME_RE.match(query, i + 1) or re.compile(r"\d+").match(query, i + 1)
            if not match:
                raise QueryRefused(f"a parameter at {_where(query, i)} must be $name (letters, digits, _)")
            tokens.append(Token(PARAM, match.group(0), i, match.end()))
            i = match.end()
        elif c.isascii() and c.isdigit() or (c == "." and i + 1 < n and query[i + 1].isdigit()):
            match = NUMBER_RE.match(query, i)
            assert match is not None
            if match.end() < n and (query[match.end()].isalnum() or query[match.end()] == "_"):
                raise QueryRefused(f"the number at {_where(query, i)} runs into letters (hex and octal are not read)")
            tokens.append(Token(NUMBER, match.group(0), i, match.end()))
            i = match.end()
        elif c.isascii() and (c.isalpha() or c == "_"):
            match = NAME_RE.match(query, i)
            assert match is not None
            tokens.append(Token(NAME, match.group(0), i, match.end()))
            i = match.end()
        else:
            p = query[i : i + 2]
            if p not in TWO_CHAR_PUNCTUATION:
                p = c
            if p in PUNCTUATION_SET:
                tokens.append(Token(PUNCT, p, i, i + len(p)))
                i += len(p)
            else:
                if c.isascii():
                    raise QueryRefused(f"the character {c!r} at {_where(query, i)} is not part of the read subset")
                raise QueryRefused(
                    f"the character {_describe(c)} at {_where(query, i)} is not allowed outside strings: the engine "
                    "may read it as a space or a letter. Write names in ASCII or `quote them`."
                )
    tokens.append(Token(EOF, "", n, n))
    return tokens


def _block_comment_end(query: str, start: int) -> int:
    """Where the block comment opened at `start` closes (the offset of its `*/`).

    Engines disagree here: Neo4j closes a comment at the first `*/`; the embedded engine's grammar reads
    the body as pairs (`*` takes the character after it), so `/* **/` or `/***/` does not close at
    that `*/` and the comment runs on. A comment the two readings close at different places is
    refused: a guard that reads a comment differently from the engine lets the engine run what the
    guard took for a comment (the text sent is the guard's own serialisation, so even then the engine
    never sees the comment; this keeps the guard's reading the one every engine would make)."""
    first = query.find("*/", start + 2)
    i, n = start + 2, len(query)
    paired = -1
    while i < n:
        if query[i] == "*":
            if i + 1 < n and query[i + 1] == "/":
                paired = i
                break
            i += 2
        else:
            i += 1
    if first < 0 and paired < 0:
        raise QueryError(f"a comment opened at {_where(query, start)} is not closed with */")
    if first != paired:
        raise QueryRefused(
            f"the comment opened at {_where(query, start)} has a run of stars before */ that engines read "
            "differently (one closes it there, another does not); write the comment without '*' before '*/'"
        )
    return first


def _check_comment(query: str, start: int, end: int) -> None:
    for ch in query[start:end]:
        if ch != "\t" and (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch == "\r"):
            raise QueryRefused(f"the comment at {_where(query, start)} holds the control character {_describe(ch)}")


def _string(query: str, start: int, tokens: list[Token]) -> int:
    quote, i, n = query[start], start + 1, len(query)
    while i < n:
        c = query[i]
        if c == quote:
            tokens.append(Token(STRING_LIT, query[start : i + 1], start, i + 1))
            return i + 1
        if c == "\\":
            match = ESCAPE_RE.match(query, i)
            if not match:
                raise QueryRefused(
                    f"the escape {query[i : i + 2]!r} at {_where(query, i)} is not one both engines read alike "
                    "(use \\\\, \\', \\\", \\n, \\t, \\r, \\b, \\f, or \\u with four hex digits)"
                )
            code = match.group(0)[2:]
            if code and (int(code, 16) == 0 or 0xD800 <= int(code, 16) <= 0xDFFF or int(code, 16) > 0x10FFFF):
                raise QueryRefused(
                    f"the escape {match.group(0)!r} at {_where(query, i)} is NUL, a lone surrogate or past Unicode: "
                    "strings hold text"
                )
            i = match.end()
            continue
        if unicodedata.category(c) == "Cc" and c not in "\t\n":
            raise QueryRefused(f"the string at {_where(query, start)} holds the control character {_describe(c)}")
        i += 1
    raise QueryError(f"the string opened at {_where(query, start)} is not closed")


SIMPLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def string_value(literal: str) -> str:
    """The text a string literal the tokenizer admitted stands for (its escapes read as both engines read them)."""
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
        elif body[i + 1] in "uU":
            width = 4 if body[i + 1] == "u" else 8
            out.append(chr(int(body[i + 2 : i + 2 + width], 16)))
            i += 2 + width
        else:
            out.append(SIMPLE_ESCAPES[body[i + 1]])
            i += 2
    return "".join(out)


def string_literal(value: str, quote: str = "'") -> str:
    """`value` as a literal in `quote`s, in the one spelling every engine reads alike: printable characters
    as they are, a backslash and the quote escaped, and everything else as a \\u (or \\U) escape."""
    out = [quote]
    for c in value:
        if c == "\\" or c == quote:
            out.append("\\" + c)
        elif c.isprintable():
            out.append(c)
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    out.append(quote)
    return "".join(out)


WORD_KINDS = frozenset({"name", "qname", "number", "param", "string"})


def serialise(query: str, tokens: list[Token]) -> str:
    """The text the engine is sent: the guard's tokens, spelled back.

    Every comment becomes blanks (its line breaks kept, so the engine's line numbers still point into the
    user's text), every string literal is spelled the one way both engines read alike, every quoted name
    is re-quoted, and two words the user wrote touching get a space between them. What the engine
    receives is therefore exactly the token sequence the guard parsed: no comment, string or escape can
    be read one way here and another way there."""
    out: list[str] = []
    position = 0
    previous: Token | None = None
    for token in tokens:
        gap = query[position : token.offset]
        if gap.strip(ALLOWED_SPACE):  # a comment: blanks in its place
            gap = "".join(ch if ch == "\n" else " " for ch in gap)
        elif not gap and previous is not None and previous.kind in WORD_KINDS and token.kind in WORD_KINDS:
            gap = " "
        out.append(gap)
        if token.kind == STRING_LIT:
            out.append(string_literal(string_value(token.text), token.text[0]))
        elif token.kind == QNAME:
            out.append(f"`{token.text}`")
        elif token.kind == PARAM:
            out.append("$" + token.text)
        else:
            out.append(token.text)
        position, previous = token.end, token
    return "".join(out)


class _Parser:
    """Recursive descent over the read subset; it validates, it builds nothing."""

    def __init__(self, query: str, tokens: list[Token], limits: Limits) -> None:
        self.query, self.tokens, self.limits = query, tokens, limits
        self.i = 0
        self.depth = 0
        self._patterns: dict[int, bool] = {}
        self._closers: list[int] | None = None
        self.maps = self.lists = 0
        # A step budget linear in the input: every token taken and every token a lookahead scans costs a
        # step, so no spelling makes the check superlinear (the parse is otherwise one pass).
        self.steps = 0
        self.budget = STEPS_PER_TOKEN * len(tokens) + 1_000

    # -- tokens ---------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def at(self, *words: str) -> bool:
        return self.tok.kind == NAME and self.tok.upper in words

    def at_punct(self, *marks: str) -> bool:
        token = self.tokens[self.i]
        return token.kind == PUNCT and token.text in marks

    def take(self) -> Token:
        token = self.tok
        self.i += 1
        self.step()
        return token

    def accept(self, *words: str) -> bool:
        if self.at(*words):
            self.take()
            return True
        return False

    def accept_punct(self, *marks: str) -> bool:
        if self.at_punct(*marks):
            self.take()
            return True
        return False

    def expect(self, word: str) -> None:
        if not self.accept(word):
            self.fail(f"expected {word}")

    def expect_punct(self, mark: str) -> None:
        if not self.accept_punct(mark):
            self.fail(f"expected '{mark}'")

    def fail(self, what: str) -> None:
        token = self.tok
        found = "the end of the query" if token.kind == EOF else repr(token.text)
        raise QueryError(f"not valid Cypher at {_where(self.query, token.offset)}: {what}, found {found}")

    def refuse(self, what: str) -> None:
        raise QueryRefused(
            f"{what} (at {_where(self.query, self.tok.offset)}): user queries read the graph only — MATCH, OPTIONAL "
            "MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT, UNION and allowed functions"
        )

    def nest(self) -> None:
        self.step()
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise QueryTooLarge(f"the query nests deeper than {self.limits.max_depth} levels")

    def name(self, what: str = "a name") -> str:
        if self.tok.kind in (NAME, QNAME):
            return self.take().text
        self.fail(f"expected {what}")
        return ""

    # -- statements -----------------------------------------------------------

    def statement(self) -> None:
        self.union()
        self.accept_punct(";")
        if self.tok.kind != EOF:
            if self.tokens[self.i - 1].text == ";":
                self.refuse("several statements in one query")
            self.clause_or_refuse()

    def union(self) -> None:
        self.single(final=True)
        while self.accept("UNION"):
            self.accept("ALL")
            self.single(final=True)

    def single(self, final: bool) -> None:
        """Reading clauses and WITH, ending in RETURN (or a lone CALL)."""
        clauses = 0
        while True:
            if self.at("OPTIONAL", "MATCH"):
                self.match()
            elif self.at("UNWIND"):
                self.take()
                self.expression()
                self.expect("AS")
                self.name("a variable")
            elif self.at("WITH"):
                self.take()
                self.projection()
                if self.accept("WHERE"):
                    self.expression()
            elif self.at("CALL"):
                self.call()
                if self.tok.kind == EOF or self.at_punct(";", "}") or self.at("UNION"):
                    return
            elif self.at("RETURN"):
                self.take()
                self.projection()
                return
            else:
                if not final and clauses and self.at_punct("}"):
                    return  # EXISTS { MATCH … WHERE … } needs no RETURN
                self.clause_or_refuse()
            clauses += 1

    def clause_or_refuse(self) -> None:
        token = self.tok
        if token.kind == EOF:
            self.fail("expected RETURN")
        if token.kind == NAME and token.upper not in KEYWORDS:
            word = token.upper
            if word == "LOAD" or word == "COPY" or word == "EXPORT" or word == "IMPORT":
                self.refuse(f"{word} reads or writes server files and is not allowed")
            if word in ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "FOREACH"):
                self.refuse(f"{word} changes the graph; this entry point is read-only")
            if word in ("INSTALL", "UNINSTALL", "ATTACH", "DETACH", "USE", "BEGIN", "COMMIT", "ROLLBACK", "CHECKPOINT"):
                self.refuse(f"{word} is not allowed: no extensions, other databases, transactions or checkpoints")
            self.refuse(f"{word} is not a clause of the read subset")
        self.fail("expected a clause (MATCH, WITH, UNWIND, RETURN …)")

    def match(self) -> None:
        self.accept("OPTIONAL")
        self.expect("MATCH")
        self.pattern()
        while self.accept_punct(","):
            self.pattern()
        if self.accept("WHERE"):
            self.expression()

    def call(self) -> None:
        self.expect("CALL")
        if self.at_punct("{"):
            self.refuse("CALL { … } subqueries are not allowed")
        if self.tok.kind != NAME:
            self.refuse("CALL needs a procedure name written plainly (no `quoted` settings)")
        parts = [self.take().text]
        while self.at_punct(".") and self.peek().kind == NAME:
            self.take()
            parts.append(self.take().text)
        procedure = ".".join(parts).lower()
        if not self.at_punct("("):
            self.refuse(f"CALL {'.'.join(parts)} without arguments in parentheses sets or reads engine settings")
        if procedure not in PROCEDURES:
            self.refuse(f"the procedure {'.'.join(parts)} is not on the allow-list ({', '.join(sorted(PROCEDURES))})")
        self.arguments()
        if self.accept("YIELD"):
            if not self.accept_punct("*"):
                self.yield_item()
                while self.accept_punct(","):
                    self.yield_item()
            if self.accept("WHERE"):
                self.expression()

    def yield_item(self) -> None:
        self.name("a column")
        if self.accept("AS"):
            self.name("a variable")

    def projection(self) -> None:
        self.accept("DISTINCT")
        if not self.accept_punct("*"):
            self.item()
        while self.accept_punct(","):
            self.item()
        if self.accept("ORDER"):
            self.expect("BY")
            self.sort_item()
            while self.accept_punct(","):
                self.sort_item()
        if self.accept("SKIP"):
            self.expression()
        if self.accept("LIMIT"):
            self.expression()

    def item(self) -> None:
        self.expression()
        if self.accept("AS"):
            self.name("a column name")

    def sort_item(self) -> None:
        self.expression()
        self.accept("ASC", "ASCENDING", "DESC", "DESCENDING")

    # -- patterns -------------------------------------------------------------

    def pattern(self) -> None:
        if self.tok.kind in (NAME, QNAME) and self.peek().text == "=" and self.peek().kind == PUNCT:
            self.take()
            self.take()
        if self.at("SHORTESTPATH", "ALLSHORTESTPATHS") and self.peek().text == "(":
            self.take()
            self.expect_punct("(")
            self.path()
            self.expect_punct(")")
            return
        self.path()

    def path(self) -> int:
        """A node and (relationship, node) pairs; returns how many relationships."""
        self.node()
        hops = 0
        while self.at_punct("-", "<"):
            self.relationship()
            self.node()
            hops += 1
        return hops

    def node(self) -> None:
        self.nest()
        self.expect_punct("(")
        if self.tok.kind in (NAME, QNAME) and not self.at_punct(":"):
            self.take()
        self.labels()
        self.properties()
        if self.accept("WHERE"):
            self.expression()
        self.expect_punct(")")
        self.depth -= 1

    def labels(self) -> None:
        while self.accept_punct(":"):
            self.name("a label")
            while self.accept_punct("|"):
                self.accept_punct(":")
                self.name("a label")

    def properties(self) -> None:
        if self.at_punct("{"):
            self.map_literal()
        elif self.tok.kind == PARAM:
            self.take()

    def relationship(self) -> None:
        self.nest()
        self.accept_punct("<")
        self.expect_punct("-")
        if self.accept_punct("["):
            if self.tok.kind in (NAME, QNAME):
                self.take()
            self.labels()
            if self.accept_punct("*"):
                if self.tok.kind == NUMBER:
                    self.take()
                if self.accept_punct(".."):
                    if self.tok.kind == NUMBER:
                        self.take()
            self.properties()
            if self.accept("WHERE"):
                self.expression()
            self.expect_punct("]")
        self.expect_punct("-")
        self.accept_punct(">")
        self.depth -= 1

    # -- expressions (lowest precedence first) ----------------------------------

    def expression(self) -> None:
        self.nest()
        self.xor_expression()
        while self.accept("OR"):
            self.xor_expression()
        self.depth -= 1

    def xor_expression(self) -> None:
        self.and_expression()
        while self.accept("XOR"):
            self.and_expression()

    def and_expression(self) -> None:
        self.not_expression()
        while self.accept("AND"):
            self.not_expression()

    def not_expression(self) -> None:
        while self.accept("NOT"):
            pass
        self.comparison()

    def comparison(self) -> None:
        self.predicate()
        while self.accept_punct("=", "<>", "!=", "<", ">", "<=", ">=", "=~"):
            self.predicate()

    def predicate(self) -> None:
        self.additive()
        while True:
            if self.accept("STARTS", "ENDS"):
                self.expect("WITH")
                self.additive()
            elif self.accept("CONTAINS", "IN"):
                self.additive()
            elif self.accept("IS"):
                self.accept("NOT")
                self.expect("NULL")
            else:
                return

    def additive(self) -> None:
        self.multiplicative()
        while self.accept_punct("+", "-"):
            self.multiplicative()

    def multiplicative(self) -> None:
        self.power()
        while self.accept_punct("*", "/", "%"):
            self.power()

    def power(self) -> None:
        self.unary()
        while self.accept_punct("^"):
            self.unary()

    def unary(self) -> None:
        while self.accept_punct("+", "-"):
            pass
        self.postfix()

    def postfix(self) -> None:
        self.atom()
        while True:
            if self.at_punct(".") and self.peek().kind in (NAME, QNAME):
                self.take()
                self.take()
            elif self.accept_punct("["):
                self.nest()
                if not self.at_punct(".."):
                    self.expression()
                if self.accept_punct(".."):
                    if not self.at_punct("]"):
                        self.expression()
                self.expect_punct("]")
                self.depth -= 1
            elif self.at_punct(":") and self.peek().kind in (NAME, QNAME):
                self.labels()
            else:
                return

    def atom(self) -> None:
        token = self.tok
        if token.kind in (NUMBER, STRING_LIT, PARAM):
            self.take()
        elif token.kind == NAME and token.upper in ("TRUE", "FALSE", "NULL"):
            self.take()
        elif token.kind == NAME and token.upper == "CASE":
            self.case()
        elif token.kind == NAME and token.upper in ("EXISTS", "COUNT") and self.peek().text == "{":
            self.take()
            self.subquery()
        elif token.kind == NAME and self._at_call():
            self.function()
        elif token.kind in (NAME, QNAME):
            if token.kind == NAME and token.upper in KEYWORDS - {"COUNT", "EXISTS"}:
                self.fail("expected an expression")
            self.take()
        elif self.at_punct("["):
            self.list_expression()
        elif self.at_punct("{"):
            self.map_literal()
        elif self.at_punct("("):
            self.parenthesised()
        else:
            self.fail("expected an expression")

    def _at_call(self) -> bool:
        j = self.i
        while self.tokens[j].kind == NAME and self.tokens[j + 1].text == "." and self.tokens[j + 2].kind == NAME:
            j += 2
        return self.tokens[j].kind == NAME and self.tokens[j + 1].kind == PUNCT and self.tokens[j + 1].text == "("

    def function(self) -> None:
        parts = [self.take().text]
        while self.at_punct("."):
            self.take()
            parts.append(self.take().text)
        name = ".".join(parts).lower()
        if name not in FUNCTIONS:
            self.refuse(f"the function {'.'.join(parts)} is not on the allow-list of read-only functions")
        self.nest()
        self.expect_punct("(")
        if name == "count" and self.accept_punct("*"):
            self.expect_punct(")")
        elif name in ("all", "any", "none", "single"):
            self._filter()
            self.expect_punct(")")
        elif name == "reduce":
            self.name("an accumulator")
            self.expect_punct("=")
            self.expression()
            self.expect_punct(",")
            self._filter()
            self.expect_punct("|")
            self.expression()
            self.expect_punct(")")
        elif name == "cast":
            self.expression()
            if self.accept("AS"):
                kind = self.name("a type").upper()
                if kind not in TYPES:
                    self.refuse(f"CAST to {kind} is not allowed")
                while self.accept_punct("["):
                    self.expect_punct("]")
            else:
                self.expect_punct(",")
                self.expression()
            self.expect_punct(")")
        else:
            self.accept("DISTINCT")
            self._rest_of_arguments()
        self.depth -= 1

    def arguments(self) -> None:
        self.nest()
        self.expect_punct("(")
        self._rest_of_arguments()
        self.depth -= 1

    def _rest_of_arguments(self) -> None:
        if not self.accept_punct(")"):
            self.expression()
            while self.accept_punct(","):
                self.expression()
            self.expect_punct(")")

    def _filter(self) -> None:
        """`x IN list WHERE predicate` (quantifiers)."""
        self.name("a variable")
        self.expect("IN")
        self.expression()
        if self.accept("WHERE"):
            self.expression()

    def case(self) -> None:
        self.nest()
        self.expect("CASE")
        if not self.at("WHEN"):
            self.expression()
        if not self.at("WHEN"):
            self.fail("expected WHEN")
        while self.accept("WHEN"):
            self.expression()
            self.expect("THEN")
            self.expression()
        if self.accept("ELSE"):
            self.expression()
        self.expect("END")
        self.depth -= 1

    def subquery(self) -> None:
        self.nest()
        self.expect_punct("{")
        if self.at("OPTIONAL", "MATCH", "WITH", "UNWIND", "CALL", "RETURN"):
            self.single(final=False)
            while self.accept("UNION"):
                self.accept("ALL")
                self.single(final=False)
        else:
            self.pattern()
            while self.accept_punct(","):
                self.pattern()
            if self.accept("WHERE"):
                self.expression()
        self.expect_punct("}")
        self.depth -= 1

    def list_expression(self) -> None:
        self.lists += 1
        if self.lists > self.limits.max_lists:
            raise QueryTooLarge(
                f"the query writes more than {self.limits.max_lists} literal lists; pass data as parameters"
            )
        self.nest()
        self.expect_punct("[")
        is_comprehension = self.tok.kind in (NAME, QNAME) and self.peek().kind == NAME and self.peek().upper == "IN"
        if is_comprehension:
            self._filter()
            if self.accept_punct("|"):
                self.expression()
        elif self.at_punct("(") and self._pattern_ahead():
            self.refuse("pattern comprehensions are not in the read subset; use OPTIONAL MATCH and collect()")
        elif not self.at_punct("]"):
            self.expression()
            while self.accept_punct(","):
                self.expression()
        self.expect_punct("]")
        self.depth -= 1

    def map_literal(self) -> None:
        self.maps += 1
        if self.maps > self.limits.max_maps:
            raise QueryTooLarge(
                f"the query writes more than {self.limits.max_maps} literal maps; pass data as parameters"
            )
        self.nest()
        self.expect_punct("{")
        if not self.at_punct("}"):
            self._entry()
            while self.accept_punct(","):
                self._entry()
        self.expect_punct("}")
        self.depth -= 1

    def _entry(self) -> None:
        self.name("a key")
        self.expect_punct(":")
        self.expression()

    def parenthesised(self) -> None:
        """`(expr)`, or a pattern predicate `(a)-[:X]->(b)`."""
        if self._pattern_ahead():
            self.path()
            return
        self.nest()
        self.expect_punct("(")
        self.expression()
        self.expect_punct(")")
        self.depth -= 1

    def _pattern_ahead(self) -> bool:
        """Whether the tokens from here read as a node pattern followed by a relationship: `(` [name]
        [:Label …] [{…} or $param] [WHERE …] `)` then `-[`, `--`, `->` or `<-`. A scan of the tokens, not a
        parse (a parse here, then again for real, doubled the work at every nesting level: `({k: ({k: …})})`
        took minutes); remembered per position, so each token is scanned a bounded number of times."""
        known = self._patterns.get(self.i)
        if known is not None:
            return known
        answer = self._scan_node(self.i)
        self._patterns[self.i] = answer
        return answer

    def _scan_node(self, j: int) -> bool:
        tokens = self.tokens
        if tokens[j].text != "(" or tokens[j].kind != PUNCT:
            return False
        close = self._closing()[j]
        if close < 0:
            return False
        j += 1
        if tokens[j].kind in (NAME, QNAME) and not (tokens[j].kind == NAME and tokens[j].upper == "WHERE"):
            j += 1
        while tokens[j].kind == PUNCT and tokens[j].text == ":":
            if tokens[j + 1].kind not in (NAME, QNAME):
                return False
            j += 2
            while tokens[j].kind == PUNCT and tokens[j].text == "|":
                j += 1
                if tokens[j].kind == PUNCT and tokens[j].text == ":":
                    j += 1
                if tokens[j].kind not in (NAME, QNAME):
                    return False
                j += 1
        if tokens[j].kind == PARAM:
            j += 1
        elif tokens[j].kind == PUNCT and tokens[j].text == "{":
            j = self._closing()[j] + 1
            if j == 0:
                return False
        if tokens[j].kind == NAME and tokens[j].upper == "WHERE":
            j = close
        if j != close:
            return False
        after, next_ = tokens[j + 1], tokens[min(j + 2, len(tokens) - 1)]
        return after.kind == PUNCT and after.text in ("-", "<") and next_.text in ("-", "[", ">")

    def _closing(self) -> list[int]:
        """For each opening bracket token, the index of the token that closes it (-1: unbalanced); one pass."""
        if self._closers is None:
            closers = [-1] * len(self.tokens)
            stack: list[int] = []
            pairs = {")": "(", "]": "[", "}": "{"}
            for index, token in enumerate(self.tokens):
                if token.kind != PUNCT:
                    continue
                if token.text in "([{":
                    stack.append(index)
                elif token.text in pairs:
                    if stack and self.tokens[stack[-1]].text == pairs[token.text]:
                        closers[stack.pop()] = index
                    else:
                        stack.clear()  # unbalanced: what is open stays unmatched (-1)
            self._closers = closers
        return self._closers

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise QueryTooLarge(
                "the query is too intricate to check in bounded time (deeply nested maps, lists or parentheses); "
                "simplify it"
            )


def check_params(params: dict[str, Any] | None, limits: Limits = DEFAULT_LIMITS) -> None:
    """Parameters are bounded in size and depth and named like Cypher parameters."""
    if not params:
        return
    if not isinstance(params, dict):
        raise QueryError("parameters must be an object of name → value")
    for name in params:
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            raise QueryError(f"the parameter name {name!r} is not a Cypher name (letters, digits, _)")
    try:
        size = len(json.dumps(params, ensure_ascii=False, default=str).encode("utf-8"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise QueryError(f"the parameters cannot be encoded: {exc}") from exc
    if size > limits.max_param_bytes:
        raise QueryTooLarge(f"the parameters take {size:,} bytes; the limit is {limits.max_param_bytes:,}")
    for depth in _depths(params, 0):
        if depth > limits.max_param_depth:
            raise QueryTooLarge(f"a parameter value nests deeper than {limits.max_param_depth} levels")


def _depths(value: Any, depth: int) -> Iterator[int]:
    """The depth of every value, lazily: the caller stops at the first one past its limit, so a hostile
    nesting is never walked further than that."""
    yield depth
    if isinstance(value, dict):
        for item in value.values():
            yield from _depths(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _depths(item, depth + 1)


def check_user_query(query: str, params: dict[str, Any] | None = None, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text to send the engine for `query` (with `params`): the guard's own serialisation of what it
    parsed (:func:`serialise`), never the user's text. Raises QueryRefused (outside the read subset, 403),
    QueryTooLarge (over the limits, 413) or QueryError (not valid Cypher, 400)."""
    if not isinstance(query, str):
        raise QueryError("the query must be a string")
    if len(query) > limits.max_chars:
        raise QueryTooLarge(f"the query has {len(query):,} characters; the limit is {limits.max_chars:,}")
    check_params(params, limits)
    tokens = tokenize(query)
    if tokens[0].kind == EOF or (tokens[0].text == ";" and tokens[1].kind == EOF):
        raise QueryError("the query is empty; send one Cypher statement, e.g. MATCH (p:Plan) RETURN p.code LIMIT 5")
    _Parser(query, tokens, limits).statement()
    if tokens[-2].kind == PUNCT and tokens[-2].text == ";":
        tokens = [*tokens[:-2], tokens[-1]]  # a closing ';' is not sent: the engine gets one statement
    return serialise(query, tokens)


def run_user_query(
    reader: Reader,
    query: str,
    params: dict[str, Any] | None = None,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
    limits: Limits = DEFAULT_LIMITS,
) -> QueryResult:
    """Parse a user's Cypher, then run the guard's serialisation of it (not the text as sent) on `reader`
    (a read-only store, or a pool of query workers, whose workers parse it themselves in their sandbox)."""
    run_user = getattr(reader, "run_user", None)
    if run_user is not None:
        result: QueryResult = run_user(query, params, row_limit, timeout_ms, limits)
        return result
    text = check_user_query(query, params, limits)
    return reader.run_read(text, params, row_limit=row_limit, timeout_ms=timeout_ms)
