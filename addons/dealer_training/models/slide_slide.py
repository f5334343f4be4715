from odoo import fields, models


class SlideSlide(models.Model):
    _inherit = "slide.slide"

    download_count = fields.Integer(string="Downloads", readonly=True, copy=False, default=0)

    def _register_download(self):
        """Count one download per slide, without touching write_date or locking the row for long."""
        if self.ids:
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE slide_slide SET download_count = COALESCE(download_count, 0) + 1 WHERE id IN %s",
                [tuple(self.ids)],
            )
            self.invalidate_recordset(["download_count"])
