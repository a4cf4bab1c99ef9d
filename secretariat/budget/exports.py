"""The standard tables as XLSX (openpyxl) and PDF (WeasyPrint), with the figures the screen shows."""

import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from secretariat.budget.figures import XLSX_FORMATS, cell_number
from secretariat.budget.selectors import StandardTable

FIRST_FIGURE_COLUMN = 2  # column A holds the row labels


def tables_workbook(*, section, tables: list[StandardTable], version_label: str = "") -> bytes:
    """One sheet per table: a title, the unit, a header row, then the rows (totals in bold).

    Figures stay numbers: amounts in thousands, counts whole, each cell carrying the fascicle's
    number format (one decimal, negatives in parentheses, a dash for zero).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.code[:31])
        sheet.append([f"{section.code} {section.title} ({section.budget_year})"])
        sheet.append([table.title if not version_label else f"{table.title} — {version_label}"])
        sheet.append([table.unit])
        sheet.append([""] + [column.label for column in table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows:
            figures = [None if row.kind == "heading" else cell_number(row.values.get(column.key), column.quantity)
                       for column in table.columns]
            sheet.append([("  " * row.level) + row.label] + figures)
            cells = sheet[sheet.max_row]
            for column, cell in zip(table.columns, cells[FIRST_FIGURE_COLUMN - 1:], strict=True):
                cell.number_format = XLSX_FORMATS[column.quantity]
            if row.kind in ("subtotal", "total"):
                for cell in cells:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tables_pdf(*, section, tables: list[StandardTable], request=None, version_label: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string("budget/tables_pdf.html", {"section": section, "tables": tables,
                                                       "version_label": version_label}, request=request)
    return HTML(string=html).write_pdf()
