import io
from types import SimpleNamespace
from unittest.mock import patch

from PIL import Image
from werkzeug.datastructures import FileStorage

from odoo.tests import tagged

from odoo.addons.channel_base.controllers.portal import ChannelPortal
from odoo.addons.channel_base.controllers.uploads import ANY_IMAGE, upload_mimetype

from .common import ChannelBaseCommon

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 60


def png_bytes(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    """A file as the portal receives it (``request.httprequest.files``)."""
    return FileStorage(io.BytesIO(content), filename=name, content_type=content_type)


@tagged("post_install", "-at_install")
class TestPortalUploads(ChannelBaseCommon):
    """``ChannelPortal._channel_read_uploads``: count, size and type (read from the content) checked
    before anything is saved; ``_channel_attach_uploads``: the attachments belong to the record the
    caller gives, private."""

    def setUp(self):
        super().setUp()
        patcher = patch("odoo.addons.channel_base.controllers.portal.request", SimpleNamespace(env=self.env))
        patcher.start()
        self.addCleanup(patcher.stop)
        self.portal = ChannelPortal()
        self.png = png_bytes()

    def _read(self, files, max_count=3, max_size=MB, mimetypes=(ANY_IMAGE, "application/pdf"), **kwargs):
        return self.portal._channel_read_uploads(files, max_count, max_size, set(mimetypes), **kwargs)

    def _attachment_count(self):
        self.env.flush_all()
        return self.env["ir.attachment"].sudo().search_count([])

    def test_good_files_typed_from_their_content(self):
        uploads, error = self._read([
            upload("shelf.png", self.png, "text/plain"),
            upload("invoice.pdf", PDF, "image/png"),
            upload("", b"", ""),  # an empty file input is skipped
        ])
        self.assertIsNone(error)
        self.assertEqual(
            [(u.name, u.content, u.mimetype) for u in uploads],
            [("shelf.png", self.png, "image/png"), ("invoice.pdf", PDF, "application/pdf")],
        )
        uploads, error = self._read([upload("x" * 300 + ".png", self.png)])
        self.assertEqual(len(uploads[0].name), 200)
        self.assertEqual(self._read([]), ([], None))

    def test_bad_file_type_refused(self):
        before = self._attachment_count()
        for name, content in (
            ("tool.png", EXE),
            ("page.png", b"<html><script>alert(1)</script></html>"),
            ("truncated.png", self.png[:40]),
            ("fake.pdf", b"junk before %PDF-1.4"),
        ):
            uploads, error = self._read([upload("shelf.png", self.png), upload(name, content, "image/png")])
            self.assertIsNone(uploads, name)
            self.assertEqual(error, f"The file {name} is not of an accepted type.")
        # A PDF where only images are accepted, an image type outside the accepted ones.
        self.assertIsNone(self._read([upload("invoice.pdf", PDF)], mimetypes=[ANY_IMAGE])[0])
        self.assertIsNone(self._read([upload("shelf.png", self.png)], mimetypes=["image/jpeg"])[0])
        self.assertEqual(self._read([upload("shelf.png", self.png)], mimetypes=["image/png"])[1], None)
        self.assertEqual(self._attachment_count(), before)

    def test_too_large_refused_without_reading_it_all(self):
        before = self._attachment_count()
        big = upload("big.png", self.png + b"\0" * MB)
        uploads, error = self._read([big])
        self.assertIsNone(uploads)
        self.assertEqual(error, "The file big.png is larger than 1 MB.")
        self.assertEqual(big.stream.tell(), MB + 1)
        self.assertEqual(self._read([upload("empty.png", b"")])[1], "The file empty.png is empty.")
        self.assertEqual(self._attachment_count(), before)

    def test_too_many_and_missing_files_refused(self):
        before = self._attachment_count()
        files = [upload(f"shelf{i}.png", self.png) for i in range(4)]
        self.assertEqual(self._read(files), (None, "Attach at most 3 files."))
        self.assertEqual(self._read([], required=True), (None, "Add at least one file."))
        self.assertEqual(self._attachment_count(), before)

    def test_caller_messages(self):
        messages = {
            "count": lambda count: f"photos <= {count}",
            "size": lambda name, size: f"{name} > {size} MB",
            "type": lambda name: f"{name} is no photo",
            "empty": lambda name: f"{name} is no photo either",
            "missing": lambda: "a photo please",
        }
        cases = [
            ([upload(f"p{i}.png", self.png) for i in range(4)], "photos <= 3"),
            ([upload("big.png", self.png + b"\0" * MB)], "big.png > 1 MB"),
            ([upload("tool.png", EXE)], "tool.png is no photo"),
            ([upload("empty.png", b"")], "empty.png is no photo either"),
            ([], "a photo please"),
        ]
        for files, message in cases:
            self.assertEqual(self._read(files, required=True, messages=messages), (None, message))

    def test_attach_to_the_callers_record_only(self):
        uploads, _error = self._read([upload("shelf.png", self.png), upload("invoice.pdf", PDF)])
        attachments = self.portal._channel_attach_uploads(self.dealer, uploads, access_token=True)
        self.assertEqual(attachments.mapped("res_model"), ["res.partner"] * 2)
        self.assertEqual(attachments.mapped("res_id"), [self.dealer.id] * 2)
        self.assertEqual(attachments.mapped("mimetype"), ["image/png", "application/pdf"])
        self.assertEqual(attachments.mapped("raw"), [self.png, PDF])
        self.assertFalse(any(attachments.mapped("public")))
        self.assertTrue(all(attachments.mapped("access_token")))
        plain = self.portal._channel_attach_uploads(self.dealer_b, [("note.pdf", PDF, "application/pdf")])
        self.assertEqual((plain.res_model, plain.res_id), ("res.partner", self.dealer_b.id))
        self.assertFalse(plain.access_token)

    def test_upload_mimetype(self):
        self.assertEqual(upload_mimetype(self.png, {ANY_IMAGE}), "image/png")
        self.assertEqual(upload_mimetype(PDF, {"application/pdf"}), "application/pdf")
        self.assertIsNone(upload_mimetype(b"plain text", {ANY_IMAGE, "application/pdf"}))
        self.assertEqual(upload_mimetype(b"plain text", {"text/plain"}), "text/plain")
