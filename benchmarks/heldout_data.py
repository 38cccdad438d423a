"""The held-out appendices: real task rows from plans the samples do not use, in generated layouts.

The rows come from the real appendix texts in `shared/eval/real/text_appendix/`
that `samples/src` does NOT take (QĐ 2597/QĐ-TTg, QĐ 2530/QĐ-TTg, TB 624/TB-VPCP,
NQ 78/2025/NQ-HĐND), so that no reader was tuned on them (QĐ 2629/QĐ-TTg, used until main 8863b3f
 took it for a sample, is left out). A seed
chooses each appendix's layout (4–7 columns, header variants of the contract,
section rows, multi-paragraph cells, 1–4 pages), its issuer, number and date.
The golden file is written from these data, never from phuluc's output.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_IDS = ("ec00bd6f58be7864", "646f0a00d4174382", "74e2ddc7b11340da", "d2ab0055765c27e8")  # 2edf5927: samples since 8863b3f
ROLES = ("task", "lead", "partners", "timeline", "product")
_ROMAN = re.compile(r"^(?:[IVX]+|[A-Z])\.?$")
_NUM = re.compile(r"^\d+(?:\.\d+)*\.?$")


@dataclass
class Layout:
    """The task table's columns: header text and the field each one is (`extra` keys by header)."""

    name: str
    headers: list[str]
    roles: list[str]  # "stt", "task", "lead", "partners", "timeline", "extra:<source role>"


LAYOUTS = [
    Layout("4col-trach-nhiem", ["STT", "Nội dung công việc", "Trách nhiệm thực hiện", "Thời hạn hoàn thành"],
           ["stt", "task", "lead", "timeline"]),
    Layout("5col-classic", ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian thực hiện"],
           ["stt", "task", "lead", "partners", "timeline"]),
    Layout("6col-san-pham", ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
                             "Sản phẩm dự kiến"], ["stt", "task", "lead", "partners", "timeline", "extra:product"]),
    Layout("7col-theo-doi", ["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Chủ trì thực hiện",
                             "Phối hợp thực hiện", "Ghi chú"],
           ["stt", "task", "extra:product", "timeline", "lead", "partners", "extra:note"]),
    Layout("5col-don-vi", ["Số TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Tiến độ"],
           ["stt", "task", "lead", "partners", "timeline"]),
    Layout("6col-ket-qua", ["TT", "Nhiệm vụ, giải pháp", "Kết quả dự kiến", "Cơ quan chủ trì", "Cơ quan phối hợp",
                            "Thời hạn"], ["stt", "task", "extra:product", "lead", "partners", "timeline"]),
]

ISSUERS = [
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "Ủy ban nhân dân tỉnh Quảng Ninh", "Quảng Ninh"),
    ("ỦY BAN NHÂN DÂN XÃ LƯƠNG MINH", "Ủy ban nhân dân xã Lương Minh", "Lương Minh"),
    ("ỦY BAN NHÂN DÂN PHƯỜNG SA ĐÉC", "Ủy ban nhân dân phường Sa Đéc", "Sa Đéc"),
    ("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn"),
    ("ỦY BAN NHÂN DÂN XÃ PHỐ BẢNG", "Ủy ban nhân dân xã Phố Bảng", "Phố Bảng"),
    ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "Ủy ban nhân dân tỉnh Đồng Tháp", "Đồng Tháp"),
]
TITLES = [
    "DANH MỤC NHIỆM VỤ TRỌNG TÂM VỀ CHUYỂN ĐỔI SỐ NĂM 2026",
    "NHIỆM VỤ CỤ THỂ TRIỂN KHAI KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2026 - 2030",
    "PHÂN CÔNG NHIỆM VỤ THỰC HIỆN ĐỀ ÁN PHÁT TRIỂN KẾT CẤU HẠ TẦNG SỐ",
    "DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG",
]
NOTES = ["", "", "Báo cáo định kỳ", "Lồng ghép nhiệm vụ thường xuyên", ""]


@dataclass
class Appendix:
    """One generated appendix: everything a producer draws and everything the golden file says."""

    name: str
    layout: Layout
    issuer_upper: str
    issuer: str
    place: str
    number: str
    date_iso: str
    title_lines: list[str]
    kem_theo: str
    rows: list[dict] = field(default_factory=list)  # {"section": str} or {"cells": [paragraph lists per column]}
    signature: bool = False

    def golden(self, source: str) -> dict:
        tasks, section = [], ""
        for row in self.rows:
            if "section" in row:
                section = row["section"]
                continue
            task = {"section": section, "stt": "", "task": "", "timeline": "", "lead": "", "partners": "", "extra": {}}
            for header, role, paras in zip(self.layout.headers, self.layout.roles, row["cells"], strict=True):
                text = "\n".join(paras)
                if role.startswith("extra:"):
                    task["extra"][header] = text
                else:
                    task[role] = text
            tasks.append(task)
        doc = {"issuer": self.issuer, "number": self.number, "date": self.date_iso, "title": " ".join(self.title_lines)}
        return {"source": source, "document": doc, "tasks": tasks}


