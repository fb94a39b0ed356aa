"""Agency duties: the tasks a plan hands out in its text, outside its tables (DESIGN §4.3, origin "duty").

Real plans give most of their work in the sections that assign it ("TỔ CHỨC THỰC HIỆN", "Trách nhiệm",
"PHÂN CÔNG NHIỆM VỤ", "Nhiệm vụ cụ thể") and in whole sections written agency by agency. The families read:

- a numbered heading that names a body (or several), its duties below it, one per lettered item, "- "
  bullet or paragraph: "1. Sở Tài chính" / "a) …" "b) …" (tests/data/web 144 §VI, 165 §II), "2. Bộ Chỉ
  huy Quân sự tỉnh" / "- …" "- …" (1026 §III), "2.1. Sở Tài chính" (182 §III.2), "2. Giao phòng Chuyển
  đổi số" (sample 002 §III.2), "2. Sở Khoa học và Công nghệ - Cơ quan thường trực Ban Chỉ đạo tỉnh" (004);
- a numbered or lettered item whose sentence names its body first: "b) Bộ Xây dựng tổ chức triển khai …"
  (2530 §IV.2), "5. Ban Giám đốc Sở thường xuyên chỉ đạo …" (002), "2. Giao Công an tỉnh chủ trì …",
  "3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh …" (a request to a body outside the issuer's authority:
  kept, marked `requested`), "1. Căn cứ Kế hoạch này, các sở, ban, ngành … xây dựng kế hoạch …";
- an item that ends in ":" introduces the duties below it ("- UBND thành phố Hà Nội và UBND Thành phố Hồ Chí
  Minh cần tập trung một số nhiệm vụ quan trọng như sau:" / "+ …" "+ …"): each is a duty of the item's
  body, and the introduction itself is not one.

Outside the assigning sections only an agency heading opens duties; a sentence naming a body is a duty
only inside them. A document that is not a plan (a letter, a notice, a decision, a report: `assigning`) hands
out work anywhere in its body up to "Nơi nhận", except in the sections that assess; there, also: lettered
headings that name a body, "Đối với …:" labels, a decision's articles (the duties of the body an article
names, members' lists and set-up articles skipped), every request a paragraph makes ("…; đề nghị UBND tỉnh …"),
"Chỉ đạo X …", "X đề nghị Y …", and an owner printed after its duty ("… (Sở Tư pháp chủ trì)"). What reads as
an assignment but gives no duty is returned to the caller with its line (W206).

Support is every body the duty says to work with ("phối hợp (chặt chẽ) với Sở Tư pháp và các cơ quan liên
quan …"); a deadline inside the sentence ("trước ngày 15/12/2025", "trong tháng 11/2025",
"hằng năm") is the duty's deadline as printed. Generic closing lines ("Trong quá trình thực hiện, nếu có
khó khăn, vướng mắc …") and items that only point to an appendix ("… (Phụ lục số I kèm theo)") are not
tasks. Refs: "§<section>.<n>" ("§" marks the plan's text, apart from its appendix tables), "§VI.1.a" for a
lettered item, "§VI.1" for a body's single duty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from plangraph import vocabulary
from plangraph.ingest.agencies import labelled_owners, split_agencies
from plangraph.ingest.deadlines import normalise_deadline
from plangraph.ingest.legal import IMPLEMENTING_CUE
from plangraph.ingest.nlp import agency_names, annotate
from plangraph.ingest.text import WHITESPACE, fold, plain_text, squeeze
from plangraph.model import AgencyMention, Deadline, Heading, Paragraph, TaskRecord
from plangraph.reference import registry

NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)(?:\.|\.?\))?\s+(?P<text>\S.*)$")
# "a) …", and "(1) …", "(a) …" as some offices mark a section's items.
LETTERED = re.compile(r"^(?:(?P<letter>[a-zđ])\)|\((?P<paren>\d{1,2}|[a-zđ])\))\s+(?P<text>\S.*)$")
BULLET = re.compile(r"^(?P<mark>[-–•+])\s*(?P<text>\S.*)$")
# "III. TỔ CHỨC THỰC HIỆN", also "Mục III. …", "Phần II. …".
ROMAN_HEADING = re.compile(
    r"^(?:(?:Mục|Phần|MỤC|PHẦN)\s+)?(?P<code>" + vocabulary.ROMAN_NUMERAL + r")\.\s+(?P<title>\S.*)$"
)
MARK_PREFIX = re.compile(r"^(?:(?:[a-zđ]\)|[-–•+]|\d{1,2}(?:\.\d{1,2})*\.?\)?)\s+)?(?:Điều\s+\d+\s*[.:]\s*)?")
# The mark an item is printed with: "a) ", "- ", "2. ", "2.1. ".
ITEM_MARK = re.compile(r"^(?:[a-zđ]\)|\((?:\d{1,2}|[a-zđ])\)|[-–•+]|\d{1,2}(?:\.\d{1,2})*\.?\)?)\s+")
ASSIGNING = re.compile(vocabulary.ASSIGNING_TITLE, re.IGNORECASE)
IN_APPENDIX = re.compile(r"(?<!\w)Phụ lục(?!\w)", re.IGNORECASE)  # "Sở …: Tại Phụ lục I đính kèm": its duties there
APPENDIX_POINTER = re.compile(r"Phụ lục[^)]*kèm theo", re.IGNORECASE)
# The closing lines of a plan: "Trên đây là Kế hoạch …", "Nơi nhận:".
END_OF_BODY = re.compile(r"^(?:Trên đây|Nơi nhận)")
# Generic closing lines, not duties: "Trong quá trình (tổ chức) thực hiện, nếu có khó khăn, vướng mắc …".
GENERIC_CLOSING = re.compile(
    r"^(?:Trong\s+)?quá trình(?:\s+tổ chức)?\s+(?:triển khai\s+)?thực hiện\b.{0,80}(?:khó khăn|vướng mắc|phát sinh)"
    r"|^Kế hoạch này thay thế|^Thực hiện (?:các )?nhiệm vụ khác\b|^Trân trọng\b"
    r"|^(?:Quyết định|Kế hoạch) này có hiệu lực"
    r"|^(?:Chủ tịch\s+)?(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?:tỉnh|thành phố)\s+(?:yêu cầu|thống nhất|đồng ý)\b"
    # a letter's closing request ("Đề nghị các cơ quan, địa phương triển khai thực hiện./.")
    r"|^Căn cứ [^,;:]{0,40}\bnày,[^.;:]{0,100}?\btriển khai(?: thực hiện)?\s*[./]*$"
    r"|^Đề nghị\b[^.;:]{0,100}?\bthực hiện(?:\s+nghiêm túc)?\s*[./]*$",
    re.IGNORECASE,
)
# What makes a sentence an assignment, wherever it is printed (a table, a labelled block, a duty, a letter):
# the words that give, lead, support or ask for the work, and a body named.
# Vowels by their base letter, whatever their marks: a scan's text slips them ("Phôi hợp", "Đề nghi"), and a cue
# may open its sentence ("Chủ trì xây dựng …").
VOWELS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđ",
}


def loose(words: str) -> str:
    """A pattern for `words` that any marks on their vowels (and đ for d) match: "phối hợp" also as "phôi hợp"."""
    folded = fold(words)
    return "".join(f"[{VOWELS[c]}]" if c in VOWELS else re.escape(c) for c in folded)


ASSIGNMENT_CUE = re.compile(
    r"(?<!\w)(?:(?i:"
    + "|".join(
        loose(cue) for cue in ("chủ trì", "phối hợp", "đề nghị", "có trách nhiệm", "chịu trách nhiệm", "yêu cầu")
    )
    + r")|[Gg]iao)(?!\w)"
)
BODY_NAMED = re.compile(
    r"(?<!\w)(?:Sở|Bộ|UBND|Ủy ban|Uỷ ban|Công an|Văn phòng|Ban|Phòng|Trung tâm|Cục|Chi cục|Thanh tra|Kho bạc"
    r"|Ngân hàng|Viện|Đài|Báo|Hội|Liên đoàn|Mặt trận|Bảo hiểm|Tòa án|Toà án|Viện kiểm sát)\s+\S"
)
# A unit by its code, as the Ministry of Public Security's documents name its units ("C04", "V01", "PC06").
UNIT_CODE = re.compile(r"^[A-Z]{1,2}\d{2}(?![\w/])")
# Marks OCR leaves where an item's circled number was ("① Chủ trì …" read as "# Chủ trì", "® …", "t8) …").
OCR_MARK = re.compile(r"^(?:[#®©*•@$]+\)?|[a-z]?\d{1,2}\))\s+(?=[A-ZĐÀ-Ỹ])")
# The same marks inside a paragraph, after the clause before them ("…; ® Bài phát biểu …; t8) Chủ trì …"), and after a
# body's name ("1. C04: # Chủ trì …"): a scan's paragraph that holds several numbered items OCR ran together.
OCR_MARK_INSIDE = re.compile(r"[;.,]\s+(?:[#®©@$§]+\)?|[a-z]\d{1,2}\))\s+(?=[A-ZĐÀ-Ỹ])")
# In a paragraph read by OCR, an item's number in parentheses may have lost its opening one too: "…; 6) Phối hợp …".
OCR_MARK_SCANNED = re.compile(r"(?<=[;.,])\s+(?:[#®©@$§]+\)?|[a-z]?\d{1,2}\))\s+(?=[A-ZĐÀ-Ỹ])")
OCR_MARK_AFTER_HEAD = re.compile(r"^[^:;]{1,80}:\s+(?:[#®©@$§]+\)?|[a-z]?\d{1,2}\))\s+(?=[A-ZĐÀ-Ỹ])")
# Clauses that open with a capital after "; ": items of a list whose marks were lost.
CAPITAL_CLAUSE = re.compile(r";\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]")
# A numbered or lettered item this long that begins with a duty's verb, in a section that assigns, is a duty
# whose body is not named: said (W206), never given to a body it does not name.
UNOWNED_DUTY = 40
# Where a paragraph's sentences and clauses part: ". ", "; ", "; tuy nhiên, ".
CLAUSE = re.compile(r"(?<=[.;])\s+(?:tuy nhiên,?\s+|đồng thời,?\s+)?", re.IGNORECASE)
# A clause that gives or asks for work, wherever it starts: "đề nghị Sở Tài chính …", "giao Công an tỉnh …".
ASKING = re.compile(r"^(?:đề nghị|giao|yêu cầu)\s+\S", re.IGNORECASE)
# "<a body> (kính) đề nghị|yêu cầu|giao <another body> …".
ASKED = re.compile(
    r"^(?P<who>[^,;:]{3,120}?)\s+(?:trân trọng\s+)?(?:kính\s+)?(?:đề nghị|yêu cầu|giao)\s+(?P<rest>\S.*)$"
)
# A request that lists what it asks: "Đề nghị UBND tỉnh: chỉ đạo …; quan tâm …".
ASKED_LIST = re.compile(r"^(?:đề nghị|giao|yêu cầu)\s+(?P<who>[^:;]{3,120}?)\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE)
# Where a request begins inside a paragraph: at its start, or after ";", ":", "." or ",".
ASK_IN = re.compile(r"(?:^|(?<=[;:.,])\s+)(?=(?:đề nghị|Đề nghị|giao|Giao|yêu cầu|Yêu cầu)\s+\S)")
SENTENCE_END = re.compile(r"[.;](?=\s+[A-ZĐÀ-Ỹ(\-]|\s*$)")
# A preamble's "Theo đề nghị của …" (at whose proposal) and a purpose clause ("Để đẩy nhanh tiến độ …, UBND tỉnh yêu
# cầu …:") that leads into the duties below it.
LEAD_IN_CLAUSE = re.compile(r"^(?:Theo đề nghị|Xét đề nghị)\b")
# The period a duty's sentence may open with, before its subject: "Hàng năm, các bộ, ngành … báo cáo …".
PERIOD_OPENER = re.compile(r"^(?:(?:Hằng|Hàng)\s+(?:năm|quý|tháng|tuần)|Định kỳ(?:\s+\S+){0,3}),\s*", re.IGNORECASE)
# A report of what is or was done, not an assignment: "Sở Công Thương đang phối hợp …", "… đã giao …".
STATUS = re.compile(r"(?<!\w)(?:đã|đang|vừa|chưa)(?!\w)")

# Closing lines known by what they say anywhere: a decision's execution clause ("Chánh Văn phòng …, Thủ trưởng …
# chịu trách nhiệm thi hành Quyết định này"), a notice's "… thông báo để các địa phương biết, thực hiện".
CLOSING_INSIDE = re.compile(r"chịu trách nhiệm thi hành\b|\bthông báo để\b.{0,80}\bbiết\b", re.IGNORECASE)


def _closing_inside(text: str) -> bool:
    return ("thi hành" in text or "thông báo để" in text) and CLOSING_INSIDE.search(text) is not None


# Sections of a notice or a report that assess rather than assign ("I. Đánh giá chung", "IV. KHÓ KHĂN, VƯỚNG
# MẮC", "I. HIỆN TRẠNG CHUNG"): in a document that assigns throughout, their sentences are findings, not duties.
ASSESSING = re.compile(
    r"^(?:đánh giá|kết quả|tình hình|hiện trạng|thực trạng|khó khăn|vướng mắc|công tác thành lập|danh mục)",
    re.IGNORECASE,
)
# A decision's article and its title: "Điều 3. Nhiệm vụ và quyền hạn của Ban Chỉ đạo".
ARTICLE_TITLE = re.compile(r"^Điều\s+(?P<num>\d+)\s*[.:]?\s*(?P<title>.*)$")
# An article (or item) that gives a body its duties: "Nhiệm vụ và quyền hạn của Ban Chỉ đạo", "Trách nhiệm của
# Sở Nội vụ".
DUTIES_OF = re.compile(
    r"^(?:Nhiệm vụ|Trách nhiệm|Quyền hạn)(?:[^:]{0,40}?)\s+của\s+(?P<body>[^:;.]+?)\s*:?$", re.IGNORECASE
)
# A list of members, not of duties: "… gồm các thành viên sau:", "Thành phần Ban Chỉ đạo gồm:".
MEMBERS = re.compile(r"\bgồm(?:\s+(?:các|những))?\s+(?:thành viên|ông|bà|đồng chí)\b|^Thành phần\b", re.IGNORECASE)
# A name defined for the rest of the text: "Ban Chỉ đạo về dữ liệu tỉnh Lâm Đồng (sau đây gọi tắt là Ban Chỉ đạo)".
DEFINED = re.compile(r"\(\s*sau đây gọi(?:\s+tắt)?\s+là\s*:?\s*(?P<short>[^)]{2,60}?)\s*\)", re.IGNORECASE)
# "Đối với Nhà đầu tư Dự án …: <duty>", "Về ứng dụng AI: …": the label an item's duty is printed after.
LABEL = re.compile(r"^(?P<label>(?:Đối với|Về|Riêng)\s[^:]{2,160}?)\s*:\s+(?P<rest>\S.*)$")
ABOUT_LABEL = re.compile(r"^(?:Đối với|Về|Riêng)\s+", re.IGNORECASE)
SHORT_LABEL = re.compile(r"^(?P<label>[A-ZĐÀ-Ỹ][^:;,.]{2,40}?)\s*:\s+(?P<rest>\S.*)$")
# Articles that set a body up rather than give it work: "Chức năng của Ban Chỉ đạo", "Chế độ làm việc",
# "Kinh phí hoạt động", "Điều khoản thi hành".
SETTING_UP = re.compile(
    r"^(?:Chức năng|Chế độ làm việc|Kinh phí|Hiệu lực|Điều khoản thi hành|Nguyên tắc|Phạm vi|Đối tượng"
    r"|Giải thích từ ngữ|Vị trí)",
    re.IGNORECASE,
)

# "2. Sở Khoa học và Công nghệ - Cơ quan thường trực Ban Chỉ đạo tỉnh": the body, then its standing.
STANDING_TAIL = re.compile(r"\s+[-–]\s+(?:Cơ quan|Đơn vị)\s+(?:thường trực|đầu mối)\b.*$")
GIVEN = re.compile(r"^(?:(?:Đồng thời|Ngoài ra),?\s+)?(?:[Gg]iao(?:\s+cho)?|Yêu cầu)\s+")
# An item that asks its addressee to have another body act ("2. Chỉ đạo Sở Tài chính khẩn trương …", "6. Đôn đốc
# các chủ đầu tư … phối hợp …"): at the head of an item that names no body, the body named is the one to act.
DIRECTED = re.compile(r"^(?:Chỉ đạo|Đôn đốc)\s+(?=\S)")
LEAD_IN = re.compile(r"^(?:Đồng thời|Ngoài ra),?\s+")
REQUESTED = re.compile(r"^Đề nghị\s+")
# What a duty's sentence may open with before its subject: "Căn cứ …, ", "Sau khi hoàn thành …, ", "Trên cơ sở …, ".
GROUNDS = re.compile(r"^(?:Căn cứ|Sau khi|Trên cơ sở|Ngay sau khi|Để|Nhằm)\b[^,;:]{0,160},\s*", re.IGNORECASE)
# "phối hợp (chặt chẽ) (với|cùng) X, Y và Z <verb> …": the bodies worked with.
# The cue read whatever marks a scan slipped on its vowels ("phôi hợp với …").
SUPPORT_CUE = re.compile(
    r"(?<!\w)" + loose("phối hợp") + r"(?:\s+chặt chẽ)?(?:\s+(?:" + loose("với") + r"|cùng))?\s+", re.IGNORECASE
)
SUPPORT_STOP = re.compile(
    r"[;.:()]|,\s*(?:đặc biệt|nhất là|trong đó)|\s(?:để|đê|nhằm|trong|về|theo|tại|đối với|khi|thì|từ|qua|bằng|tới"
    r"|giao|tiếp nhận|xác định|tham gia)\s"
    r"|\s(?:" + vocabulary.alternation([p for p in vocabulary.DUTY_PREDICATES if p not in ("cấp",)]) + r")(?!\w)"
)
# "b) Chủ trì, phối hợp" / "- …": each item below names the partners of one duty (182 §III.2.3.b).
COORDINATION_INTRO = re.compile(r"phối hợp(?:\s+(?:với|cùng))?\s*:?$", re.IGNORECASE)
# A deadline inside a duty's sentence, as printed.
DUE_IN_TEXT = re.compile(
    r"(?:(?:[Hh][ằà]ng năm|[Đđ]ịnh kỳ(?: [hh][ằà]ng (?:năm|quý|tháng))?),?\s+)?"
    r"(?:(?:hoàn thành\s+)?(?:trước|chậm nhất|trong|vào|cuối|đến hết)\s+)"
    r"(?:ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|[Tt]háng\s+\d{1,2}(?:\s*/\s*\d{4}|\s+năm\s+\d{4})|[Qq]uý\s+[IV]+(?:\s+và\s+[Qq]uý\s+[IV]+)?(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?"
    r"|năm\s+20\d\d)"
    r"(?:\s+hằng năm|\s+hàng năm)?"
    r"|[Đđ]ịnh kỳ\s+[hh][ằà]ng\s+(?:năm|quý|tháng|tuần)",
)
STRONG_HEAD = re.compile(
    r"^(?:[Cc]ác\s+)?(?:Sở|sở|Bộ|bộ|UBND|Ủy ban|Uỷ ban|ủy ban|Công an|Ban|Văn phòng|Phòng|phòng|Trung tâm|Thanh tra"
    r"|Kho bạc|Ngân hàng|Đài|Báo|Cục|Chi cục|Viện|Tòa án|Toà án|Liên đoàn|Hội|Mặt trận|Tỉnh đoàn|Đoàn|Bảo hiểm"
    r"|BHXH|Chi nhánh|Kiểm toán|Thuế|Hải quan|Liên minh|Thông tấn xã|Giám đốc|Thủ trưởng|Chủ tịch|cơ quan|đơn vị"
    r"|Cơ quan|Đơn vị)(?!\w)"
)
# Words after which a subject's bodies have ended ("Các sở, ban, ngành tỉnh có liên quan tới việc …", "… các Đoàn
# thể tỉnh bằng nhiều hình thức …").
SUBJECT_TAIL = re.compile(r"\s+(?:tới|bằng|trong|theo|với|để|nhằm)\s+")
# A heading is the name of its bodies only when short and without a verb.
MAX_HEADING = 220
MAX_SUBJECT = 450  # "Đề nghị Văn phòng Tỉnh ủy …, Chi cục Hải quan khu vực XI tăng cường …": twelve bodies


def _head_alternation(words: tuple[str, ...]) -> str:
    return "|".join(
        f"[{w[0].lower()}{w[0].upper()}]{w[1:]}" if w[0].isalpha() else w
        for w in sorted(set(words), key=len, reverse=True)
    )


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    heads = [h for h in vocabulary.SUBJECT_HEADS if h not in ("Các", "các")]
    head = re.compile(r"^(?:" + _head_alternation(tuple(heads)) + r")(?!\w)")
    collective = re.compile(
        r"^(?:[Cc]ác|[Nn]hững|[Mm]ọi)\s+(?:" + "|".join(re.escape(n) for n in vocabulary.COLLECTIVE_NOUNS) + r")(?!\w)",
        re.IGNORECASE,
    )
    # "phối hợp" also with the marks a scan slipped ("C04 phôi hợp với V01 …"): the subject ends before it.
    verbs = vocabulary.alternation(vocabulary.DUTY_PREDICATES) + "|" + loose("phối hợp")
    predicate = re.compile(r"(?:^|\s|,\s*)(?P<verb>" + verbs + r")(?!\w)")
    posts = sorted(registry().posts, key=len, reverse=True)
    post = re.compile(r"^(?P<post>(?:" + "|".join(re.escape(p) for p in posts) + r"))\s+", re.IGNORECASE)
    return head, collective, predicate, post


def _is_body(text: str) -> bool:
    """Whether `text` begins as an agency's name does ("Thanh tra tỉnh", not "Thanh tra, kiểm tra …" or
    "Tổ chức quán triệt …": a head word that is also the duty's verb)."""
    if agency_names().match(text) or UNIT_CODE.match(text):
        return True
    head, collective, _, _ = _patterns()
    if starts_with_verb(text):
        return bool(collective.match(text))
    return bool(head.match(text) or collective.match(text))


