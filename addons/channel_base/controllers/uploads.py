"""Files a portal user uploads, typed from their content (never from their name or the type the
browser sent). :meth:`ChannelPortal._channel_read_uploads` reads and checks them."""

import io
from collections import namedtuple

from PIL import Image

from odoo.tools.mimetypes import guess_mimetype

# Accepted type meaning "any image that decodes", in the ``mimetypes`` of upload_mimetype().
ANY_IMAGE = "image/*"
PDF_SIGNATURE = b"%PDF-"
# Longest file name kept on an attachment.
MAX_UPLOAD_NAME = 200

Upload = namedtuple("Upload", ["name", "content", "mimetype"])


def image_mimetype(content):
    """The mimetype of ``content`` decoded as an image (Pillow), or None when it does not decode."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            return Image.MIME.get(image.format)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def upload_mimetype(content, mimetypes):
    """The mimetype of ``content`` when it is one of ``mimetypes`` (a set; :data:`ANY_IMAGE` accepts
    any image), else None. An image must decode, a PDF must start with its signature."""
    guessed = guess_mimetype(content, default="application/octet-stream")
    decoded = image_mimetype(content)
    if decoded:
        mimetype = guessed if guessed.startswith("image/") else decoded
    elif guessed.startswith("image/"):
        return None  # looks like an image, does not decode: broken or forged
    elif guessed == "application/pdf" and not content.startswith(PDF_SIGNATURE):
        return None
    else:
        mimetype = guessed
    if mimetype in mimetypes or (ANY_IMAGE in mimetypes and mimetype.startswith("image/")):
        return mimetype
    return None
