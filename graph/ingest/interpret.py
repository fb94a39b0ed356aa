"""Stage 3: Document → plan, task and indicator records, with the document's findings.

Tables are read by :mod:`plangraph.ingest.tables`; this module adds what needs the whole
document: the plan header, appendix titles and the mandates they name, refs
qualified so they are unique in the plan, narrative task statements
("a) … - Cơ quan chủ trì: …"), numbering and declared-count checks, footnote
status, deadlines and citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from plangraph import vocabulary
from plangraph.errors import Warnings
from plangraph.ingest.agencies import labelled_owners, person_or_post, split_agencies
from plangraph.ingest.deadlines import normalise_deadline, plan_period
from plangraph.ingest.header import APPENDIX_LINE, ATTACHED_TO, province_jurisdiction, read_header
from plangraph.ingest.legal import IMPLEMENTING_CUE
from plangraph.ingest.nlp import annotate, legal_refs
from plangraph.ingest.prose import due_in_text, owner_sentence, owners_in_text, prose_tasks
from plangraph.ingest.tables import DraftRow, Section, is_done, read_table
from plangraph.ingest.targets import parse_target
from plangraph.ingest.text import WHITESPACE, fold, plain_text
from plangraph.model import (
    ColumnRole,
    Deadline,
    Document,
    Finding,
    Heading,
    IndicatorRecord,
    Interpretation,
    LegalRef,
    Paragraph,
    Table,
    TargetStatement,
    TaskRecord,
)

# Inline task statements (origin "inline"): an item of the body followed by labelled fields, whatever their
# wording — "a) Tổ chức các phiên họp …" / "- Cơ quan chủ trì: …" / "- Cơ quan phối hợp: …" / "- Thời gian hoàn
# thành: …" (sample 004 §II.2); "**1. Phổ biến, giáo dục Luật …**" / "- Nội dung thực hiện: …" / "- Cơ quan thực
# hiện: Sở Nội vụ chủ trì …; Sở Tư pháp … chủ động …" / "- Thời gian thực hiện: …" (tests/data/web 172 §II);
# a number alone ("**1.**") with the task on the next line (7360 §II); "a) Nhiệm vụ: …" / "b) Cơ quan thực hiện:
# …" / "c) Thời gian thực hiện: …". The title is the item's own text, else the "Nội dung"/"Nhiệm vụ" field;
# never a label. An item without a lead field is not an inline task (with other fields, it is said: W206). Fields
# printed after a numbered item's lettered contents are the numbered item's; in a scan's text a field keeps the
# marks OCR made of its bullet ("6 b) Cơ quan phối hợp: …"), two fields may share a line, and a lead field after a
# paragraph whose number OCR garbled ("Z. Tổ chức …") makes that paragraph the item.
NARRATIVE_ITEM = re.compile(
    r"^(?:(?P<letter>[a-zđ])\)|\((?P<paren>\d{1,2}|[a-zđ])\)|(?P<number>\d{1,2}(?:\.\d{1,2})*)\.)(?:\s+(?P<text>\S.*))?$"
)
FIELD_NAME = (
    r"(?:Cơ quan|Đơn vị)(?:\s+(?:chủ trì|phối hợp|thực hiện))(?:\s+tham mưu)?(?:\s+(?:thực hiện|triển khai))?"
    r"|Chủ trì(?: thực hiện)?|Phối hợp(?: thực hiện)?|Nội dung(?: thực hiện| công việc| nhiệm vụ)?|Nhiệm vụ"
    r"|Thời gian(?: hoàn thành| thực hiện| dự kiến hoàn thành| ban hành)?|Thời hạn(?: hoàn thành| thực hiện| ban hành)?"
    r"|Tiến độ(?: thực hiện| hoàn thành)?|Sản phẩm(?: đầu ra)?|Kết quả(?: dự kiến| đầu ra)?|Dự kiến kết quả"
)
# What may stand before a field's label: its bullet or letter ("- ", "b) "), and in a scan's text the marks OCR
# made of them ("- a) ", "a) a) ", "6 b) ", "- chạc) ").
FIELD_MARK = r"(?:(?:\d{1,2}|\w{1,2})\s+)?(?:[-–•+]\s*)?(?:\w{1,4}\)\s*){0,2}"
NARRATIVE_FIELD = re.compile(
    r"^" + FIELD_MARK + r"(?P<name>" + FIELD_NAME + r")\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# A second field printed on the same line ("a) Cơ quan thực hiện: Sở Nội vụ; b) Thời gian thực hiện: Năm 2026"):
# where a value ends.
NEXT_FIELD = re.compile(r"[;,.]?\s+\w{1,2}\)\s*(?=(?:" + FIELD_NAME + r")\s*:)", re.IGNORECASE)
# A time field printed without its colon: "Thời gian thực hiện sau khi Chiến lược … được ban hành."
BARE_TIME_FIELD = re.compile(
    r"^" + FIELD_MARK + r"(?P<name>Thời (?:gian|hạn)(?: hoàn thành| thực hiện)?)\s+(?P<value>(?:sau khi|trước|trong"
    r"|từ|đến|năm|quý|tháng|ngày|thường xuyên|hằng|hàng)\s.*)$",
    re.IGNORECASE,
)
ASSIGNING_SECTION = re.compile(vocabulary.ASSIGNING_TITLE, re.IGNORECASE)
# The mark a scan garbled before an item's text ("Z. Tổ chức …" for "7. Tổ chức …").
GARBLED_ITEM = re.compile(r"^\w{1,2}[.)]\s+(?=\S)")
# Field names, folded, by role (what is not here is a deadline field: Thời gian …, Thời hạn …, Tiến độ …).
FIELD_ROLES = {
    **dict.fromkeys(
        [f"{body} {verb}" for body in ("co quan", "don vi") for verb in ("chu tri", "thuc hien")]
        + [f"{body} {verb}{tail}" for body in ("co quan", "don vi") for verb in ("chu tri", "thuc hien")
           for tail in (" tham muu", " tham muu thuc hien", " tham muu trien khai", " thuc hien", " trien khai")]
        + ["chu tri", "chu tri thuc hien"],
        ColumnRole.LEAD,
    ),
    **dict.fromkeys(
        ["co quan phoi hop", "don vi phoi hop", "phoi hop", "phoi hop thuc hien", "co quan phoi hop thuc hien",
         "don vi phoi hop thuc hien"],
        ColumnRole.SUPPORT,
    ),
    **dict.fromkeys(
        ["san pham", "san pham dau ra", "ket qua", "ket qua du kien", "ket qua dau ra", "du kien ket qua"],
        ColumnRole.PRODUCTS,
    ),
    **dict.fromkeys(["noi dung", "noi dung thuc hien", "noi dung cong viec", "noi dung nhiem vu", "nhiem vu"],
                    ColumnRole.TITLE),
}  # fmt: skip
BULLET_LINE = re.compile(r"^[-–•+]\s")
# Headings of the plan's own sections: "II. CÔNG TÁC CHỈ ĐẠO …", "2. Chương trình công tác …".
ROMAN_HEADING = re.compile(r"^(?P<code>" + vocabulary.ROMAN_NUMERAL + r")\.\s+\S")
ARABIC_HEADING = re.compile(r"^(?P<code>\d{1,2})\.\s+\S")


@dataclass
class TableContext:
    appendix: str  # "I", "II" … ("" when the document has no appendix labels)
    title: str
    line: int
    mandates: tuple[LegalRef, ...] = ()


@dataclass
class _Pending:
    """A narrative task statement being read."""

    section: str
    section_title: str
    letter: str
    title: str
    line: int
    fields: dict[ColumnRole, str] = field(default_factory=dict)
    source_lines: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # of every block it was read from


def _ref_bases(rows: list[tuple[DraftRow, TableContext]]) -> list[tuple[str, str, str]]:
    """(appendix, section, base) per row; base is the printed number ("1", "1-2" for a group's 2nd row)."""
    out = []
    for draft, ctx in rows:
        number = draft.number or draft.group_number or f"L{draft.line}"
        base = number if draft.sub == 1 else f"{number}-{draft.sub}"
        out.append((ctx.appendix, draft.section.code if draft.section else "", base))
    return out


def qualify_refs(keys: list[tuple[str, str, str]]) -> list[str]:
    """The shortest refs that are unique in the plan: "47", else "VII.2.4", else "PL-II.VII.2.4"."""

    def unique(refs: list[str]) -> bool:
        return len(set(refs)) == len(refs)

    plain = [base for _, _, base in keys]
    if unique(plain):
        return plain
    by_section = [f"{section}.{base}" if section else base for _, section, base in keys]
    if unique(by_section):
        return by_section
    appendices = {appendix for appendix, _, _ in keys}
    if len(appendices) > 1:
        return [
            f"PL-{appendix}.{ref}" if appendix else ref for (appendix, _, _), ref in zip(keys, by_section, strict=True)
        ]
    return by_section


def _legal_roles(text: str, context: str | None) -> tuple[list[LegalRef], list[LegalRef]]:
    """(implements, cites) among the legal documents a task's text names."""
    implements: list[LegalRef] = []
    cites: list[LegalRef] = []
    for ref in annotate(text, context).legal_refs:
        (implements if IMPLEMENTING_CUE.search(text[: ref.start]) else cites).append(ref)
    return implements, cites


# Items of a results cell: "- Văn bản triển khai. - 100% cán bộ … - Tối thiểu 90% …" (003).
RESULT_ITEM = re.compile(r"(?:^|\s)[-–•+]\s+|;\s+")


def target_statements(products: str) -> tuple[TargetStatement, ...]:
    """Numeric targets in a results cell, each with the clause that states it."""
    out: list[TargetStatement] = []
    for item in RESULT_ITEM.split(products):
        clause = item.strip(" .;,-–•+")
        if not clause:
            continue
        for target in annotate(clause).targets:
            out.append(TargetStatement(clause, target.comparator, target.value, target.unit))
            break  # one target per clause: "100% hồ sơ … đạt 100%" states one thing
    return tuple(out)


def _dedupe(refs: list[LegalRef]) -> tuple[LegalRef, ...]:
    seen: dict[str, LegalRef] = {}
    for ref in refs:
        seen.setdefault(ref.id, ref)
    return tuple(seen.values())


def interpret(document: Document) -> Interpretation:
    file = document.source.name
    header = read_header(document)
    plan = header.plan
    findings: list[Finding] = list(header.findings)
    context = province_jurisdiction(plan.province) if plan.province else None
    period = plan_period(plan.title, plan.issued_on)

    task_rows: list[tuple[DraftRow, TableContext]] = []
    indicator_rows: list[tuple[DraftRow, TableContext]] = []
    sections: list[Section] = []
    narrative: list[_Pending] = []
    appendix = TableContext(appendix="", title="", line=0)
    appendix_open = False  # collecting title lines after "PHỤ LỤC …"
    prose_section, prose_title = "", ""
    roman = ""
    # A letter, a notice, a decision or a report hands out work anywhere in its body; a plan only in the sections
    # that assign it (vocabulary.PLAN_KINDS). A decision that issues a plan is read as the plan.
    whole = plan.kind not in vocabulary.PLAN_KINDS and not plan.carried_plan
    pending: _Pending | None = None
    held: _Pending | None = None  # a numbered item closed by its lettered contents: its fields may follow them
    loose: tuple[int, str] | None = None  # the last paragraph read as nothing (line, text)
    previous: int | None = None  # the line of the last paragraph

    def close_pending() -> None:
        nonlocal pending, held
        if pending is not None and pending.fields and ColumnRole.LEAD not in pending.fields:
            # "6. Tổ chức triển khai …" / "Thời gian thực hiện: …": labelled like a task, but no body leads it
            fields = ", ".join(sorted(role.value for role in pending.fields))
            findings.append(
                Finding(Warnings.W206, f"assignment not read: {pending.title[:120]!r} has {fields} but no lead field",
                        file, pending.line)
            )  # fmt: skip
        if pending is not None and ColumnRole.LEAD in pending.fields:
            held = None  # the lettered items have their own fields
            if not pending.title:
                pending.title = pending.fields.get(ColumnRole.TITLE, "")
            if pending.title:
                narrative.append(pending)
        pending = None

    for block in document.blocks:
        if isinstance(block, Table):
            close_pending()
            held, loose, previous = None, None, None
            appendix_open = False
            if appendix.title and not appendix.mandates:
                appendix.mandates = annotate(appendix.title, context).legal_refs
            reading = read_table(block, file)
            findings.extend(reading.findings)
            sections.extend(reading.sections)
            target = indicator_rows if reading.kind == "indicators" else task_rows
            target.extend((row, appendix) for row in reading.rows)
            continue
        text = plain_text(block.text)
        label = APPENDIX_LINE.match(text)
        if label:
            close_pending()
            appendix = TableContext(appendix=label.group("label") or "", title="", line=block.line)
            appendix_open = True
            continue
        if appendix_open:
            if ATTACHED_TO.match(text) or text.startswith("("):
                appendix_open = False
            else:
                appendix.title = f"{appendix.title} {text}".strip()
            continue
        m = NARRATIVE_FIELD.match(text) or (BARE_TIME_FIELD.match(text) if pending is not None else None)
        if m:
            name = WHITESPACE.sub(" ", fold(m.group("name")))
            role = FIELD_ROLES.get(name, ColumnRole.DUE)
            if pending is None and held is not None:
                # "1. Tăng cường …" / "a) …" "b) …" / "Cơ quan thực hiện: …": the fields printed after the lettered
                # contents of a numbered item are that item's
                pending, held = held, None
            elif pending is None and role is ColumnRole.LEAD and loose is not None and loose[0] == previous:
                # "Z. Tổ chức triển khai …" / "a) Cơ quan chủ trì: …": the item (its mark lost) is the paragraph the
                # fields follow
                title = GARBLED_ITEM.sub("", loose[1]).rstrip(". ")
                pending = _Pending(roman or "", prose_title, f"L{loose[0]}", title, loose[0], lines=[loose[0]])
                pending.source_lines.append(loose[1])
            if pending is not None:
                fields = [(name, m.group("value"))]
                while (more := NEXT_FIELD.search(fields[-1][1])) is not None:
                    rest = NARRATIVE_FIELD.match(fields[-1][1][more.end() :])
                    if rest is None:
                        break
                    fields[-1] = (fields[-1][0], fields[-1][1][: more.start()])
                    fields.append((WHITESPACE.sub(" ", fold(rest.group("name"))), rest.group("value")))
                for field_name, value in fields:
                    pending.fields.setdefault(FIELD_ROLES.get(field_name, ColumnRole.DUE), value.strip().rstrip(".;"))
                pending.source_lines.append(text)
                pending.lines.append(block.line)
            previous = block.line
            continue
        if pending is not None and not pending.title and not pending.fields and not NARRATIVE_ITEM.match(text):
            pending.title, pending.line = text.rstrip(". "), block.line  # "**1.**" / "Trên cơ sở tài liệu …"
            pending.source_lines.append(text)
            pending.lines.append(block.line)
            previous = block.line
            continue
        if (
            pending is not None
            and pending.title
            and not pending.fields
            and pending.letter[:1].isdigit()
            and len(pending.lines) == 1  # right below the item, not after its contents
            and isinstance(block, Paragraph)
            and not whole
            and not ASSIGNING_SECTION.search(prose_title)
            and owner_sentence(text)
        ):
            # "3. Xây dựng văn bản quy định chi tiết …" / "Sở, ban, ngành … có trách nhiệm rà soát, tham mưu …": the
            # item's owner, said in a sentence below it (in an assigning section, that sentence is a duty of its own)
            pending.fields[ColumnRole.LEAD] = text
            if due := due_in_text(text):
                pending.fields.setdefault(ColumnRole.DUE, due)
            pending.source_lines.append(text)
            pending.lines.append(block.line)
            previous = block.line
            continue
        if pending is not None and pending.title and BULLET_LINE.match(text) and not NARRATIVE_ITEM.match(text):
            pending.source_lines.append(text)  # "- Các nội dung hỗ trợ … bao gồm:" / "+ …": the item's content
            pending.lines.append(block.line)
            previous = block.line
            continue
        closing = pending
        close_pending()
        previous, loose = block.line, None
        if (m := NARRATIVE_ITEM.match(text)) and not (m.group("number") and ROMAN_HEADING.match(text)):
            if m.group("number"):
                held = None
            elif closing is not None and closing.letter[:1].isdigit() and not closing.fields:
                held = closing  # "1. Tăng cường …" / "a) …": its contents, or its tasks
            letter = m.group("letter") or m.group("paren") or m.group("number")
            title = (m.group("text") or "").rstrip(". ")
            section = prose_section if (m.group("letter") or m.group("paren")) else (roman or "")
            pending = _Pending(section, prose_title, letter, title, block.line, lines=[block.line])
            pending.source_lines.append(text)
            if m.group("letter") or m.group("paren"):  # "(1) …": an item, not a heading of the plan's sections
                continue
        else:
            loose = (block.line, text)
        if len(text) < 250:
            if m := ROMAN_HEADING.match(text):
                held, loose = None, None
                roman = m.group("code")
                prose_section, prose_title = roman, text[m.end("code") + 1 :].strip()
            elif (m := ARABIC_HEADING.match(text)) and roman and isinstance(block, Heading | Paragraph):
                prose_section = f"{roman}.{m.group('code')}"
                prose_title = text[m.end("code") + 1 :].strip()
    close_pending()

    tasks = _table_tasks(task_rows, document, plan.implements, context, period, findings)
    tasks += _narrative_tasks(narrative, document, context, period, findings)
    text_blocks = tuple(b for b in document.blocks if isinstance(b, Heading | Paragraph))
    inline_lines = {line for item in narrative for line in item.lines}  # read once: not duties as well
    unread: list[tuple[int, str]] = []
    crowded: list[tuple[int, str]] = []
    duties = prose_tasks(
        tuple(b for b in text_blocks if b.line not in inline_lines), context, file, period, whole, unread, crowded
    )
    for line, text in unread:
        findings.append(Finding(Warnings.W206, f"assignment not read: {text[:1200]!r}", file, line))
    for line, text in crowded:
        findings.append(Finding(Warnings.W208, f"items run together, read as one duty: {text[:1200]!r}", file, line))
    for duty in duties:
        deadline = duty.due
        if deadline.text and not (deadline.start or deadline.end or deadline.recurrence or deadline.condition):
            findings.append(
                Finding(Warnings.W202, f"task {duty.ref}: deadline not understood: {deadline.text!r}", file, duty.line)
            )
    tasks += duties
    # The plan cites every other legal document its text names (DESIGN §3: CITES).
    implemented = {ref.id for ref in plan.implements}
    named = [ref for block in text_blocks for ref in legal_refs(block.text, context)]
    own = plan.code  # "(Kèm theo Kế hoạch số 110/KH-UBND …)" names the plan itself
    plan = replace(plan, cites=_dedupe([r for r in named if r.id not in implemented and r.number != own]))
    _check_numbering(task_rows, file, findings)
    _check_numbering(indicator_rows, file, findings)
    _check_declared_counts(sections, task_rows, file, findings)
    indicators = _indicators(indicator_rows)
    if not tasks and not indicators:
        findings.append(Finding(Warnings.W304, "no task rows or task statements were found", file, 1))
    return Interpretation(
        document=document,
        plan=plan,
        tasks=tuple(tasks),
        indicators=tuple(indicators),
        findings=tuple(findings),
    )


def _table_tasks(
    rows: list[tuple[DraftRow, TableContext]],
    document: Document,
    plan_mandates: tuple[LegalRef, ...],
    context: str | None,
    period: tuple[date, date] | None,
    findings: list[Finding],
) -> list[TaskRecord]:
    file = document.source.name
    refs = qualify_refs(_ref_bases(rows))
    tasks: list[TaskRecord] = []
    for (draft, ctx), ref in zip(rows, refs, strict=True):
        title = draft.text(ColumnRole.TITLE)
        products = draft.text(ColumnRole.PRODUCTS)
        # A table without a deadline column prints the deadline in the action ("… hoàn thành GPMB trong Quý
        # III/2026"): the first one there, as printed.
        due_text = draft.text(ColumnRole.DUE) if ColumnRole.DUE in draft.roles else due_in_text(title)
        normalised = normalise_deadline(due_text, period)
        if due_text and not normalised.understood:
            findings.append(
                Finding(Warnings.W202, f"task {ref}: deadline not understood: {due_text!r}", file, draft.line)
            )
        done, missing = is_done(draft.markers, document.footnotes)
        for marker in missing:
            findings.append(
                Finding(Warnings.W204, f"task {ref}: footnote marker {marker} has no footnote text", file, draft.line)
            )
        lead_text, support_text = labelled_owners(draft.text(ColumnRole.LEAD), draft.text(ColumnRole.SUPPORT))
        pointer = DEFERRING.match(lead_text)
        lead = () if pointer else split_agencies(lead_text)
        if pointer:  # "Theo phân công tại Quyết định số 1441/QĐ-UBND": a reference to the document, not an agency
            findings.append(
                Finding(Warnings.W207, f"task {ref}: its lead is given in another document: {lead_text!r}", file,
                        draft.line)
            )  # fmt: skip
        elif not lead:
            findings.append(Finding(Warnings.W201, f"task {ref} has no lead agency", file, draft.line))
        if not title:
            findings.append(Finding(Warnings.W203, f"task {ref} has no title", file, draft.line))
        group = draft.group
        implements, cites = _legal_roles(" ".join(p for p in (group, title) if p), context)
        # named as a condition or a result, or as the document that says who leads: cited
        more = list(annotate(f"{products} {due_text} {lead_text if pointer else ''}", context).legal_refs)
        accountable = draft.text(ColumnRole.ACCOUNTABLE).strip(" ;,") or None
        bodies = [person_or_post(m.name) for m in lead]
        if any(post for _, post in bodies):  # "Lãnh đạo Sở Tư pháp": the Sở leads, its leader answers for it
            lead = tuple(replace(m, name=body) for m, (body, _) in zip(lead, bodies, strict=True))
            accountable = accountable or "; ".join(post for _, post in bodies if post)
        section = draft.section
        tasks.append(
            TaskRecord(
                ref=ref,
                section=section.code if section else (f"PL-{ctx.appendix}" if ctx.appendix else ""),
                section_title=section.title if section else ctx.title,
                title=title,
                products=products,
                due=normalised.deadline,
                status="done" if done else "open",
                lead=lead,
                monitors=split_agencies(draft.text(ColumnRole.MONITOR)),
                support=owners_in_text(support_text)
                if support_text != draft.text(ColumnRole.SUPPORT)
                else split_agencies(support_text),
                accountable=accountable,
                line=draft.line,
                source_text="\n".join(draft.source_lines),
                group=group,
                note=draft.text(ColumnRole.NOTE),
                cites=_dedupe(cites + more),
                implements=_dedupe(list(ctx.mandates) + implements),
                page=draft.page,
                ocr_confidence=min(draft.confidences, default=None),
                targets=target_statements(f"{title} - {products}" if products else title),
            )
        )
    return tasks


# An owner cell that points to another document instead of naming a body: "Theo phân công tại Quyết định số
# 1441/QĐ-UBND", "Như Kế hoạch số 12/KH-UBND", "Theo Phụ lục kèm theo".
DEFERRING = re.compile(
    r"^(?:Theo|Như|Tại)\s[^;]{0,60}?\b(?:Quyết định|Kế hoạch|Công văn|Thông báo|Chỉ thị|Nghị quyết|Phụ lục|văn bản)\b",
    re.IGNORECASE,
)


def _narrative_tasks(
    items: list[_Pending],
    document: Document,
    context: str | None,
    period: tuple[date, date] | None,
    findings: list[Finding],
) -> list[TaskRecord]:
    file = document.source.name
    # A statement read from a scan has its page as its provenance, and its paragraphs' OCR confidence.
    scans = {b.line: b for b in document.blocks if isinstance(b, Paragraph) and b.scanned}
    out: list[TaskRecord] = []
    for item in items:
        ref = f"§{item.section}.{item.letter}" if item.section else f"§{item.letter}"
        due_text = item.fields.get(ColumnRole.DUE, "")
        normalised = normalise_deadline(due_text, period) if due_text else None
        if due_text and normalised is not None and not normalised.understood:
            findings.append(
                Finding(Warnings.W202, f"task {ref}: deadline not understood: {due_text!r}", file, item.line)
            )
        implements, cites = _legal_roles(item.title, context)
        out.append(
            TaskRecord(
                ref=ref,
                section=item.section,
                section_title=item.section_title,
                title=item.title,
                products=item.fields.get(ColumnRole.PRODUCTS, ""),
                due=normalised.deadline if normalised else Deadline(text=""),
                status="open",
                lead=owners_in_text(item.fields.get(ColumnRole.LEAD, "")),
                support=owners_in_text(item.fields.get(ColumnRole.SUPPORT, "")),
                accountable=None,
                line=item.line,
                source_text="\n".join(item.source_lines),
                cites=_dedupe(cites),
                implements=_dedupe(implements),
                origin="inline",
                page=next((scans[line].page for line in item.lines if line in scans), None),
                ocr_confidence=min(
                    (c for line in item.lines if line in scans and (c := scans[line].confidence) is not None),
                    default=None,
                ),
            )
        )
    return out


def _check_numbering(rows: list[tuple[DraftRow, TableContext]], file: str, findings: list[Finding]) -> None:
    """Gaps (1, 2, 5) and repeats/restarts (… 6, 5) of task numbers within a table's sections."""
    previous: tuple[int, object, object] | None = None  # (number, section, context)
    for draft, ctx in rows:
        # ASCII digits only, and few of them: a 5,000-digit "number" is text, not a task number.
        if draft.sub != 1 or draft.number is None or not (draft.number.isascii() and draft.number.isdigit()):
            continue
        if len(draft.number) > 9:
            continue
        number = int(draft.number)
        if previous is not None:
            last, last_section, last_ctx = previous
            same_scope = last_section is draft.section and last_ctx is ctx
            if same_scope and number > last + 1:
                findings.append(
                    Finding(
                        Warnings.W102,
                        f"task numbering jumps from {last} to {number} (missing {last + 1}…{number - 1})",
                        file,
                        draft.line,
                    )
                )
            elif same_scope and number <= last:
                findings.append(Finding(Warnings.W103, f"task number {number} follows {last}", file, draft.line))
            elif not same_scope and number not in (1, last + 1):
                code = Warnings.W103 if number <= last else Warnings.W102
                findings.append(
                    Finding(
                        code, f"section starts at task {number} (previous section ended at {last})", file, draft.line
                    )
                )
        previous = (number, draft.section, ctx)


def _check_declared_counts(
    sections: list[Section], rows: list[tuple[DraftRow, TableContext]], file: str, findings: list[Finding]
) -> None:
    for section in sections:
        if section.declared is None:
            continue
        listed = sum(
            1
            for draft, _ in rows
            if draft.section is not None
            and (draft.section is section or draft.section.code.startswith(section.code + "."))
        )
        if listed != section.declared:
            findings.append(
                Finding(
                    Warnings.W101,
                    f"section {section.code} declares {section.declared} tasks and lists {listed}",
                    file,
                    section.line,
                )
            )


def _indicators(rows: list[tuple[DraftRow, TableContext]]) -> list[IndicatorRecord]:
    keys = [
        (ctx.appendix, draft.section.code if draft.section else "", draft.number or f"L{draft.line}")
        for draft, ctx in rows
    ]
    refs = qualify_refs(keys)
    out: list[IndicatorRecord] = []
    for (draft, _), ref in zip(rows, refs, strict=True):
        target_text = draft.text(ColumnRole.PRODUCTS)
        unit = draft.text(ColumnRole.UNIT)
        target = parse_target(target_text, unit)
        out.append(
            IndicatorRecord(
                ref=ref,
                name=draft.text(ColumnRole.INDICATOR) or draft.text(ColumnRole.TITLE),
                unit=unit or (target.unit if target else ""),
                comparator=target.comparator if target else None,
                target=target.value if target else None,
                target_text=target_text,
                period=draft.section.title if draft.section else "",
                lead=split_agencies(draft.text(ColumnRole.LEAD)),
                support=split_agencies(draft.text(ColumnRole.SUPPORT)),
                line=draft.line,
            )
        )
    return out