def _strong(mention: AgencyMention) -> bool:
    """A heading that names a public body outright, which opens duties in any section (not "Doanh nghiệp số",
    a topic; "Các doanh nghiệp …" opens them only inside an assigning section)."""
    return bool(agency_names().match(mention.name) or STRONG_HEAD.match(mention.name))


def _bodies(text: str) -> tuple[AgencyMention, ...]:
    """The agency mentions of a subject or heading, when every one of them reads as a body."""
    mentions = split_agencies(_split_and(text))
    if mentions and all(_is_body(m.name) for m in mentions):
        return mentions
    return ()


# Words after which a verb is a noun's ("các tổ chức", "dự án đầu tư xây dựng").
NOUN_BEFORE = re.compile(r"(?:^|\s)(?:các|những|mọi|và|của|cho)$", re.IGNORECASE)
# Verbs that are part of a name after these words: "Nhà đầu tư", "Chủ đầu tư", "Ban Quản lý dự án đầu tư xây dựng".
NAME_WORDS = {
    "đầu tư": re.compile(r"(?:^|\s)(?:nhà|chủ|dự án)$", re.IGNORECASE),
    "xây dựng": re.compile(r"đầu tư$"),
    "trình": re.compile(r"(?:^|\s)(?:công|chương)$", re.IGNORECASE),  # "công trình", "chương trình"
    "quản lý": re.compile(r"(?:^|\s)(?:cơ quan|ban|phòng)$", re.IGNORECASE),  # "Ban Quản lý", "cơ quan quản lý"
    "giúp": re.compile(r"(?:^|\s)tổ$", re.IGNORECASE),  # "Tổ giúp việc"
}
NOT_YET = re.compile(r"(?:được|giao|đã|sẽ)$")


