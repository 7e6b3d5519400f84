"""Text for CSV files that spreadsheets open: a cell is never read as a formula.

A student folder named `=1+2` or `@SUM(A1)` would otherwise be a formula in Excel, LibreOffice or
Google Sheets (CSV injection). OWASP's guidance: a text cell starting with =, +, -, @, tab or
carriage return gets a leading single quote, which spreadsheets show as text. Every CSV the kit
writes passes its text cells (names, never the numbers) through as_text.

The escape is reversible (from_text): text that starts with a single quote of its own gets one
more, so that `=x` (written '=x) and `'=x` (written ''=x) stay two students, and a spreadsheet
shows each under its own name.
"""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def as_text(value):
    """The cell text for `value`, with a single quote in front if a spreadsheet would compute it
    (or if it starts with a quote itself)."""
    value = str(value)
    return QUOTE + value if value.startswith((*FORMULA_STARTS, QUOTE)) else value


def from_text(cell):
    """The value as_text wrote `cell` for."""
    return cell[1:] if cell.startswith(QUOTE) else cell
