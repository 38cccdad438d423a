"""The plan's own title: "KẾ HOẠCH" and the lines that name the plan, in a full plan document.

A full plan (body, then the appendix) opens its body with the document type on a line
of its own and the plan's name under it:

    KẾ HOẠCH
    Cải cách hành chính nhà nước giai đoạn 2026 - 2030
    ------
    Căn cứ Luật Tổ chức chính quyền địa phương ...

An appendix alone names the plan only inside "(Kèm theo Kế hoạch số …)": no title then.
"""

from __future__ import annotations

import re

from phuluc.normalize.column_headers import match_key
from phuluc.normalize.table import paragraph_lines
from phuluc.schema import Clean, Line

MAX_TITLE_LINES = 4
# Where the body starts: a separator rule, a numbered heading, the legal basis, a dated place line.
_BODY_START = re.compile(
    r"^(?:[-_–—=*.\s]*$|\(?(?:[IVX]{1,5}|\d{1,2}|[a-zđ])[.)]\s|căn cứ\b|số\s*:|kính gửi\b)",
    re.IGNORECASE,
)


def plan_title(lines: list[Line], clean: Clean, before: int | None) -> str:
    """ "KẾ HOẠCH Cải cách hành chính nhà nước giai đoạn 2026 - 2030", or "" without a plan body.

    Read from the first line that is the word "KẾ HOẠCH" (alone, or followed by the name
    on the same line) before the first appendix heading and the first task table, down
    to where the body starts (a rule, a numbered heading, "Căn cứ …"), at most four lines.
    """
    body = [ln for ln in paragraph_lines(lines) if before is None or ln.order < before]
    start = None
    for i, line in enumerate(body):
        key = match_key(line.text)
        if key.replace(" ", "").startswith("phuluc"):
            break
        if key == "ke hoach" or (key.startswith("ke hoach ") and _upper_word(line.text)):
            start = i
            break
    if start is None:
        return ""
    title = [clean(body[start].text, body[start].font)]
    for line in body[start + 1 : start + 1 + MAX_TITLE_LINES]:
        text = clean(line.text, line.font)
        if not text:
            continue
        if _BODY_START.match(text) or len(text) > 250 or match_key(text).startswith("phu luc"):
            break
        title.append(text)
        if text.endswith("."):
            break
    return " ".join(title) if len(title) > 1 or match_key(title[0]) != "ke hoach" else ""


def _upper_word(text: str) -> bool:
    """The line opens with "KẾ HOẠCH" in capitals, as the document type is printed."""
    head = " ".join(text.split()[:2])
    return head.isupper()