def _predicates(text: str, start: int = 0) -> list[re.Match[str]]:
    """The verbs of `text` from `start` that can end a subject: not a noun's word ("các tổ chức chính trị")."""
    _, _, predicate, _ = _patterns()
    out = []
    for m in predicate.finditer(text, start):
        at = m.start("verb")
        before = text[max(0, at - 24) : at].rstrip()  # the words just before the verb are all that is asked
        name = NAME_WORDS.get(m.group("verb"))
        if not NOUN_BEFORE.search(before) and not (name and name.search(before)):
            out.append(m)
    return out


def starts_with_verb(text: str) -> bool:
    """Whether a sentence begins with a duty's verb ("Rà soát …", "Tổ chức …"), not with a noun."""
    lowered = text[:1].lower() + text[1:]
    return any(m.start("verb") == 0 for m in _predicates(lowered[:40]))


@dataclass(frozen=True)
class _Subject:
    lead: tuple[AgencyMention, ...]
    post: str | None
    requested: bool


def _subject(text: str, grounds: bool = False) -> _Subject | None:
    """The bodies a duty's sentence begins with, before its verb ("Bộ Y tế chủ trì …"), also after a short label
    ("Liệt kê tài liệu: Các cơ quan, địa phương liệt kê …")."""
    short = SHORT_LABEL.match(text) if ":" in text[:48] else None
    if short is not None and len(short.group("label").split()) <= 5 and not _is_body(short.group("label")):
        return _subject_of(short.group("rest"), grounds)
    return _subject_of(text, grounds)


