from odoo import http
from odoo.http import request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content, filename):
    """The HTTP response that downloads ``content`` (the bytes of an XLSX workbook) as ``filename``."""
    return request.make_response(
        content,
        headers=[
            ("Content-Type", XLSX_MIMETYPE),
            ("Content-Disposition", http.content_disposition(filename)),
        ],
    )
