"""Tasks assigned in the body of a plan, outside its tables.

Plans assign standing duties in prose, mostly under "TỔ CHỨC THỰC HIỆN":

- a heading that gives work to a body, followed by its duties, one per
  paragraph or "- " item: "2. Giao phòng Chuyển đổi số" (002 §III.2),
  "2. Sở Khoa học và Công nghệ - Cơ quan thường trực Ban Chỉ đạo tỉnh"
  (004 §III.2), "5. Ủy ban nhân dân các xã, phường" (004 §III.5);
- a numbered line that names the body and its duty at once: "4. Giao Văn phòng:
  Văn phòng Sở triển khai …", "5. Ban Giám đốc Sở thường xuyên chỉ đạo …" (002);
- a lettered item whose subject is a body or its head: "a) Tổ trưởng các Tổ
  công tác của Ban Chỉ đạo tỉnh … chỉ đạo quyết liệt …" (004 §II.1).

Each becomes a task led by that body, with ref "§<section>.<n>" (the "§" marks
the plan's text, apart from its appendix tables). Lettered items that only point
to an appendix ("… (Phụ lục số I kèm theo)") are not tasks: the appendix holds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plangraph import vocabulary
from plangraph.ingest.agencies import split_agencies
from plangraph.ingest.legal import IMPLEMENTING_CUE
from plangraph.ingest.nlp import agency_names, annotate
from plangraph.model import AgencyMention, Deadline, Heading, Paragraph, TaskRecord
from plangraph.reference import registry

# "2. Giao phòng Chuyển đổi số", "4. Giao Văn phòng: Văn phòng Sở triển khai …".
GIVEN_TO = re.compile(r"^(?P<num>\d{1,2})\.\s*Giao\s+(?P<agency>[^:]+?)\s*(?::\s*(?P<rest>.*))?$")
# "2. Sở Khoa học và Công nghệ - Cơ quan thường trực Ban Chỉ đạo tỉnh".
STANDING_BODY = re.compile(r"^(?P<num>\d{1,2})\.\s*(?P<agency>.+?)\s+[-–]\s+(?:Cơ quan|Đơn vị)\s+thường trực\b.*$")
# "5. Ủy ban nhân dân các xã, phường" / "5. Ban Giám đốc Sở thường xuyên chỉ đạo …".
NUMBERED = re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<text>\S.*)$")
LETTERED = re.compile(r"^(?P<letter>[a-zđ])\)\s+(?P<text>\S.*)$")
ROMAN_HEADING = re.compile(r"^(?P<code>" + vocabulary.ROMAN_NUMERAL + r")\.\s+(?P<title>\S.*)$")
ORGANISING = re.compile(r"tổ chức thực hiện", re.IGNORECASE)
APPENDIX_POINTER = re.compile(r"Phụ lục[^)]*kèm theo", re.IGNORECASE)
BULLET = re.compile(r"^[-–•+]\s+")
# The closing lines of a plan: "Trên đây là Kế hoạch …", "Nơi nhận:".
END_OF_BODY = re.compile(r"^(?:Trên đây|Nơi nhận)")


@dataclass
class _Block:
    section: str
    agency: str
    accountable: str | None = None
    items: list[tuple[int, str]] = field(default_factory=list)  # (line, text)


def _posts() -> re.Pattern[str]:
    posts = sorted(registry().posts, key=len, reverse=True)
    return re.compile(r"^(?P<post>(?:" + "|".join(re.escape(p) for p in posts) + r"))\s+", re.IGNORECASE)


def _agency_at_start(text: str) -> tuple[str, str | None, str] | None:
    """(agency, post, rest) when `text` begins with a known body, optionally after a post."""
    post = _posts().match(text)
    body_start = post.end() if post else 0
    match = agency_names().match(text, body_start)
    if match is None:
        return None
    end = match.end()
    # Extend over a qualifier that belongs to the body: "Các Tổ công tác của Ban Chỉ đạo tỉnh".
    tail = re.match(r"\s+của\s+Ban Chỉ đạo(?: tỉnh)?", text[end:])
    if tail:
        end += tail.end()
    return text[body_start:end].strip(), (post.group("post") if post else None), text[end:].strip()


def prose_tasks(blocks: tuple[Heading | Paragraph, ...], context: str | None, file: str) -> list[TaskRecord]:
    """Tasks assigned in the text of the plan (see module docstring)."""
    out: list[_Block] = []
    roman, sub, in_organising = "", "", False
    current: _Block | None = None
    lettered: _Block | None = None  # the last lettered duty, which a lower-case paragraph continues

    def close() -> None:
        nonlocal current
        if current is not None and current.items:
            out.append(current)
        current = None

    for block in blocks:
        text = block.text.strip()
        if lettered is not None and text[:1].islower():
            line, previous = lettered.items[-1]
            lettered.items[-1] = (line, f"{previous} {text}")
            continue
        lettered = None
        if m := ROMAN_HEADING.match(text):
            close()
            roman, sub, in_organising = m.group("code"), m.group("code"), bool(ORGANISING.search(m.group("title")))
            continue
        if m := GIVEN_TO.match(text):
            close()
            current = _Block(f"{roman}.{m.group('num')}", m.group("agency"))
            if m.group("rest"):
                current.items.append((block.line, m.group("rest")))
                close()
            continue
        if m := STANDING_BODY.match(text):
            close()
            current = _Block(f"{roman}.{m.group('num')}", m.group("agency"))
            continue
        if END_OF_BODY.match(text):
            close()
            in_organising = False
            continue
        if in_organising and (m := NUMBERED.match(text)) and len(text) < 300:
            close()
            found = _agency_at_start(m.group("text"))
            if found is None or isinstance(block, Heading):
                current = _Block(
                    f"{roman}.{m.group('num')}", m.group("text").rstrip(":.")
                )  # the heading names the body
                continue
            agency, post, rest = found
            current = _Block(f"{roman}.{m.group('num')}", agency, post)
            if rest:  # "Ban Giám đốc Sở thường xuyên chỉ đạo …": the duty on the same line
                current.items.append((block.line, m.group("text")))
                close()
            continue
        if (m := LETTERED.match(text)) and not APPENDIX_POINTER.search(text):
            found = _agency_at_start(m.group("text"))
            if found is not None and found[2]:
                close()
                agency, post, _ = found
                lettered = _Block(f"{sub}.{m.group('letter')}", agency, post, [(block.line, m.group("text"))])
                out.append(lettered)
            continue
        if not in_organising and (m := NUMBERED.match(text)) and len(text) < 300:
            sub = f"{roman}.{m.group('num')}"  # "1. Chỉ đạo, đôn đốc …": items a), b) … below it
            continue
        if current is None:
            continue
        if isinstance(block, Heading) and not BULLET.match(text):
            close()
            continue
        item = BULLET.sub("", text)
        if current.items and item[:1].islower():  # "… Tập trung chỉ đạo hoàn thành / các mục tiêu …"
            line, previous = current.items[-1]
            current.items[-1] = (line, f"{previous} {item}")
        else:
            current.items.append((block.line, item))
    close()
    return [task for block in out for task in _tasks_of(block, context, file)]


def _tasks_of(block: _Block, context: str | None, file: str) -> list[TaskRecord]:
    lead = split_agencies(block.agency) or (AgencyMention(block.agency),)
    tasks = []
    single = len(block.items) == 1
    for n, (line, text) in enumerate(block.items, start=1):
        refs = annotate(text, context).legal_refs
        implements = tuple(r for r in refs if IMPLEMENTING_CUE.search(text[: r.start]))
        cites = tuple(r for r in refs if r not in implements)
        tasks.append(
            TaskRecord(
                ref=f"§{block.section}" if single else f"§{block.section}.{n}",
                section=block.section,
                section_title="",
                title=text.rstrip(" ."),
                products="",
                due=Deadline(text=""),
                status="open",
                lead=lead,
                support=(),
                accountable=block.accountable,
                line=line,
                source_text=text,
                cites=cites,
                implements=implements,
            )
        )
    return tasks
