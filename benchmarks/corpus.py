"""A deterministic synthetic national corpus of plan documents (issue 8).

    python3 benchmarks/corpus.py --scale 0.01 --seed 57 --out /tmp/corpus-1pct

Shape (full scale: 34 provinces, 3,321 communes, about 350,000 tasks):
- central mandates: the Government's action programmes for NQ 57 (71/NQ-CP),
  NQ 66 and Đề án 06, tasks led by ministries (markdown plans);
- per province: an NQ 57 plan carrying the central tasks down (markdown), three
  department plans carrying the province's tasks led by that department
  (markdown), and an admin-reform plan (text extracted from a PDF);
- per commune: an NQ 57 plan carrying the province's tasks (tab-separated
  appendix tables, or markdown for one commune in four), 80–110 tasks.

Task texts are derived from the level above with the rewording offices do
(scope "cả nước" → "địa bàn tỉnh" → "địa bàn xã", synonyms, abbreviations such
as "CSDL", "CĐS", added purpose phrases), agencies are those of each
jurisdiction written in their real variety (abbreviations "Sở KH&CN",
"VP HĐND&UBND xã", case slips and a missing diacritic now and then), citations
name the mandates in their formal and informal spellings ("Nghị quyết số
57-NQ/TW", "NQ 57", "Đề án 06") and the province's own plan, and deadlines come
in every form the samples show. Everything follows from the seed.

Scales: ``samples`` (the five sample documents, copied), ``0.01``, ``0.1``, ``1``; ``real-N``: the real documents
(samples and web corpus) N times each, renumbered (`replicate_real`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plangraph.model import ColumnRole  # noqa: E402
from tests.renderers import Row, Section, Spec, render_pdftext  # noqa: E402

PROVINCES = [
    ("Hà Nội", "thành phố"), ("Huế", "thành phố"), ("Hải Phòng", "thành phố"), ("Đà Nẵng", "thành phố"),
    ("Hồ Chí Minh", "thành phố"), ("Cần Thơ", "thành phố"), ("Lai Châu", "tỉnh"), ("Điện Biên", "tỉnh"),
    ("Sơn La", "tỉnh"), ("Lạng Sơn", "tỉnh"), ("Quảng Ninh", "tỉnh"), ("Thanh Hóa", "tỉnh"), ("Nghệ An", "tỉnh"),
    ("Hà Tĩnh", "tỉnh"), ("Cao Bằng", "tỉnh"), ("Tuyên Quang", "tỉnh"), ("Lào Cai", "tỉnh"), ("Thái Nguyên", "tỉnh"),
    ("Phú Thọ", "tỉnh"), ("Bắc Ninh", "tỉnh"), ("Hưng Yên", "tỉnh"), ("Ninh Bình", "tỉnh"), ("Quảng Trị", "tỉnh"),
    ("Quảng Ngãi", "tỉnh"), ("Gia Lai", "tỉnh"), ("Khánh Hòa", "tỉnh"), ("Lâm Đồng", "tỉnh"), ("Đắk Lắk", "tỉnh"),
    ("Đồng Nai", "tỉnh"), ("Tây Ninh", "tỉnh"), ("Vĩnh Long", "tỉnh"), ("Đồng Tháp", "tỉnh"), ("Cà Mau", "tỉnh"),
    ("An Giang", "tỉnh"),
]  # fmt: skip
COMMUNES_FULL = 3321
SYLLABLES = (
    "An Bình Hòa Phú Tân Long Mỹ Thạnh Phước Lợi Bác Xuân Đông Tây Trung Hưng Thuận Quang Vĩnh Hiệp Khánh Lộc "
    "Thịnh Hải Sơn Thủy Minh Đức Nghĩa Tiến Phong Yên Châu Thành Cát Hồng Ngọc Kim Lâm Hà Giang Hợp Lập Nam Bắc"
).split()

# Central tasks per mandate: (title, products, lead ministry). Provinces and communes reword them.
MANDATES = {
    "57": {
        "number": "71/NQ-CP",
        "issued": "01/4/2025",
        "title": "Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        "cite": ["Nghị quyết số 57-NQ/TW", "NQ 57", "Nghị quyết 57-NQ/TW"],
        "themes": [
            "hoàn thiện thể chế, chính sách về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
            "phát triển hạ tầng số, mạng băng rộng và phủ sóng di động 5G",
            "xây dựng cơ sở dữ liệu dùng chung và kết nối, chia sẻ dữ liệu",
            "cung cấp dịch vụ công trực tuyến toàn trình",
            "đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức",
            "bảo đảm an toàn, an ninh thông tin mạng",
            "phát triển doanh nghiệp công nghệ số và hệ sinh thái khởi nghiệp sáng tạo",
            "ứng dụng trí tuệ nhân tạo trong quản lý nhà nước",
            "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            "phổ biến kiến thức về khoa học, công nghệ và chuyển đổi số cho người dân",
            "thanh toán không dùng tiền mặt trong cung cấp dịch vụ công",
            "nền tảng học tập số và y tế số",
        ],
        "ministries": ["Bộ Khoa học và Công nghệ", "Bộ Công an", "Bộ Nội vụ", "Bộ Tài chính", "Văn phòng Chính phủ"],
    },
    "66": {
        "number": "140/NQ-CP",
        "issued": "17/5/2025",
        "title": "Kế hoạch của Chính phủ thực hiện Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị",
        "cite": ["Nghị quyết số 66-NQ/TW", "NQ 66", "Nghị quyết 66-NQ/TW"],
        "themes": [
            "rà soát, sửa đổi, bổ sung văn bản quy phạm pháp luật",
            "nâng cao chất lượng thẩm định, kiểm tra văn bản quy phạm pháp luật",
            "tổ chức thi hành pháp luật và phổ biến, giáo dục pháp luật",
            "xây dựng cơ sở dữ liệu quốc gia về pháp luật",
            "phân cấp, phân quyền trong quản lý nhà nước",
            "đào tạo đội ngũ làm công tác xây dựng pháp luật",
        ],
        "ministries": ["Bộ Tư pháp", "Văn phòng Chính phủ", "Bộ Nội vụ"],
    },
    "06": {
        "number": "06/QĐ-TTg",
        "issued": "06/01/2022",
        "title": "Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia",
        "cite": ["Quyết định số 06/QĐ-TTg", "Đề án 06", "Đề án 06/CP"],
        "themes": [
            "làm sạch dữ liệu dân cư và kết nối với cơ sở dữ liệu chuyên ngành",
            "cấp tài khoản định danh điện tử cho công dân",
            "tích hợp dịch vụ công thiết yếu trên Cổng dịch vụ công quốc gia",
            "ứng dụng căn cước điện tử trong giải quyết thủ tục hành chính",
        ],
        "ministries": ["Bộ Công an", "Văn phòng Chính phủ", "Bộ Y tế"],
    },
}
VERBS = ["Triển khai", "Tổ chức thực hiện", "Đẩy mạnh", "Xây dựng kế hoạch", "Rà soát và hoàn thiện", "Tăng cường"]
SYNONYMS = [
    ("cơ sở dữ liệu", "CSDL"),
    ("chuyển đổi số", "CĐS"),
    ("dịch vụ công trực tuyến", "DVCTT"),
    ("nâng cao", "tăng cường"),
    ("xây dựng", "hoàn thiện"),
    ("cán bộ, công chức, viên chức", "CBCCVC"),
    ("thủ tục hành chính", "TTHC"),
]
PURPOSES = [
    "",
    "",
    " theo chỉ đạo của Trung ương",
    " năm 2026",
    " bảo đảm tiến độ, chất lượng",
    " giai đoạn 2026 - 2030",
]
PROVINCE_LEADS = {
    "Sở Khoa học và Công nghệ": ["Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở Khoa học và công nghệ"],
    "Sở Nội vụ": ["Sở Nội vụ", "Sở Nội Vụ"],
    "Sở Tư pháp": ["Sở Tư pháp"],
    "Sở Tài chính": ["Sở Tài chính", "Sở Tài Chính"],
    "Công an tỉnh": ["Công an tỉnh", "CA tỉnh"],
    "Văn phòng UBND tỉnh": ["Văn phòng UBND tỉnh", "VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"],
    "Sở Giáo dục và Đào tạo": ["Sở Giáo dục và Đào tạo", "Sở GD&ĐT"],
    "Sở Y tế": ["Sở Y tế"],
}
MINISTRY_TO_PROVINCE = {
    "Bộ Khoa học và Công nghệ": "Sở Khoa học và Công nghệ",
    "Bộ Công an": "Công an tỉnh",
    "Bộ Nội vụ": "Sở Nội vụ",
    "Bộ Tài chính": "Sở Tài chính",
    "Văn phòng Chính phủ": "Văn phòng UBND tỉnh",
    "Bộ Tư pháp": "Sở Tư pháp",
    "Bộ Y tế": "Sở Y tế",
}
PROVINCE_SUPPORT = ["Các sở, ban, ngành", "UBND các xã, phường", "Các cơ quan, đơn vị liên quan", "Sở Nội vụ"]
DEPARTMENT_SLUGS = {"Sở Khoa học và Công nghệ": "khcn", "Sở Nội vụ": "noi-vu", "Công an tỉnh": "cong-an"}
DEPARTMENT_UNITS = ["Văn phòng Sở", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý chuyên ngành", "Thanh tra Sở"]
COMMUNE_LEADS = [
    ["Văn phòng HĐND và UBND xã", "VP HĐND&UBND xã", "Văn phòng HĐND& UBND xã"],
    ["Công an xã"],
    ["Phòng Kinh tế"],
    ["Phòng Văn hóa - Xã hội", "Phòng Văn hóa – Xã hội"],
    ["Trung tâm Phục vụ hành chính công xã", "Trung tâm Phục vụ HCC xã"],
    ["Trung tâm dịch vụ công ích"],
]
COMMUNE_SUPPORT = ["Các cơ quan, đơn vị liên quan", "Các phòng, ban chuyên môn", "UBND xã"]
DEADLINES = [
    "Thường xuyên", "Hằng năm", "Quý I/2026", "Quý II, III/2026", "Tháng 6/2026", "Tháng 02/2026", "Năm 2026",
    "Trong năm 2026", "31/12/2026", "Trước ngày 30/6/2026", "Giai đoạn 2026 - 2030", "2026-2030",
    "Sau khi Quyết định được ban hành", "Theo tiến độ của Trung ương", "Quý IV/2026",
]  # fmt: skip
SECTIONS = ["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "HOÀN THIỆN THỂ CHẾ", "HẠ TẦNG VÀ DỮ LIỆU", "NHÂN LỰC VÀ TRUYỀN THÔNG"]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


@dataclass
class Task:
    title: str
    products: str
    lead: str  # canonical name (before spelling variety)
    support: str
    due: str
    mandate: str


@dataclass
class Corpus:
    files: dict[str, int] = field(default_factory=dict)  # path → tasks written
    formats: dict[str, int] = field(default_factory=dict)


def _reword(text: str, rng: random.Random, scope: str) -> str:
    text = text.replace("trên phạm vi cả nước", scope).replace("trên địa bàn tỉnh", scope)
    for a, b in SYNONYMS:
        if a in text and rng.random() < 0.3:
            text = text.replace(a, b, 1)
    if rng.random() < 0.5:
        verb = rng.choice(VERBS)
        rest = next((text[len(v) + 1 :] for v in VERBS if text.startswith(v + " ")), text[0].lower() + text[1:])
        text = f"{verb} {rest}"
    return text + rng.choice(PURPOSES)


def _spell(canonical: str, variants: dict[str, list[str]], rng: random.Random) -> str:
    name = rng.choice(variants.get(canonical, [canonical]))
    if rng.random() < 0.01:  # a slip of the keyboard: one diacritic lost
        name = name.replace("ộ", "ô", 1).replace("ệ", "ê", 1)
    return name


def _tsv(preamble: list[str], tasks: list[Task], lead_spelling: object, rng: random.Random) -> str:
    header = "STT\tNội dung\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"
    lines = [*preamble, "", header]
    per = max(1, len(tasks) // rng.randint(3, 4))
    for i, task in enumerate(tasks):
        if i % per == 0:
            lines.append(f"{ROMAN[min(i // per, 5)]}\t{SECTIONS[(i // per) % len(SECTIONS)]}\t\t\t\t")
        if i and i % 25 == 0:
            lines += ["", header]  # the header repeated at a page break
        lead = lead_spelling(task.lead, rng)  # type: ignore[operator]
        lines.append(f"{i + 1}\t{task.title}\t{task.products}\t{lead}\t{task.support}\t{task.due}")
    return "\n".join(lines) + "\n"


def _markdown(head: list[str], tasks: list[Task], lead_spelling: object, rng: random.Random) -> str:
    lines = [*head, "", "**PHỤ LỤC**", "", "**DANH MỤC NHIỆM VỤ TRỌNG TÂM**", ""]
    header = "<b>STT</b>\t<b>Nhiệm vụ</b>\t<b>Kết quả</b>\t<b>Chủ trì</b>\t<b>Phối hợp</b>\t<b>Thời hạn</b>"
    lines.append(header)
    per = max(1, len(tasks) // 3)
    for i, task in enumerate(tasks):
        if i % per == 0:
            lines.append(f"<b>{ROMAN[min(i // per, 5)]}</b>\t<b>{SECTIONS[(i // per) % len(SECTIONS)]}</b>\t\t\t\t")
        lead = lead_spelling(task.lead, rng)  # type: ignore[operator]
        lines.append(f"{i + 1}\t{task.title}\t{task.products}\t{lead}\t{task.support}\t{task.due}")
    return "\n".join(lines) + "\n"


def _md_head(
    number: str, place: str, issuer: str, title: str, bases: list[str], issued: str = "15/3/2026"
) -> list[str]:
    day, month, year = issued.split("/")
    out = [issuer.upper(), "", f"Số: {number}", "", f"{place}, ngày {int(day)} tháng {int(month)} năm {year}", "",
           "**KẾ HOẠCH**  ", f"**{title}**", ""]  # fmt: skip
    for basis in bases:
        out += [f"Thực hiện {basis};", ""]
    out += ["## **I. MỤC ĐÍCH, YÊU CẦU**", "", "Tổ chức thực hiện đồng bộ, hiệu quả các nhiệm vụ được giao.", ""]
    return out


def commune_names(rng: random.Random, count: int, provinces: int) -> list[str]:
    """Two-syllable names, dealt round-robin to the provinces, unique within each province (as in life: many
    provinces have a xã Tân Hải, none has two)."""
    names: list[str] = []
    seen: list[set[str]] = [set() for _ in range(provinces)]
    while len(names) < count:
        first, second = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
        name = f"{first} {second}"
        mine = seen[len(names) % provinces]
        if first == second or name in mine:
            continue
        mine.add(name)
        names.append(name)
    return names


def generate(out: Path, scale: float, seed: int) -> Corpus:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    corpus = Corpus()

    def write(relative: str, text: str, fmt: str, tasks: int) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        corpus.files[relative] = tasks
        corpus.formats[fmt] = corpus.formats.get(fmt, 0) + tasks

    # Central mandates.
    central: dict[str, list[Task]] = {}
    for key, mandate in MANDATES.items():
        tasks = []
        for theme in mandate["themes"]:  # type: ignore[union-attr]
            for verb in rng.sample(VERBS, 3):
                ministry = rng.choice(mandate["ministries"])  # type: ignore[arg-type]
                title = f"{verb} {theme} trên phạm vi cả nước"
                tasks.append(
                    Task(
                        title,
                        "Văn bản, báo cáo kết quả",
                        ministry,
                        "Các bộ, ngành, địa phương",
                        rng.choice(DEADLINES),
                        key,
                    )
                )
        central[key] = tasks
        head = _md_head(
            str(mandate["number"]), "Hà Nội", "CHÍNH PHỦ", str(mandate["title"]),
            [f"{mandate['cite'][0]} của Bộ Chính trị"], str(mandate["issued"]),  # type: ignore[index]
        )  # fmt: skip
        write(f"central/{key}.md", _markdown(head, tasks, lambda n, r: n, rng), "markdown", len(tasks))

    provinces = PROVINCES if scale >= 1 else PROVINCES[: max(1, round(len(PROVINCES) * scale))]
    communes_total = round(COMMUNES_FULL * scale)
    names = commune_names(rng, communes_total, len(provinces))
    for p_index, (province, kind) in enumerate(provinces):
        slug = f"p{p_index:02d}"
        ubnd = f"UBND {kind} {province}"
        plan_number = f"{rng.randint(10, 300)}/KH-UBND"
        # Province NQ 57 plan: central tasks of all mandates carried down, reworded.
        p_tasks: list[Task] = []
        for key, tasks in central.items():
            for task in rng.sample(tasks, k=min(len(tasks), {"57": 34, "66": 10, "06": 8}[key])):
                lead = MINISTRY_TO_PROVINCE.get(task.lead, "Sở Nội vụ")
                cite = rng.choice(MANDATES[key]["cite"])  # type: ignore[arg-type]
                p_tasks.append(
                    Task(_reword(task.title, rng, "trên địa bàn tỉnh"), f"Kế hoạch, báo cáo theo {cite}", lead,
                         rng.choice(PROVINCE_SUPPORT), rng.choice(DEADLINES), key)
                )  # fmt: skip
        bases = [f"{m['cite'][0]} của Bộ Chính trị" for m in MANDATES.values()]  # type: ignore[index]
        head = _md_head(plan_number, province, ubnd, "Triển khai Nghị quyết số 57-NQ/TW và Đề án 06 năm 2026", bases)
        write(
            f"{slug}/province-nq57.md",
            _markdown(head, p_tasks, lambda n, r: _spell(n, PROVINCE_LEADS, r), rng),
            "markdown",
            len(p_tasks),
        )
        # Department plans: the province tasks each department leads.
        for department in DEPARTMENT_SLUGS:
            own = [t for t in p_tasks if t.lead == department] or p_tasks[:5]
            d_tasks = [
                Task(_reword(t.title, rng, "trong toàn ngành"), "Văn bản triển khai", rng.choice(DEPARTMENT_UNITS),
                     "Các phòng, đơn vị thuộc Sở", rng.choice(DEADLINES), t.mandate)
                for t in own for _ in range(2)
            ][:40]  # fmt: skip
            head = _md_head(
                f"{rng.randint(10, 400)}/KH-{'SKHCN' if 'Khoa' in department else 'SNV' if 'Nội' in department else 'CAT'}",
                province, f"{department} {kind} {province}".replace("tỉnh tỉnh", "tỉnh"),
                f"Thực hiện Kế hoạch số {plan_number} của {ubnd} năm 2026",
                [f"Kế hoạch số {plan_number} ngày 15/3/2026 của {ubnd}"],
            )  # fmt: skip
            write(
                f"{slug}/dept-{DEPARTMENT_SLUGS[department]}.md",
                _markdown(head, d_tasks, lambda n, r: n, rng),
                "markdown",
                len(d_tasks),
            )
        # Admin-reform plan, as text extracted from a PDF.
        spec = Spec(
            [(ColumnRole.NUMBER, "STT"), (ColumnRole.TITLE, "Nội dung"), (ColumnRole.PRODUCTS, "Sản phẩm"),
             (ColumnRole.LEAD, "Cơ quan chủ trì"), (ColumnRole.SUPPORT, "Cơ quan phối hợp"),
             (ColumnRole.DUE, "Thời gian thực hiện")],
            [],
        )  # fmt: skip
        n = 0
        for s in range(4):
            section = Section(ROMAN[s], SECTIONS[s])
            for _ in range(12):
                n += 1
                theme = rng.choice(MANDATES["66"]["themes"] + MANDATES["57"]["themes"])  # type: ignore[operator]
                lead = rng.choice(list(PROVINCE_LEADS))
                section.rows.append(Row(str(n), {
                    ColumnRole.TITLE: f"{rng.choice(VERBS)} {theme} trên địa bàn tỉnh",
                    ColumnRole.PRODUCTS: "Kế hoạch của UBND tỉnh", ColumnRole.LEAD: lead,
                    ColumnRole.SUPPORT: rng.choice(PROVINCE_SUPPORT), ColumnRole.DUE: rng.choice(DEADLINES),
                }))  # fmt: skip
            spec.sections.append(section)
        text = render_pdftext(spec, rng).replace(
            "(Kèm theo Kế hoạch số: 7/KH-UBND ngày 8/01/2026 của UBND tỉnh Lạng Sơn)",
            f"(Kèm theo Kế hoạch số: {rng.randint(301, 600)}/KH-UBND ngày 8/01/2026 của {ubnd})",
        )
        write(f"{slug}/cchc.txt", text, "pdftext", n)
        # Communes of this province (round-robin share of the national count).
        mine = names[p_index :: len(provinces)]
        for c_index, commune in enumerate(mine):
            c_tasks = []
            for task in rng.sample(p_tasks, k=min(len(p_tasks), rng.randint(40, 52))):
                for _ in range(2):
                    lead = rng.choice(COMMUNE_LEADS)[0]
                    c_tasks.append(Task(_reword(task.title, rng, "trên địa bàn xã"), rng.choice(["Kế hoạch của UBND xã", "Báo cáo kết quả", "Văn bản triển khai"]),
                                        lead, rng.choice(COMMUNE_SUPPORT), rng.choice(DEADLINES), task.mandate))  # fmt: skip
            variants = {row[0]: row for row in COMMUNE_LEADS}
            number = f"{rng.randint(1, 200)}/KH-UBND"
            issuer = f"Ủy ban nhân dân xã {commune}"
            if c_index % 4 == 3:
                head = _md_head(number, province, f"UBND XÃ {commune.upper()}", "Thực hiện Nghị quyết số 57-NQ/TW năm 2026",
                                [f"Kế hoạch số {plan_number} ngày 15/3/2026 của {ubnd}"])  # fmt: skip
                head[0] = f"UBND {kind.upper()} {province.upper()}\n\nUBND XÃ {commune.upper()}"
                text = _markdown(head, c_tasks, lambda n, r, v=variants: _spell(n, v, r), rng)
                write(f"{slug}/communes/{c_index:04d}.md", text, "markdown", len(c_tasks))
            else:
                preamble = [
                    "Phụ lục",
                    "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM TRIỂN KHAI THỰC HIỆN",
                    "NGHỊ QUYẾT SỐ 57-NQ/TW CỦA BỘ CHÍNH TRỊ NĂM 2026",
                    f"(Kèm theo Kế hoạch số {number} ngày 29/4/2026 của {issuer}, {kind} {province})",
                ]
                text = _tsv(preamble, c_tasks, lambda n, r, v=variants: _spell(n, v, r), rng)
                write(f"{slug}/communes/{c_index:04d}.txt", text, "tsv", len(c_tasks))
    (out / ".manifest.json").write_text(
        json.dumps({"scale": scale, "seed": seed, "documents": len(corpus.files), "tasks": sum(corpus.files.values()),
                    "tasks_by_format": corpus.formats}, ensure_ascii=False, indent=1), encoding="utf-8")  # fmt: skip
    return corpus


REAL = [
    *sorted((ROOT / "data" / "samples").glob("*.txt")),
    *sorted((ROOT / "tests" / "data" / "web").glob("*.txt")),
]
NUMBER = re.compile(r"([Ss]ố\s*:?\s*)(\d+)(?=\s*/)")


def replicate_real(out: Path, copies: int) -> Corpus:
    """The real documents (the five samples and the ten web-corpus plans), `copies` times each with their names
    changed: copy k's plan number is prefixed with k (a plan is its number, jurisdiction and year) and its file
    is `rK_<name>`. Real text, so parsing is measured on what users bring (cells that do not repeat)."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, int] = {}
    for path in REAL:
        text = path.read_text("utf-8")
        for k in range(1, copies + 1):
            name = f"r{k:05d}_{path.name}"
            (out / name).write_text(NUMBER.sub(lambda m, k=k: f"{m.group(1)}{k}{m.group(2)}", text, count=1), "utf-8")
            files[name] = 0
    return Corpus(files=files)


def copy_samples(out: Path) -> Corpus:
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "data" / "samples").glob("*.txt")):
        shutil.copy(path, out / path.name)
    return Corpus(files={p.name: 0 for p in out.glob("*.txt")})


def make(out: Path, scale: str, seed: int = 57) -> Corpus:
    """The corpus of a scale: samples, real-N or a fraction of the synthetic national corpus."""
    if scale == "samples":
        return copy_samples(out)
    if scale.startswith("real-"):
        return replicate_real(out, int(scale.removeprefix("real-")))
    return generate(out, float(scale), seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="0.01", help="samples, 0.01, 0.1 or 1 (any fraction works)")
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    corpus = make(args.out, args.scale, args.seed)
    tasks = sum(corpus.files.values())  # known for the synthetic corpus; the copied real documents are counted on load
    print(f"{len(corpus.files)} documents" + (f", {tasks} tasks" if tasks else "") + f" written to {args.out}")


if __name__ == "__main__":
    main()