def _subject_of(text: str, grounds: bool) -> _Subject | None:
    # "Bộ Công Thương đề nghị Ủy ban nhân dân các tỉnh, thành phố …": the issuer asks; the body asked acts.
    head = text[:140]
    asked = ASKED.match(text) if ("đề nghị" in head or "yêu cầu" in head or "giao" in head) else None
    if asked is not None and _is_body(asked.group("who")) and _is_body(asked.group("rest")):
        inner = _subject_of(f"Đề nghị {asked.group('rest')}", grounds)
        if inner is not None:
            return inner
    return _subject_own(text, grounds)


def _subject_own(text: str, grounds: bool) -> _Subject | None:
    text = LEAD_IN.sub("", text)
    requested = bool(REQUESTED.match(text))
    text = REQUESTED.sub("", GIVEN.sub("", text))
    if grounds and (m := GROUNDS.match(text)):
        text = text[m.end() :]
    _, _, _, posts = _patterns()
    post = posts.match(text)
    start = post.end() if post else 0
    known = agency_names().match(text, start)
    search_from = known.end() if known else start
    if not _is_body(text[start:]):
        return None
    for m in _predicates(text, search_from):
        before = text[: m.start("verb")].rstrip(" ,")
        if len(before) > MAX_SUBJECT or ":" in before:  # "UBND xã Bảo Lâm 2: Rà soát …" is a heading and its duty
            return None
        if before.endswith(" sẽ"):  # "Sở Nội vụ sẽ tập huấn …": the body commits to it
            before = before[:-3].rstrip()
        elif NOT_YET.search(before):
            continue
        lead = _bodies(SUBJECT_TAIL.split(before[start:], maxsplit=1)[0])
        if not lead:
            return None
        return _Subject(lead, post.group("post") if post else None, requested)
    return None


def _heading_bodies(text: str, verbs: bool = False) -> _Subject | None:
    """The bodies a heading names ("Sở Tài chính", "Giao phòng Chuyển đổi số", "Ủy ban nhân dân xã, phường:")."""
    requested = bool(REQUESTED.match(text))
    name = STANDING_TAIL.sub("", REQUESTED.sub("", GIVEN.sub("", text))).strip().rstrip(":.").strip()
    if not name or len(name) > MAX_HEADING:
        return None
    _, _, _, posts = _patterns()
    post = posts.match(name)
    body = name[post.end() :] if post else name
    known = agency_names().match(body)
    if not verbs and _predicates(body, known.end() if known else 0):
        return None
    if verbs and (starts_with_verb(body) or re.search(r"[.;:]", body)):
        return None
    lead = _bodies(body)
    return _Subject(lead, post.group("post") if post else None, requested) if lead else None


BARE_HEADS = {"cơ quan", "đơn vị", "ngành", "cấp", "địa phương", "bộ", "sở", "phòng", "ban", "các cơ quan"}


def supporters(text: str, lead: tuple[AgencyMention, ...] = ()) -> tuple[AgencyMention, ...]:
    """The bodies a duty works with: those named after each "phối hợp (với)"."""
    own = {m.name.casefold() for m in lead}
    out: list[AgencyMention] = []
    for cue in SUPPORT_CUE.finditer(text):
        rest = text[cue.end() :]
        if not _is_body(rest):
            continue
        stop = next(
            (
                m
                for m in SUPPORT_STOP.finditer(rest)
                if not (m.group(0) == " nghiên cứu" and rest[: m.start()].endswith("viện"))
            ),
            None,
        )  # "các viện nghiên cứu": a body's name, not its verb
        span = rest[: stop.start()] if stop else rest
        if stop is not None and stop.group(0) == ":":  # "Ủy ban nhân dân 04 xã: Gia Thuận, Tân Điền, …": its names
            names = re.match(r":\s*([^.;:()]+)", rest[stop.start() :])
            listed = names.group(1) if names else ""
            if (end := SUPPORT_STOP.search(listed)) is not None:  # "… Tân Phú Đông tổ chức …": the list ends
                listed = listed[: end.start()]
            parts = [p.strip() for p in listed.split(",") if p.strip()]
            if len(parts) > 1 and all(p[:1].isupper() and len(p.split()) <= 4 for p in parts):
                span = f"{span}: {', '.join(parts)}"
        for mention in split_agencies(_split_and(span)):
            if mention.name.casefold() in BARE_HEADS:  # "phối hợp với cơ quan …": no body named
                continue
            if _is_body(mention.name) and mention.name.casefold() not in own:
                own.add(mention.name.casefold())
                out.append(mention)
    return tuple(out)


# What an owner's sentence says right after its bodies: "… có trách nhiệm rà soát …", "… chủ trì, phối hợp …".
OWNER_VERB = re.compile(r"^(?:có trách nhiệm|chịu trách nhiệm|chủ trì)(?!\w)", re.IGNORECASE)


def owner_sentence(text: str) -> bool:
    """Whether a sentence gives its work to the bodies it opens with: "Sở, ban, ngành thuộc UBND Thành phố có trách
    nhiệm rà soát …" (not "Tổ chức …", not "Sở Nội vụ đã …")."""
    subject = _subject(text)
    if subject is None or not ASSIGNMENT_CUE.search(text):
        return False
    rest = text
    for mention in subject.lead:
        at = rest.find(mention.name)
        if at < 0:
            return False
        rest = rest[at + len(mention.name) :]
    return OWNER_VERB.match(rest.lstrip(" ,")) is not None


def owners_in_text(value: str) -> tuple[AgencyMention, ...]:
    """The bodies of a labelled owner field, also when it says what each does ("Sở Nội vụ chủ trì tham mưu …;
    Sở Tư pháp và các sở, ban, ngành … chủ động tổ chức …"): each clause's subject, else its agency list."""
    out: list[AgencyMention] = []
    for clause in re.split(r"\s*;\s*", value):
        clause = clause.strip(" .")
        if not clause:
            continue
        subject = _subject(clause)
        if subject is not None:
            out.extend(subject.lead)
            continue
        known = agency_names().match(clause)
        verbs = _predicates(clause, known.end() if known else 0)
        cut = clause[: verbs[0].start("verb")].strip(" ,") if verbs and verbs[0].start("verb") > 0 else clause
        out.extend(split_agencies(SUBJECT_TAIL.split(cut, maxsplit=1)[0]) or split_agencies(clause))
    unique: dict[str, AgencyMention] = {}
    for mention in out:
        unique.setdefault(mention.name.casefold(), mention)
    return tuple(unique.values())


def _split_and(text: str) -> str:
    """ "Sở Tư pháp và các cơ quan liên quan" → two mentions; "Sở Khoa học và Công nghệ" stays one."""
    return re.sub(r"\s+và\s+(?=\S)", lambda m: "; " if _is_body(text[m.end() :]) else m.group(0), text)


def due_in_text(text: str) -> str:
    """The first deadline a duty's sentence states, as printed ("" when none)."""
    m = DUE_IN_TEXT.search(text)
    return WHITESPACE.sub(" ", m.group(0)).strip(" ,.;") if m else ""


@dataclass
class _Item:
    ref: str
    line: int
    text: str
    subject: _Subject
    section: str = ""  # the ref of the body (or item) it belongs to; its own ref when it stands alone
    mark: str = ""  # how it is marked: "-", "+", "a)", "1."
    intro: bool = False  # ends in ":": the items below it are its duties (or its contents)
    children: int = 0
    partners: tuple[AgencyMention, ...] | None = None  # an item below "Chủ trì, phối hợp": whom it works with
    parent: _Item | None = None  # the introduction it is itself an item of


@dataclass
class _Body:
    """A body's duties under its heading (or under the item that named it)."""

    ref: str
    subject: _Subject
    items: list[_Item] = field(default_factory=list)
    lettered: bool = False  # its duties are lettered: "- " items below a letter continue it
    owner: _Item | None = None  # the item that opened it, when not a heading
    mark: str = ""  # how its heading is marked ("a)": a lettered heading, closed by the next letter)


