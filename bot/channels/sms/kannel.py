"""Kannel's side of the SMS channel: what smsbox POSTs, what it takes back, how to send through it.

Inbound (an ``sms-service`` with ``post-url``): the text is the body, in the charset of
its ``Content-Type`` (UTF-8 with ``mo-recode = true``; otherwise UTF-16BE for
``X-Kannel-Coding: 2``); ``X-Kannel-From`` / ``X-Kannel-To`` give the numbers, and the
post-url's ``?id=%I`` Kannel's own message id. The answer is ``text/plain; charset=UTF-8``
with ``X-Kannel-Coding`` (2 when any character is outside GSM 03.38, else 0), which
smsbox sends back as the reply; ``accept-x-kannel-headers = true`` lets it read those
headers and ``X-Kannel-DLR-Mask`` / ``X-Kannel-DLR-Url``.

Outbound (smsbox's ``/cgi-bin/sendsms``): ``charset=UTF-8``, ``coding`` as above,
``dlr-mask=31`` and a ``dlr-url`` carrying our message id, Kannel's ``%d`` (report type)
and ``%A`` (the SMS centre's words).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from urllib.parse import quote

from bot.channels.sms.outbox import ACCEPTED, BUFFERED, DELIVERED, EXPIRED, FAILED
from bot.channels.sms.request import BadRequest, InboundSms, clean_text, first_part
from bot.channels.sms.shaping import GSM7, encoding_of, segment
from bot.domain.numbers import is_msisdn

KANNEL = "kannel"
DLR_MASK = 31  # delivered, failed, buffered, accepted by and rejected by the SMS centre
UCS2_CODING = "2"
GSM_CODING = "0"
_CHARSET = re.compile(r"""charset\s*=\s*"?([A-Za-z0-9._:-]+)"?""", re.IGNORECASE)
_DLR = {1: DELIVERED, 2: FAILED, 4: BUFFERED, 8: ACCEPTED, 16: FAILED}


TEXT_CODINGS = ("", GSM_CODING, "1", UCS2_CODING)  # Kannel's 7-bit, 8-bit and UCS-2
_BOMS = (codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` of a ``Content-Type`` header (None when it names none); a charset
    Python does not know is refused (415)."""
    found = _CHARSET.search(content_type or "")
    if found is None:
        return None
    try:
        return codecs.lookup(found.group(1)).name
    except LookupError:
        raise BadRequest(f"unknown charset {found.group(1)[:40]!r}", 415) from None


def decode_text(body: bytes, content_type: str | None, coding: str | None) -> str:
    """The message text, whatever Kannel's settings: the declared charset first, else by
    coding (2: UTF-16BE; 0/1: UTF-8, or Latin-1 where it is not UTF-8). UTF-16 with a
    byte-order mark is read by its mark; an unknown coding is refused (415)."""
    if (coding or "").strip() not in TEXT_CODINGS:
        raise BadRequest(f"unknown coding {(coding or '')[:8]!r}", 415)
    charset = charset_of(content_type)
    if charset in ("utf-16-be", "utf-16", "utf-16-le") and body.startswith(_BOMS):
        charset = "utf-16"  # the mark says which byte order
    elif charset in ("utf-16-be", "utf-16"):
        charset = "utf-16-be"  # Kannel's UCS-2 has no byte-order mark
    if charset is None and (coding or "").strip() == UCS2_CODING:
        charset = "utf-16" if body.startswith(_BOMS) else "utf-16-be"
    if charset is not None:
        try:
            return body.decode(charset)
        except UnicodeDecodeError as exc:
            raise BadRequest(f"body is not valid {charset}") from exc
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def e164(number: str | None) -> str:
    """An operator's number as E.164: ``+8613...``, ``008613...`` or ``8613...``."""
    value = (number or "").strip().replace(" ", "")
    if value.startswith("00"):
        value = "+" + value[2:]
    elif value.isascii() and value.isdigit():
        value = "+" + value
    if not is_msisdn(value):
        raise BadRequest("X-Kannel-From must be a phone number")
    return value


def parse_kannel(
    body: bytes, headers: dict[str, str], kannel_id: str | None, max_text: int
) -> InboundSms:
    """One mobile-originated message from smsbox's POST (``headers`` lower-cased)."""
    sender = e164(headers.get("x-kannel-from"))
    to = (headers.get("x-kannel-to") or "").strip()[:20]
    text = clean_text(
        decode_text(body, headers.get("content-type"), headers.get("x-kannel-coding"))
    )
    if not text:
        raise BadRequest("text is empty")
    key = f"{KANNEL}:{message_key(kannel_id, sender, headers, body)}"
    return InboundSms(key, sender, to, first_part(text, max_text))


def message_key(kannel_id: str | None, sender: str, headers: dict[str, str], body: bytes) -> str:
    """Kannel's id (``%I``), or, without one, a digest of what identifies a retried POST."""
    if kannel_id and re.fullmatch(r"[A-Za-z0-9-]{1,64}", kannel_id):
        return kannel_id
    seen = "\n".join([sender, headers.get("x-kannel-time", ""), headers.get("x-kannel-to", "")])
    return hashlib.sha256(seen.encode() + b"\n" + body).hexdigest()[:40]


def coding_of(text: str) -> str:
    """Kannel's ``coding`` for ``text``: 0 (GSM 03.38) or 2 (UCS-2)."""
    return GSM_CODING if encoding_of(text) == GSM7 else UCS2_CODING


def reply_headers(text: str, dlr_url: str | None = None) -> dict[str, str]:
    """The headers of the post-url answer that smsbox sends on as the reply."""
    headers = {"Content-Type": "text/plain; charset=UTF-8", "X-Kannel-Coding": coding_of(text)}
    if dlr_url:
        headers |= {"X-Kannel-DLR-Mask": str(DLR_MASK), "X-Kannel-DLR-Url": dlr_url}
    return headers


def dlr_url(public_url: str, secret: str, message_id: str) -> str:
    """Where Kannel reports on ``message_id``: ``%d`` and ``%A`` are Kannel's escapes."""
    path = f"/webhooks/sms/kannel/{quote(secret, safe='')}/dlr"
    return f"{public_url}{path}?id={message_id}&type=%d&answer=%A"


def dlr_status(report_type: str, answer: str | None) -> str:
    """Our status for Kannel's report type (``%d``); an SMSC's ``stat:EXPIRED`` is expired."""
    try:
        status = _DLR[int(report_type)]
    except (KeyError, ValueError) as exc:
        raise BadRequest("type must be a Kannel delivery report type (1, 2, 4, 8, 16)") from exc
    if status == FAILED and "EXPIRED" in (answer or "").upper():
        return EXPIRED
    return status


def split_for_kannel(text: str, max_parts: int) -> list[str]:
    """``text`` as messages of at most ``max_parts`` concatenated parts each (Kannel's
    ``max-messages``): Kannel splits each into its parts and would cut what is beyond."""
    parts = segment(text).parts
    return ["".join(parts[i : i + max_parts]) for i in range(0, len(parts), max_parts)]


def sendsms_params(
    *, user: str, password: str, sender: str, to: str, text: str, dlr: str | None
) -> dict[str, str]:
    """The query of one sendsms request."""
    params = {
        "username": user,
        "password": password,
        "from": sender,
        "to": to,
        "text": text,
        "charset": "UTF-8",
        "coding": coding_of(text),
    }
    if dlr:
        params |= {"dlr-mask": str(DLR_MASK), "dlr-url": dlr}
    return params
