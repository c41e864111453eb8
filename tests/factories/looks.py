"""Images for the organisation's logo (organisation/look.py), made with Pillow."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image(kind: str = "PNG", size: tuple[int, int] = (120, 40)) -> bytes:
    """A small image of ``kind`` (PNG, JPEG, WEBP, GIF…) in Koers's accent."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (21, 93, 105)).save(buffer, format=kind)
    return buffer.getvalue()


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script><rect width="10" height="10"/></svg>')


def file_of(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def image_file(kind: str = "PNG") -> SimpleUploadedFile:
    return file_of(image(kind), f"logo.{kind.lower()}")
