"""The standard tables as XLSX (openpyxl) and PDF (WeasyPrint), with the figures the screen shows."""

import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from secretariat.budget.selectors import StandardTable, in_thousands


def display_value(column, value):
    if value is None:
        return None
    if column.is_percentage:
        return float(value)
    if isinstance(value, int):
        return value
    return float(in_thousands(value))


def tables_workbook(*, section, tables: list[StandardTable]) -> bytes:
    """One sheet per table: a title, the unit, a header row, then the rows (totals in bold)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.code[:31])
        sheet.append([f"{section.code} {section.title} ({section.budget_year})"])
        sheet.append([table.title])
        sheet.append([table.unit])
        sheet.append([""] + [column.label for column in table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([("  " * row.level) + row.label]
                         + [display_value(column, row.values.get(column.key)) for column in table.columns])
            if row.kind in ("subtotal", "total"):
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tables_pdf(*, section, tables: list[StandardTable], request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("budget/tables_pdf.html", {"section": section, "tables": tables}, request=request)
    return HTML(string=html).write_pdf()
