import html
import re

MAX_LENGTH = 2000


class MessageError(ValueError):
    pass


def normalize(text):
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise MessageError("empty message")
    if len(text) > MAX_LENGTH:
        raise MessageError(f"message longer than {MAX_LENGTH} characters")
    return text


def render(text):
    """Very small markdown: **bold**, `code`, and links are escaped first."""
    escaped = html.escape(normalize(text))
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    escaped = re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)
    return escaped


def mentions(text):
    return sorted(set(re.findall(r"@([a-z][a-z0-9_]{1,31})", text)))


def paginate(items, page, per_page):
    if per_page <= 0:
        raise ValueError("per_page must be positive")
    start = page * per_page
    return items[start:start + per_page]
