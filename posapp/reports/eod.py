"""The end-of-day (Z) report as CSV (one section per table, machine-readable) and as a US Letter PDF.

CSV: each section starts with a ``# section`` row, then a header row, then data rows; amounts are integer cents
(``*_cents`` columns), so a program can sum them without parsing money. Sections are separated by a blank row.
PDF: ReportLab with the standard Helvetica fonts (see posapp.receipts.render), so ``pdftotext`` reads it back.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from posapp.domain.money import format_cents
from posapp.reports.model import Amount, EodReport

FONT, BOLD = "Helvetica", "Helvetica-Bold"
TRAINING_LABEL = "TRAINING \u2014 training mode, not a record of real payments"

Table = tuple[str, Sequence[str], list[list[object]]]


def _local(report: EodReport, at: datetime | None) -> str:
    return at.astimezone(ZoneInfo(report.timezone)).strftime("%Y-%m-%d %H:%M") if at else ""


def _summary(r: EodReport) -> list[tuple[str, int | str]]:
    return [("Sales (count)", r.sales_count), ("Refunds (count)", r.refunds_count),
            ("Gross sales", r.gross_sales_cents), ("Refunds", -r.refunds_cents), ("Net total", r.net_cents),
            ("Merchandise after discounts", r.merchandise_net_cents), ("Discounts", r.discount_cents),
            ("Tax", r.tax_cents), ("Fees", r.fee_cents), ("Restocking fees kept", r.restocking_cents),
            ("Voided carts (count)", r.voided_count), ("Declined card attempts (count)", r.declined_count),
            ("Declined card attempts", r.declined_cents)]


def _amounts(rows: Sequence[Amount]) -> list[list[object]]:
    return [[a.key, a.label, a.count, a.cents] for a in rows]


def tables(r: EodReport) -> list[Table]:
    """The report's tables, shared by both writers (amount columns in cents)."""
    return [
        ("summary", ("item", "value"), [[k, v] for k, v in _summary(r)]),
        ("tax", ("key", "label", "lines", "amount_cents"), _amounts(r.taxes)),
        ("by_rep", ("key", "rep", "transactions", "net_cents"), _amounts(r.by_rep)),
        ("by_tender", ("key", "tender", "tenders", "net_cents"), _amounts(r.by_tender)),
        ("by_category", ("key", "category", "units", "net_cents"), _amounts(r.by_category)),
        ("drawers", ("opened_at", "opened_by", "closed_at", "closed_by", "float_cents", "cash_sales_cents",
                     "cash_refunds_cents", "paid_in_cents", "paid_out_cents", "no_sales", "expected_cents",
                     "counted_cents", "variance_cents", "variance_reason"),
         [[_local(r, d.opened_at), d.opened_by, _local(r, d.closed_at), d.closed_by or "", d.float_cents,
           d.cash_sales_cents, d.cash_refunds_cents, d.paid_in_cents, d.paid_out_cents, d.no_sales,
           d.expected_cents, "" if d.counted_cents is None else d.counted_cents,
           "" if d.variance_cents is None else d.variance_cents, d.variance_reason or ""] for d in r.drawers]),
    ]


def write_csv(report: EodReport, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["# report", "end_of_day"])
        w.writerow(["store_id", "store_name", "business_date", "timezone", "generated_at", "generated_by"])
        w.writerow([report.store_id, report.store_name, report.business_date.isoformat(), report.timezone,
                    report.generated_at.isoformat(), report.generated_by])
        for name, header, rows in tables(report):
            w.writerow([])
            w.writerow([f"# {name}"])
            w.writerow(header)
            w.writerows(rows)


class _Page:
    LEFT, RIGHT, TOP, BOTTOM = 0.6 * inch, letter[0] - 0.6 * inch, letter[1] - 0.6 * inch, 0.7 * inch

    def __init__(self, c: Canvas, footer: str) -> None:
        self.c, self.footer, self.page, self.y = c, footer, 1, self.TOP

    def _foot(self) -> None:
        self.c.setFont(FONT, 8)
        self.c.setFillGray(0.4)
        self.c.drawString(self.LEFT, 0.4 * inch, self.footer)
        self.c.drawRightString(self.RIGHT, 0.4 * inch, f"Page {self.page}")
        self.c.setFillGray(0)

    def need(self, height: float) -> None:
        if self.y - height < self.BOTTOM:
            self._foot()
            self.c.showPage()
            self.page += 1
            self.y = self.TOP

    def finish(self) -> None:
        self._foot()
        self.c.showPage()

    def text(self, x: float, text: str, font: str = FONT, size: float = 9, right: bool = False,
             width: float | None = None) -> None:
        if width is not None:
            while text and stringWidth(text, font, size) > width:
                text = text[:-2] + "…" if len(text) > 1 else ""
        self.c.setFont(font, size)
        (self.c.drawRightString if right else self.c.drawString)(x, self.y, text)

    def heading(self, title: str) -> None:
        self.need(75)  # never strand a heading at the foot of a page
        self.y -= 16
        self.text(self.LEFT, title, BOLD, 11)
        self.y -= 5
        self.c.setLineWidth(0.6)
        self.c.line(self.LEFT, self.y, self.RIGHT, self.y)
        self.y -= 12

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              numeric: Sequence[bool], bold_last: bool = False) -> None:
        """Columns at fractions ``widths`` of the printable width; numeric columns right-aligned."""
        span = self.RIGHT - self.LEFT
        edges = [self.LEFT]
        for w in widths:
            edges.append(edges[-1] + w * span)

        def row(cells: Sequence[str], font: str) -> None:
            self.need(13)
            for i, cell in enumerate(cells):
                w = edges[i + 1] - edges[i] - 6
                if numeric[i]:
                    self.text(edges[i + 1], cell, font, 9, right=True, width=w)
                else:
                    self.text(edges[i], cell, font, 9, width=w)
            self.y -= 13

        self.c.setFillGray(0.35)
        row(header, BOLD)
        self.c.setFillGray(0)
        if not rows:
            row(["(none)"] + [""] * (len(header) - 1), FONT)
        for i, cells in enumerate(rows):
            row(cells, BOLD if bold_last and i == len(rows) - 1 else FONT)
        self.y -= 4


