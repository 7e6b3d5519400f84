"""Text for CSV files that spreadsheets open: a cell is never read as a formula.

A student folder named `=1+2` or `@SUM(A1)` would otherwise be a formula in Excel, LibreOffice or
Google Sheets (CSV injection). OWASP's guidance: a text cell starting with =, +, -, @, tab or
carriage return gets a leading single quote, which spreadsheets show as text. Every CSV the kit
writes passes its text cells (names, never the numbers) through as_text.
"""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """The cell text for `value`, with a single quote in front if a spreadsheet would compute it."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
