"""pytest settings shared by the suite's tests (run through pytest-odoo, see scripts/test)."""

import logging


class _TestFrameworkImportFilter(logging.Filter):
    """pytest-odoo imports odoo.tests before Odoo is in test mode; Odoo logs that import as an error.

    Under pytest that import is expected, so the message is dropped instead of showing a false ERROR.
    """

    def filter(self, record):
        return not record.getMessage().startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_TestFrameworkImportFilter())