class _Reader:
    def __init__(self, whole: bool = False) -> None:
        self.out: list[_Item] = []
        self.whole = whole  # a letter, a notice, a decision: its whole body hands out work
        self.ended = False  # past the body's end ("Nơi nhận:", "Trên đây là …")
        self.assessing = False  # inside a section (or article) that assesses or sets up, and assigns nothing
        self.members = False  # inside a list of a committee's members
        self.owner: _Subject | None = None  # the body an article gives its duties to ("Nhiệm vụ của Ban …")
        self.defined: dict[str, str] = {}  # names defined in the text: "Ban Chỉ đạo" → its full name
        self.raw = ""  # the block being read, as printed (before its label is taken off)
        self.cued: list[tuple[int, str, str]] = []  # blocks that read as assignments (line, text, section)
        self.unowned: list[tuple[int, str]] = []  # numbered items worded as duties that name no body
        self.dropped: list[tuple[int, str]] = []  # paragraphs with a body of their own that no duty was read from
        self.empty: list[tuple[int, str]] = []  # numbered items of a section that hands out work, with nothing read
        self.last_item: tuple[int, str, int] | None = None  # the last such item read as a heading, and len(out) then
        self.roman = ""
        self.assigning = False  # inside a section that hands out the work
        self.sub = ""  # ref of the last numbered heading that is not a body
        self.sub_assigning = False
        self.body: _Body | None = None
        self.intro: _Item | None = None  # an item ending in ":" whose sub-items are duties
        self.contents: _Item | None = None  # an item whose sub-items are its contents

    # -- blocks of text ------------------------------------------------------------------------------------
    def close(self) -> None:
        self.body, self.intro, self.contents = None, None, None

    def emit(self, item: _Item, section: str | None = None, mark: str = "") -> _Item:
        item.section = section if section is not None else item.ref
        item.mark = mark
        self.out.append(item)
        if item.text.rstrip().endswith(":") or COORDINATION_INTRO.search(item.text):
            item.intro = True
        return item

    def child(self, block: Heading | Paragraph, mark: str, text: str) -> bool:
        """An item below an introduction ("…:"): one of its duties, or a line of its contents."""
        intro = self.intro
        while intro is not None and intro.mark == mark:  # back up to the level this item belongs to
            intro = intro.parent
        self.intro = intro
        if intro is None:
            return False
        coordination = COORDINATION_INTRO.search(intro.text) is not None
        labelled = LABEL.match(ITEM_MARK.sub("", self.raw)) is not None  # "+ Đối với dự án …: …": its parts
        if intro.children == 0 and not coordination and (labelled or not (starts_with_verb(text) or _subject(text))):
            intro.intro = False  # its contents ("a) … quyết định:" / "- Phương án phân bổ vốn …")
            self.intro = None
            intro.text = f"{intro.text} {mark} {self.printed()}"
            self.contents = intro
            return True
        intro.children += 1
        own = _subject(text)
        subject = own if own is not None and not coordination and text.rstrip().endswith(":") else intro.subject
        item = self.emit(_Item(f"{intro.ref}.{intro.children}", block.line, text, subject), intro.ref, mark)
        if coordination:
            item.partners = (own.lead if own else ()) + supporters(text, intro.subject.lead)
            item.intro = False
        elif subject is intro.subject and not supporters(text, subject.lead):
            # "Chủ trì phối hợp với các đơn vị liên quan …, cụ thể:" / "- Chuẩn bị …": each works with them
            item.partners = supporters(intro.text, subject.lead) or None
        if item.intro:  # "- UBND thành phố Hà Nội và … cần tập trung …:" / "+ …": a level below
            item.parent = intro
            self.intro = item
        return True

    def section(self) -> str:
        return self.sub or self.roman

    def printed(self) -> str:
        """The block being read as printed, without its item mark (what is appended to an item keeps its label)."""
        return ITEM_MARK.sub("", self.raw, count=1)

    def in_assigning(self) -> bool:
        return self.assigning or self.sub_assigning or (self.whole and not self.assessing and not self.ended)

    def define(self, text: str) -> None:
        """Remember the names the text defines: "Thành lập Ban Chỉ đạo về dữ liệu tỉnh Lâm Đồng (sau đây gọi tắt
        là Ban Chỉ đạo)" → "Ban Chỉ đạo" stands for the full name from here on."""
        if "sau đây" not in text:
            return
        for m in DEFINED.finditer(text):
            short = m.group("short").strip()
            before = text[: m.start()].rstrip()
            at = before.casefold().rfind(short.casefold())
            if at >= 0 and len(before) - at > len(short):
                self.defined[short.casefold()] = before[at:]

    def expand(self, name: str) -> str:
        return self.defined.get(name.strip().casefold(), name.strip())

    def article(self, block: Heading | Paragraph, num: str, title: str) -> None:
        """A decision's article: its title may give a body its duties ("Nhiệm vụ và quyền hạn của Ban Chỉ
        đạo"), list a committee's members, set up rather than assign ("Chức năng", "Kinh phí hoạt động"), or be
        itself a duty ("Điều 2. Giao Sở Nội vụ chủ trì …")."""
        self.close()
        self.roman, self.sub, self.assigning, self.sub_assigning = f"Điều {num}", "", False, False
        self.define(title)
        self.members = bool(MEMBERS.search(title))
        self.assessing = bool(SETTING_UP.match(title))
        self.owner = None
        if m := DUTIES_OF.match(title):
            lead = split_agencies(self.expand(m.group("body")))
            self.owner = _Subject(lead, None, False) if lead else None
            return
        if self.members or self.assessing or not self.in_assigning() or title.rstrip().endswith(":"):
            return
        subject = _subject(title, grounds=True)
        if subject is not None:
            item = self.emit(_Item(self.roman, block.line, title, subject))
            self.body = _Body(self.roman, subject, owner=item)

    def owned_item(
        self, block: Heading | Paragraph, ref: str, text: str, mark: str, section: str | None = None
    ) -> bool:
        """An item whose owner is printed after its duty ("Xây dựng … (Sở Tư pháp chủ trì)"): a duty of that owner."""
        owned = _trailing_owner(text)
        if owned is None:
            return False
        subject, partners = owned
        item = self.emit(_Item(ref, block.line, text, subject), section, mark)
        item.partners = partners or None
        if section is None:
            self.body = _Body(ref, subject, owner=item)
        return True

    def head_item(self, block: Heading | Paragraph, ref: str, text: str, mark: str) -> bool:
        """An item that names its body: "a) Trung tâm Phát triển quỹ đất tỉnh" (its duties below it), "b) UBND xã
        Bảo Lâm 2: Rà soát …" and "e) Đối với Nhà đầu tư …: Khẩn trương …" (its duty on the same line)."""
        head, colon, rest = text.partition(":")
        rest = rest.strip()
        if not colon and (len(text) > MAX_HEADING or starts_with_verb(text)):  # a duty's sentence, not a body's name
            return False
        heading = _heading_bodies(ABOUT_LABEL.sub("", head) if colon else text)
        if heading is None:
            return False
        if colon and rest:
            rest = OCR_MARK.sub("", rest)
            duty = GROUNDS.sub("", rest)  # "Các bộ, ban, ngành khác: Căn cứ chức năng …, phối hợp …"
            if not (starts_with_verb(duty) or _subject(rest) is not None or GIVEN.match(rest)):
                return False
            item = self.emit(_Item(ref, block.line, _after_head(head, rest), heading), mark=mark)
            self.body = _Body(ref, heading, owner=item)
            return True
        self.body = _Body(ref, heading, mark=mark)
        return True

    def settle(self) -> None:
        """An item of a section that hands out work, read as the heading of the duties below it, under which no
        duty came: what it says is read as no one's duty (an item OCR cut short, a body named in words no reader
        knows), and said."""
        if self.last_item is not None and len(self.out) == self.last_item[2]:
            self.empty.append(self.last_item[:2])
        self.last_item = None

    def read(self, block: Heading | Paragraph) -> None:
        text = plain_text(block.text)
        if not text:
            return
        mark = MARK_PREFIX.match(text)  # "4. ", "Điều 7. ": the closing lines are known without their mark
        bare = text[mark.end() :] if mark else text
        if END_OF_BODY.match(text) or (m := ROMAN_HEADING.match(text)) and len(text) < 250 or NUMBERED.match(text):
            self.settle()
        if END_OF_BODY.match(text) or GENERIC_CLOSING.match(bare) or _closing_inside(bare):
            self.close()
            if END_OF_BODY.match(text):
                self.assigning = self.sub_assigning = False
                self.ended = True
            return
        if m := ARTICLE_TITLE.match(text):
            self.article(block, m.group("num"), m.group("title"))
            return
        if (m := ROMAN_HEADING.match(text)) and len(text) < 250:
            self.close()
            self.roman, self.sub, self.sub_assigning = m.group("code"), "", False
            self.assigning = bool(ASSIGNING.search(m.group("title")))
            self.assessing = not self.assigning and bool(ASSESSING.match(m.group("title")))
            self.members, self.owner = False, None
            return
        if self.members:  # "1. Chủ tịch Ủy ban nhân dân tỉnh …, Trưởng Ban Chỉ đạo." / "- Giám đốc Sở Nội vụ;"
            return
        self.define(text)
        self.raw = text
        if (self.in_assigning() or GIVEN.match(bare)) and _cued(bare):
            self.cued.append((block.line, text, self.section()))
        text = _unlabel(text)
        if (m := NUMBERED.match(text)) and (len(text) < 300 or self.in_assigning()):
            self.numbered(block, m.group("num"), m.group("text"))
            return
        if m := LETTERED.match(text):
            self.lettered(block, m.group("letter") or m.group("paren"), m.group("text"))
            return
        if m := BULLET.match(text):
            self.bullet(block, m.group("mark"), m.group("text"))
            return
        self.paragraph(block, text)

    def numbered(self, block: Heading | Paragraph, num: str, text: str) -> None:
        self.close()
        ref = f"{self.roman}.{num}" if self.roman else num
        head, colon, rest = text.partition(":")
        heading = _heading_bodies(head if colon else text)
        if heading is not None and colon and rest.strip() and _subject(rest.strip()) is not None:
            # "4. Giao Văn phòng: Văn phòng Sở triển khai …": the body, and its duty on the same line.
            self.emit(_Item(ref, block.line, _after_head(head, rest), heading))
            return
        heading = _heading_bodies(text)
        if heading is None and isinstance(block, Heading) and self.in_assigning():
            # A bold heading in an assigning section names its bodies even when their name holds a verb:
            # "5. Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp".
            heading = _heading_bodies(text, verbs=True)
        if heading is not None and (self.in_assigning() or all(_strong(m) for m in heading.lead)):
            self.body = _Body(ref, heading)
            if self.in_assigning() and isinstance(block, Paragraph) and not IN_APPENDIX.search(text):
                self.last_item = (block.line, f"{num}. {text}", len(self.out))  # its duties below: said if none come
            return
        subject = _subject(text, grounds=True) if (self.in_assigning() or GIVEN.match(text)) else None
        if subject is None and self.in_assigning() and self.owner is None and DIRECTED.match(text):
            subject = _subject(DIRECTED.sub("", text))
        if subject is not None:
            item = self.emit(_Item(ref, block.line, text, subject))
            self.body = _Body(ref, subject, owner=item)
            return
        if self.in_assigning() and colon and self.head_item(block, ref, text, ""):
            return
        if self.owner is not None and starts_with_verb(text):  # "1. Chỉ đạo, điều phối …" of the article's body
            item = self.emit(_Item(ref, block.line, text, self.owner))
            self.body = _Body(ref, self.owner, owner=item)
            return
        if self.in_assigning() and self.owned_item(block, ref, text, ""):
            return
        if self.in_assigning() and len(text) > UNOWNED_DUTY and starts_with_verb(text):
            self.unowned.append((block.line, text))  # "1. Ưu tiên bố trí ngân sách …": a duty, but whose?
        elif self.in_assigning() and isinstance(block, Paragraph) and ASSIGNMENT_CUE.search(text):
            self.last_item = (block.line, f"{num}. {text}", len(self.out))  # "4. Đề nghị …" (a cue: addressed)
        self.sub = ref
        self.sub_assigning = bool(ASSIGNING.search(text))

    def lettered(self, block: Heading | Paragraph, letter: str, text: str) -> None:
        self.intro, self.contents = None, None
        if APPENDIX_POINTER.search(text) and not self.body:
            return
        if self.body is not None and self.body.mark == "a)":  # "c) UBND Phường 2 Bảo Lộc:" after "a) Trung tâm …"
            self.body = None
        if self.in_assigning() and ":" in text[:MAX_HEADING] and self.body is None:
            if self.head_item(block, f"{self.section()}.{letter}", text, "a)"):
                return
        if self.body is not None and self.body.owner is None:
            head, colon, rest = text.partition(":")
            named = _heading_bodies(ABOUT_LABEL.sub("", head)) if colon and ABOUT_LABEL.match(head) else None
            if named is not None and rest.strip():  # "e) Đối với Nhà đầu tư Dự án …: Khẩn trương …"
                text = rest.strip()
            own = _subject(text)
            trailing = _trailing_owner(text) if named is None and own is None else None
            subject = named or (own if own is not None and _known_start(text) else self.body.subject)
            if trailing is not None:  # an owner belongs to the item that prints it
                subject = trailing[0]
            item = self.emit(_Item(f"{self.body.ref}.{letter}", block.line, text, subject), mark="a)")
            self.body.items.append(item)
            self.body.lettered = True
            if item.intro:
                self.intro = item
            return
        found = _subject(text, grounds=self.in_assigning())
        if found is None and self.in_assigning():
            base = self.body.ref if self.body is not None and self.body.owner is None else self.section()
            if self.head_item(block, f"{base}.{letter}", text, "a)"):
                return
            if self.owned_item(block, f"{base}.{letter}", text, "a)"):
                return
        if found is not None and (self.in_assigning() or _known_start(text)):
            subject = found
            base = self.body.ref if self.body is not None and self.body.owner is None else self.section()
            item = self.emit(_Item(f"{base}.{letter}", block.line, text, subject), mark="a)")
            self.body = _Body(item.ref, subject, owner=item)
            if item.intro:
                self.intro = item
            return
        if self.in_assigning() and len(text) > UNOWNED_DUTY and starts_with_verb(text):
            self.unowned.append((block.line, text))
        self.body = None

    def bullet(self, block: Heading | Paragraph, mark: str, text: str) -> None:
        if self.contents is not None and self.contents.mark != mark:
            self.contents.text = f"{self.contents.text} {mark} {self.printed()}"
            return
        self.contents = None
        if self.intro is not None and self.child(block, mark, text):
            return
        body = self.body
        if body is None:
            subject = _subject(text) if self.in_assigning() else None
            if subject is None and self.in_assigning():
                if self.owned_item(block, f"{self.section()}.{len(self.out) + 1}", text, mark, self.section()):
                    return
            if subject is not None:
                item = self.emit(_Item(f"{self.section()}.{len(self.out) + 1}", block.line, text, subject), mark=mark)
                if item.intro:
                    self.intro = item
            return
        if body.items and not body.items[-1].intro and (body.lettered or _deeper(mark, body.items[-1].mark)):
            last = body.items[-1]  # "- Chủ trì, phối hợp …" / "+ Đối với dự án …": the duty's own sub-items
            last.text = f"{last.text} {mark} {self.printed()}"
            return
        own = _subject(text)
        subject = own if own is not None and text.rstrip().endswith(":") else body.subject
        owner = body.owner
        if owner is not None:
            owner.children += 1
            item = self.emit(_Item(f"{owner.ref}.{owner.children}", block.line, text, subject), owner.ref, mark)
        else:
            item = self.emit(_Item(f"{body.ref}.{len(body.items) + 1}", block.line, text, subject), body.ref, mark)
            body.items.append(item)
        if item.intro:
            self.intro = item

    def paragraph(self, block: Heading | Paragraph, text: str) -> None:
        body = self.body
        if isinstance(block, Heading):
            self.close()
            return
        if self.intro is not None and self.intro.children == 0:  # "… như:" / "Giám sát môi trường, …"
            self.intro.text = f"{self.intro.text} {self.printed()}"
            self.intro.intro = self.intro.text.rstrip().endswith(":")
            self.intro = self.intro if self.intro.intro else None
            return
        if self.contents is not None:
            self.contents.text = f"{self.contents.text} {self.printed()}"
            return
        if body is not None:
            last = body.items[-1] if body.items else body.owner
            if last is not None and (text[:1].islower() or body.lettered):
                last.text = f"{last.text} {self.printed()}"
                return
            if body.owner is not None:
                if self.owner is not None and body.subject is self.owner and starts_with_verb(text):
                    body.owner.children += 1  # "Theo dõi, đánh giá, báo cáo …": a further duty of the article's body
                    self.emit(_Item(f"{body.owner.ref}.{body.owner.children}", block.line, text, self.owner), "")
                    return
                if (subject := _subject(text)) is not None and (GIVEN.match(text) or LEAD_IN.match(text)):
                    body.owner.children += 1
                    ref = f"{body.owner.ref}.{body.owner.children}"
                    self.emit(_Item(ref, block.line, text, subject), body.owner.ref)
                elif (PERIOD_OPENER.match(text) or _cued(text)) and _subject(PERIOD_OPENER.sub("", text)) is not None:
                    # "Hàng năm, các bộ, ngành … báo cáo kết quả …" after an item that named its own body: a duty of
                    # other bodies, not read as one: said
                    self.dropped.append((block.line, text))
                return
            item = self.emit(_Item(f"{body.ref}.{len(body.items) + 1}", block.line, text, body.subject), body.ref)
            body.items.append(item)
            if item.intro:  # "Chủ trì phối hợp với các đơn vị liên quan …, cụ thể:" / "- …" "- …"
                self.intro = item
            return
        # "(Sở Nội vụ sẽ tập huấn … tài khoản …)": a duty said in brackets is still one
        inner = text[1:] if text.startswith("(") else text
        if self.in_assigning() and (subject := _subject(inner, grounds=True)) is not None:
            item = self.emit(_Item(f"{self.section()}.{len(self.out) + 1}", block.line, text, subject))
            if item.intro:  # "Giám đốc Sở … có trách nhiệm:" / "- …" "- …"
                self.intro = item
        elif self.in_assigning():
            self.owned_item(block, f"{self.section()}.{len(self.out) + 1}", text, "", self.section())