def _clean(text: str) -> list[str]:
    """Source cell → paragraphs: wrapped lines joined by a space, a "- "/"+ " line starts a paragraph."""
    text = re.sub(r"\*+|\[\d+\]", "", text)
    paras: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if not paras or re.match(r"^[-+•]\s", line):
            paras.append(line)
        else:
            paras[-1] += " " + line
    return [re.sub(r"\s+", " ", p).strip() for p in paras if p.strip()]


def _groups(text: str) -> list[list[str]]:
    """The rendering's rows: cells are blocks closed by a line '|'; an empty block separates rows."""
    groups: list[list[str]] = [[]]
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip() != "|":
            current.append(line)
            continue
        block = "\n".join(current).strip()
        current = []
        if block == "":
            groups.append([])
        else:
            groups[-1].append(block)
    return [g for g in groups if g]


def _role_of(header: str) -> str | None:
    h = header.lower()
    if "văn bản" in h or "thuộc nhóm" in h:
        return None
    for role, words in (("partners", ("phối hợp",)), ("lead", ("chủ trì",)), ("timeline", ("thời gian", "thời hạn")),
                        ("product", ("kết quả", "sản phẩm")), ("task", ("nhiệm vụ", "nội dung", "giải pháp"))):
        if any(w in h for w in words):
            return role
    return None


def read_pool(folder: Path) -> tuple[list[dict], list[str]]:
    """Task rows {role: paragraphs} and section titles from the held-out source files."""
    pool: list[dict] = []
    sections: list[str] = []
    for fid in SOURCE_IDS:
        groups = _groups((folder / f"tnt305_tai_lieu_noi_bo__{fid}.md").read_text(encoding="utf-8"))
        roles: list[str | None] = []
        for g in groups:
            bare = [re.sub(r"\*+", "", c).strip() for c in g]
            heads = [k for k, c in enumerate(bare) if c in ("STT", "TT")]
            if heads:
                roles = [None] + [_role_of(c) for c in bare[heads[-1] + 1:]]
                continue
            first = bare[0]
            cells = [_clean(c) for c in g]
            if _ROMAN.match(first) and len(g) >= 2 and cells[1] and len(" ".join(cells[1])) < 120:
                sections.append(f"{first.rstrip('.')}. {' '.join(cells[1])}")
                continue
            if not roles or len(g) != len(roles) or not _NUM.match(first):
                continue
            row = {r: cells[i] for i, r in enumerate(roles) if r}
            task = " ".join(row.get("task", []))
            if "task" in row and "lead" in row and 15 < len(task) < 420:
                pool.append(row)
    return pool, [s for s in sections if s.split(". ", 1)[1].isupper()]


def _issue_date(rng: random.Random) -> tuple[str, str, str]:
    y, m, d = rng.choice([2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    text = f"ngày {d:02d}/{m:02d}/{y}" if rng.random() < 0.5 else f"ngày {d:02d} tháng {m:02d} năm {y}"
    return iso, text, f"{d:02d}/{m:02d}/{y}"


def _cells(layout: Layout, src: dict, rng: random.Random, stt: str) -> list[list[str]]:
    cells = []
    for role in layout.roles:
        if role == "stt":
            cells.append([stt])
        elif role == "extra:note":
            note = rng.choice(NOTES)
            cells.append([note] if note else [])
        else:
            key = role.removeprefix("extra:")
            paras = list(src.get(key, []))
            parts = paras[0].split(", ") if len(paras) == 1 else []
            if key == "partners" and len(parts) > 1 and all(p[:1].isupper() for p in parts) and rng.random() < 0.5:
                paras = parts  # one agency per paragraph, as many plans list them
            cells.append(paras)
    return cells


def make_appendices(folder: Path, seed: int, count: int = 12) -> list[Appendix]:
    """`count` appendices, each drawing its rows from the pool without repeats inside one document."""
    pool, sections = read_pool(folder)
    out: list[Appendix] = []
    sizes = [5, 8, 12, 18, 26, 7, 10, 15, 34, 6, 22, 9]
    for i in range(count):
        rng = random.Random(seed * 1000 + i)
        layout = LAYOUTS[i % len(LAYOUTS)]
        upper, issuer, place = ISSUERS[i % len(ISSUERS)]
        iso, date_text, _ = _issue_date(rng)
        number = f"{rng.randint(12, 2999)}/KH-UBND"
        title = rng.choice(TITLES)
        title_lines = ["PHỤ LỤC", title] if rng.random() < 0.6 else [f"PHỤ LỤC {title}"]
        kem = f"(Kèm theo Kế hoạch số {number} {date_text} của {issuer})"
        app = Appendix(f"heldout-{i + 1:02d}-{layout.name}", layout, upper, issuer, place, number, iso,
                       title_lines, kem, signature=(i % 3 == 0))
        n = sizes[i % len(sizes)]
        picked = rng.sample(pool, min(n, len(pool)))
        use_sections = i % 2 == 1 and n >= 8
        sec_at = set(rng.sample(range(1, n), 2)) | {0} if use_sections else set()
        stt = 0
        for k, src in enumerate(picked):
            if k in sec_at:
                app.rows.append({"section": rng.choice(sections)})
                stt = 0
            stt += 1
            app.rows.append({"cells": _cells(layout, src, rng, str(stt))})
        out.append(app)
    return out