def write_pdf(report: EodReport, path: Path) -> None:
    r = report
    c = Canvas(str(path), pagesize=letter)
    c.setTitle(f"End-of-day report {r.business_date.isoformat()}")
    c.setAuthor(r.store_name)
    footer = f"{r.store_name} · Z report {r.business_date.isoformat()}"
    p = _Page(c, f"{TRAINING_LABEL} · {footer}" if r.training else footer)
    if r.training:
        p.text(p.LEFT, TRAINING_LABEL, BOLD, 14)
        p.y -= 22
    p.text(p.LEFT, "End-of-day (Z) report", BOLD, 18)
    p.text(p.RIGHT, r.business_date.strftime("%A %d %B %Y"), BOLD, 12, right=True)
    p.y -= 18
    p.text(p.LEFT, f"{r.store_name} (store {r.store_id})", FONT, 10)
    p.y -= 13
    p.text(p.LEFT, f"Business day {_local(r, r.starts_at)} to {_local(r, r.ends_at)} ({r.timezone})", FONT, 9)
    p.y -= 12
    p.text(p.LEFT, f"Generated {_local(r, r.generated_at)} by {r.generated_by}", FONT, 9)
    p.y -= 6

    p.heading("Summary")
    money = {"Gross sales", "Refunds", "Net total", "Merchandise after discounts", "Discounts", "Tax", "Fees",
             "Restocking fees kept", "Declined card attempts"}
    p.table(("Item", "Amount"), [[k, format_cents(int(v)) if k in money else str(v)] for k, v in _summary(r)],
            (0.45, 0.2), (False, True))

    def amounts(title: str, header: tuple[str, str, str], rows: Sequence[Amount], enum: bool = False) -> None:
        p.heading(title)
        body = [[a.label.replace("_", " ").capitalize() if enum else a.label, str(a.count),
                 format_cents(a.cents)] for a in rows]
        if rows:
            body.append(["Total", str(sum(a.count for a in rows)), format_cents(sum(a.cents for a in rows))])
        p.table(header, body, (0.6, 0.15, 0.25), (False, True, True), bold_last=bool(rows))

    amounts("Tax and fees by jurisdiction line", ("Line", "Lines", "Amount"), r.taxes)
    amounts("Sales by rep (refunds negative)", ("Rep", "Transactions", "Net"), r.by_rep)
    amounts("Sales by tender (approved; cash net of change)", ("Tender", "Tenders", "Net"), r.by_tender,
            enum=True)
    amounts("Sales by category (after discounts, before tax)", ("Category", "Units", "Net"), r.by_category,
            enum=True)

    p.heading("Cash drawer sessions")
    if not r.drawers:
        p.table(("Session",), [], (1.0,), (False,))
    for d in r.drawers:
        closed = f"closed {_local(r, d.closed_at)} by {d.closed_by}" if d.closed_at else "still open"
        p.need(30)
        p.text(p.LEFT, f"Opened {_local(r, d.opened_at)} by {d.opened_by}; {closed}", BOLD, 9)
        p.y -= 14
        rows = [["Float", format_cents(d.float_cents)], ["Cash sales", format_cents(d.cash_sales_cents)],
                ["Cash refunds", format_cents(-d.cash_refunds_cents)], ["Paid in", format_cents(d.paid_in_cents)],
                ["Paid out", format_cents(-d.paid_out_cents)], ["No-sale openings", str(d.no_sales)],
                ["Expected in drawer", format_cents(d.expected_cents)],
                ["Counted", "not counted yet" if d.counted_cents is None else format_cents(d.counted_cents)],
                ["Variance", "—" if d.variance_cents is None else format_cents(d.variance_cents)]]
        p.table(("Item", "Amount"), rows, (0.45, 0.2), (False, True))
        if d.variance_reason:
            for part in simpleSplit(f"Variance reason: {d.variance_reason}", FONT, 9, p.RIGHT - p.LEFT):
                p.need(13)
                p.text(p.LEFT, part)
                p.y -= 13
            p.y -= 4
    p.finish()
    c.save()