# An owner printed after the duty it owns: "a) Xây dựng kế hoạch tuyên truyền (Sở Tư pháp chủ trì, phối hợp với Sở
# Nội vụ).", "- Tổ chức tập huấn cho cán bộ cơ sở. Sở Nội vụ chủ trì; Sở Tài chính phối hợp.", "(Chủ trì: Sở Y tế)".
TRAILING_OWNER = re.compile(
    r"(?:\(\s*(?P<bracket>[^()]{3,240}?)\s*\)|(?<=\.)\s+(?P<sentence>[^.()]{3,240}?))\s*[.;]?\s*$"
)


def _trailing_owner(text: str) -> tuple[_Subject, tuple[AgencyMention, ...]] | None:
    """The owner an item prints after its duty, with whom it works; None when it prints none."""
    if "chủ trì" not in text and "Chủ trì" not in text:
        return None
    m = TRAILING_OWNER.search(text)
    if m is None:
        return None
    part = (m.group("bracket") or m.group("sentence") or "").strip()
    if not re.search(r"(?<!\w)chủ trì(?!\w)", part, re.IGNORECASE):
        return None
    lead, support = labelled_owners(part, "")
    mentions = _bodies(lead) if lead != part else ()
    if not mentions:
        return None
    return _Subject(mentions, None, False), owners_in_text(support) if support else ()


