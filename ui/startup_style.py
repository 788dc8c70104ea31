"""The part of the stylesheet the login window needs, so its first paint does not match ~250 rules per widget.

Qt matches every rule of the application stylesheet against every widget it polishes, so the size of the sheet
is paid by each widget of the first window. :func:`subset_for` keeps, in their original order, the selectors that
can match inside a given widget tree: those whose ``#ObjectName`` parts all name objects of that tree (selectors
without one — ``QPushButton``, ``QLineEdit:focus`` — are always kept). A selector that names an object absent from
the tree cannot match any widget in it, so the tree looks exactly as under the full sheet. The composition root
applies the subset before the login window is shown and the full sheet right after its first paint.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject

#: Every object name in the login window's tree (ui/views/login.py, ui/widgets/brand.py).
LOGIN_OBJECT_NAMES = frozenset({
    "BrandFooter", "BrandMark", "BrandName", "BrandPanel", "BrandStore", "BrandTagline", "EmployeeNumber",
    "ErrorText", "FieldLabel", "LoginCard", "LoginFooter", "LoginNote", "LoginSide", "LoginTitle", "LoginWindow",
    "Muted", "Pin", "PrimaryButton",
})

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ID = re.compile(r"#([A-Za-z_][A-Za-z0-9_-]*)")


def object_names(root: QObject) -> set[str]:
    """The object names in ``root``'s tree (itself included)."""
    names = {root.objectName()}
    names.update(child.objectName() for child in root.findChildren(QObject))
    names.discard("")
    return names


def subset_for(sheet: str, names: set[str] | frozenset[str]) -> str:
    """The rules of ``sheet`` that can match in a tree whose object names are ``names`` (order kept)."""
    out: list[str] = []
    for block in _COMMENT.sub("", sheet).split("}"):
        if "{" not in block:
            continue
        selectors, body = block.split("{", 1)
        kept = [s.strip() for s in selectors.split(",") if set(_ID.findall(s)) <= names]
        if kept:
            out.append(f"{', '.join(kept)} {{{body}}}")
    return "\n".join(out)