def _cued(text: str) -> bool:
    """Whether a sentence reads as an assignment: a cue, a body named, and no report of what is done."""
    if not ASSIGNMENT_CUE.search(text) or not BODY_NAMED.search(text) or LEAD_IN_CLAUSE.match(text):
        return False
    if text.rstrip().endswith(":"):  # "Để đẩy nhanh tiến độ …, UBND tỉnh yêu cầu:": leads into the items below
        return False
    for cue in ASSIGNMENT_CUE.finditer(text):  # "… chưa đáp ứng yêu cầu …. Giao Sở X chủ trì …": the second
        clause = text[: cue.start()]
        clause = clause[max(clause.rfind(";"), clause.rfind(". ")) + 1 :]  # only the cue's own clause reports
        if not STATUS.search(clause):
            return True
    return False


def _after_head(head: str, rest: str) -> str:
    """The duty of "<body>: <duty>": what follows the colon, unless the head gives or asks the work ("Đề nghị Ủy ban
    Mặt trận …: Tăng cường …" is one request, printed whole)."""
    asks = GIVEN.match(head) or REQUESTED.match(head)
    return f"{head}: {rest.strip()}" if asks and _subject(rest.strip()) is None else rest.strip()


def _deeper(mark: str, above: str) -> bool:
    """Whether a bullet mark is a level below another ("+" below "-")."""
    return mark == "+" and above in ("-", "–", "•")


def _unlabel(text: str) -> str:
    """An item's duty without the topic it is printed after ("- Đối với công tác giải phóng mặt bằng qua địa bàn
    xã Đạ Huoai: Tập trung phối hợp …" → "- Tập trung phối hợp …"); the text as printed when the label names a
    body (the item's owner, read by the caller) or what follows is not a duty."""
    if ":" not in text:
        return text
    marker = ITEM_MARK.match(text)
    body = text[marker.end() :] if marker else text
    m = LABEL.match(body)
    if m is None or _heading_bodies(ABOUT_LABEL.sub("", m.group("label"))) is not None:
        return text
    rest = m.group("rest")
    if starts_with_verb(rest) or _subject(rest) is not None or GIVEN.match(rest) or REQUESTED.match(rest):
        return (marker.group(0) if marker else "") + rest
    return text


def _known_start(text: str) -> bool:
    """A sentence that begins with a known body (the registry's) or by giving it work ("Giao …")."""
    text = REQUESTED.sub("", GIVEN.sub("", text))
    _, _, _, posts = _patterns()
    post = posts.match(text)
    return agency_names().match(text, post.end() if post else 0) is not None


def prose_tasks(
    blocks: tuple[Heading | Paragraph, ...],
    context: str | None,
    file: str,
    period: tuple[date, date] | None = None,
    assigning: bool = False,
    unread: list[tuple[int, str]] | None = None,
    crowded: list[tuple[int, str]] | None = None,
) -> list[TaskRecord]:
    """The duties of the plan's text (see module docstring); `period` is the plan's window for recurring ones;
    `assigning`: the whole body hands out work (a letter, a notice, a decision), not only its assigning sections;
    `unread` receives (line, text) of every paragraph that reads as an assignment (a cue such as "chủ trì", "giao",
    "đề nghị" and a body named) but is in no duty read; `crowded` receives (line, text) of every paragraph read as
    one duty that holds several items run together (run_together)."""
    reader = _Reader(whole=assigning)
    heads: set[int] = set()  # headings that named the body of the duties below them
    for block in blocks:
        body = reader.body
        reader.read(block)
        if reader.body is not None and reader.body is not body and reader.body.owner is None:
            heads.add(block.line)
    reader.settle()
    merged: set[int] = set()  # the items merged into their introduction
    for item in reader.out:  # an introduction with one item below it: one duty, printed in two parts
        if item.intro and item.children == 1:
            child = next((c for c in reader.out if c.section == item.ref and c is not item), None)
            if child is not None:
                item.text, item.children = f"{item.text} {child.mark} {child.text}".replace("  ", " "), 0
                merged.add(id(child))
    items = [
        item
        for item in reader.out
        if not (item.intro and item.children and not _acts_itself(item.text)) and id(item) not in merged
    ]
    scanned = {block.line for block in blocks if isinstance(block, Paragraph) and block.scanned}
    items, split = _split_scanned(items, scanned)
    found, missed = _clauses(reader, heads)
    if found:
        items = sorted(items + found, key=lambda item: item.line)
    if assigning:
        items = [part for item in items for part in _coordinated(item)]
    if unread is not None:
        unread.extend(missed)
    if crowded is not None:
        lines = {item.line for item in items}
        for block in blocks:
            if block.line in lines and block.line not in split and run_together(text := plain_text(block.text)):
                crowded.append((block.line, text))
    # A duty read from a scan has its page as its provenance (the line of OCR'd text is no place in the file), and
    # its paragraph's OCR confidence.
    scans = {block.line: block for block in blocks if isinstance(block, Paragraph) and block.scanned}
    return [
        replace(task, page=scans[task.line].page, ocr_confidence=scans[task.line].confidence)
        if task.line in scans
        else task
        for task in _tasks(items, context, period)
    ]


def _split_scanned(items: list[_Item], scanned: set[int]) -> tuple[list[_Item], set[int]]:
    """A duty read from a scanned paragraph that holds several numbered items OCR ran together ("…; ® Chủ trì …;
    #) Phối hợp …; t8) Chủ trì …"): one duty per item, each where its garbled mark was, of the same body; and the
    lines so split. Only in text read by OCR: in a text layer these marks are what they say."""
    out: list[_Item] = []
    split: set[int] = set()
    for item in items:
        if item.line not in scanned:
            out.append(item)
            continue
        parts = [part.strip() for part in OCR_MARK_SCANNED.split(item.text)]
        parts = [part for part in parts if part]
        if len(parts) < 2:
            out.append(item)
            continue
        split.add(item.line)
        out.extend(replace(item, text=part) for part in parts)
    return out, split


# A second action joined to a request by "và", with an opener that starts an action of its own: "… hướng dẫn, tổ
# chức thực hiện cấp giấy phép … và tăng cường phối hợp với cơ quan liên quan trong quản lý, kiểm tra …".
PURPOSE = re.compile(r"(?<!\w)(?:để|nhằm)(?!\w)", re.IGNORECASE)
SECOND_ACTION = re.compile(r",?\s+và\s+(?=(?:tăng cường|đẩy mạnh|chủ động|kịp thời)\s+\S)")


def _coordinated(item: _Item) -> list[_Item]:
    """A request of a letter or a notice that joins a second action of its own by "và …": a duty each (their body
    the same); outside brackets only."""
    m = SECOND_ACTION.search(item.text)
    if m is None or item.text[: m.start()].count("(") != item.text[: m.start()].count(")"):
        return [item]
    first, second = item.text[: m.start()].rstrip(" ,"), item.text[m.end() :]
    if len(first) < 40 or len(second) < 40:
        return [item]
    if PURPOSE.search(first[first.rfind(";") + 1 :]):  # "… họp giao ban … để đánh giá … và kịp thời đôn đốc …": the
        return [item]  # second action is the purpose's, not a duty of its own
    return [replace(item, text=first), replace(item, text=second)]


def _acts_itself(text: str) -> bool:
    """Whether an introduction of duties gives duties of its own before it leads into the items below: a clause of
    its own before the one that ends in ":" ("m) Ủy ban nhân dân các tỉnh … chịu trách nhiệm …, báo cáo …; lồng
    ghép …, cụ thể:")."""
    clauses = [c for c in re.split(r";\s+", text.rstrip().rstrip(":")) if len(c.strip()) > 20]
    return len(clauses) >= 2


def run_together(text: str) -> bool:
    """Whether a paragraph read as one duty holds several numbered items a scan's OCR ran together: a garbled item
    mark inside it ("…; ® Bài phát biểu …"), or one after its body's name with further items after it, each opening
    with a capital ("1. C04: # Chủ trì …; Báo cáo …; Tuyên bố …")."""
    if OCR_MARK_INSIDE.search(text):
        return True
    return OCR_MARK_AFTER_HEAD.match(text) is not None and CAPITAL_CLAUSE.search(text) is not None


def _requests(text: str) -> list[str]:
    """The requests a paragraph makes anywhere in it ("…; đề nghị Ủy ban nhân dân tỉnh sớm cấp …", "Để đạt mục tiêu
    này, đề nghị UBND tỉnh quan tâm …"), each from its cue to the end of its sentence."""
    out = []
    for m in ASK_IN.finditer(text):
        rest = text[m.end() :]
        end = SENTENCE_END.search(rest, 1)
        out.append(rest[: end.start() + 1] if end else rest)
    return out


def _clauses(reader: _Reader, heads: set[int]) -> tuple[list[_Item], list[tuple[int, str]]]:
    """What reads as an assignment but is in no duty read: in a letter, a notice or a decision, each request or
    clause with its own body is a duty of its own (a paragraph may make several); elsewhere it is said (W206)."""
    read = " ".join(item.text for item in reader.out)
    starts = {item.text[:40] for item in reader.out}
    found: list[_Item] = []
    missed: list[tuple[int, str]] = []

    def clause_item(line: int, clause: str, section: str) -> bool:
        if not reader.whole:
            return False
        listed = ASKED_LIST.match(clause)
        if listed is not None and _is_body(listed.group("who")):
            # "Đề nghị UBND tỉnh: chỉ đạo các sở … ban hành kế hoạch …; quan tâm bố trí …": each part, of the body
            lead = _bodies(listed.group("who"))
            parts = [p.strip(" .") for p in re.split(r";\s+", listed.group("rest")) if len(p.strip(" .")) > 10]
            for part in parts if lead else []:
                requested = fold(clause).startswith("de nghi")
                item = _Item(f"{section}.{line}" if section else str(line), line, part, _Subject(lead, None, requested))
                item.section = section
                found.append(item)
                starts.add(part[:40])
            if lead and parts:
                return True
        subject = _subject(clause[:1].upper() + clause[1:], grounds=True)
        if subject is None:
            return False
        requested = subject.requested or fold(clause).startswith("de nghi")
        item = _Item(
            f"{section}.{line}" if section else str(line), line, clause, _Subject(subject.lead, subject.post, requested)
        )
        item.section = section
        found.append(item)
        starts.add(clause[:40])
        return True

    for line, text, section in reader.cued:
        if line in heads:
            continue
        start = ITEM_MARK.sub("", text)
        if start[:60] not in read and start[-60:] not in read:
            requests = [r for r in _requests(start) if _cued(r)]
            if len(requests) == 1 and ITEM_MARK.match(text) and reader.whole:
                # "d) Đến nay, 13/14 sở … đã đề xuất …; đề nghị Sở Khoa học và Công nghệ …": the item is one duty,
                # of the body its request names
                subject = _subject(requests[0][:1].upper() + requests[0][1:], grounds=True)
                if subject is not None:
                    item = _Item(f"{section}.{line}" if section else str(line), line, start, subject)
                    item.section = section
                    found.append(item)
                    continue
            if not any([clause_item(line, r, section) for r in requests]):  # every request read, not the first
                missed.append((line, text))
            continue
        # a second assignment inside one item ("…; đề nghị Sở Khoa học và Công nghệ …", ". Sở Tài chính chịu
        # trách nhiệm …")
        for clause in CLAUSE.split(start)[1:]:
            clause = clause.strip()
            if clause[:40] in starts or not _cued(clause):
                continue
            if (ASKING.match(clause) or _subject(clause) is not None) and not clause_item(line, clause, section):
                missed.append((line, clause))
    if reader.whole:  # in a letter or a notice every item is meant for someone; a plan lists measures of no one
        missed += [(line, text) for line, text in reader.unowned if text[:60] not in read]
    clause_lines = {item.line for item in found}
    missed += [(line, text) for line, text in reader.dropped if text[:60] not in read and line not in clause_lines]
    missed += [(line, text) for line, text in reader.empty if line not in clause_lines]
    once: dict[int, str] = {}
    for line, text in sorted(missed):
        once.setdefault(line, text)  # one finding per paragraph
    return found, sorted(once.items())


def _deadline(text: str, period: tuple[date, date] | None) -> Deadline:
    if not text:
        return Deadline(text="")
    normalised = normalise_deadline(text, period)
    return normalised.deadline if normalised.understood else Deadline(text=text)


def _single_refs(items: list[_Item]) -> dict[int, str]:
    """A body's only duty takes the body's ref ("§III.3", not "§III.3.1")."""
    by_base: dict[str, list[int]] = {}
    for k, item in enumerate(items):
        base, _, last = item.ref.rpartition(".")
        if last.isdigit() and base:
            by_base.setdefault(base, []).append(k)
    out = {}
    taken = {item.ref for item in items}
    for base, members in by_base.items():
        if len(members) == 1 and items[members[0]].ref.endswith(".1") and base not in taken:
            out[members[0]] = base  # its section is already the base
    return out


def _tasks(items: list[_Item], context: str | None, period: tuple[date, date] | None) -> list[TaskRecord]:
    singles = _single_refs(items)
    seen: dict[str, int] = {}
    tasks = []
    for k, item in enumerate(items):
        text = squeeze(item.text).strip()
        ref = "§" + singles.get(k, item.ref)
        if ref in seen:  # the same printed number twice (a numbering slip): keep both, apart
            seen[ref] += 1
            ref = f"{ref}#{seen[ref]}"
        else:
            seen[ref] = 1
        refs = annotate(text, context).legal_refs
        implements = tuple(r for r in refs if IMPLEMENTING_CUE.search(text[: r.start]))
        cites = tuple(r for r in refs if r not in implements)
        section = item.section
        tasks.append(
            TaskRecord(
                ref=ref,
                section=section,
                section_title="",
                title=text.rstrip(" .;"),
                products="",
                due=_deadline(due_in_text(text), period),
                status="open",
                lead=item.subject.lead,
                support=item.partners if item.partners is not None else supporters(text, item.subject.lead),
                accountable=item.subject.post,
                line=item.line,
                source_text=text,
                cites=cites,
                implements=implements,
                origin="duty",
                requested=item.subject.requested,
            )
        )
    return tasks
