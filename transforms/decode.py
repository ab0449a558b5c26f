"""Turn the raw bytes of one inbox file into normalised text, or say why that is impossible.

Order of attempts: a byte-order mark (UTF-32, UTF-8, UTF-16) decides outright; NUL bytes in the
pattern of UTF-16 text decide UTF-16; otherwise strict UTF-8; otherwise a legacy code page
guessed by charset-normalizer, which is recorded as a warning. Bytes that none of these explain
(NUL bytes outside a UTF-16 pattern, or text full of control characters) are rejected.
Files over MAX_INPUT_BYTES are rejected before any of this, with a reason naming the limit.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

# UTF-32 marks first: the UTF-32-LE mark begins with the UTF-16-LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Mostly-Latin UTF-16 has a NUL in every other byte; these bounds leave room for non-Latin runs.
UTF16_NUL_SHARE_MIN = 0.3
UTF16_OTHER_NUL_SHARE_MAX = 0.05
UTF16_SAMPLE_BYTES = 8192
# Text has a stray control character now and then; binary decoded as text has many.
CONTROL_SHARE_MAX = 0.05
# Unicode category Cc (C0 and C1 controls) but the layout characters \t \n \v \f \r.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Western news feeds' legacy files are overwhelmingly Windows-1252; prefer it on a tie.
PREFERRED_LEGACY = "cp1252"
HTML_MARKUP = re.compile(r"<!doctype html|<html[\s>]|</?(?:p|div|br|span|body|head|a)\b[^>]*>", re.I)
HTML_TAGS_MIN = 3
# spaCy refuses texts over nlp.max_length (1,000,000 characters) and NER memory grows with text
# length. Every supported encoding has at least one byte per character, so a file within this
# many bytes cannot hold an article spaCy refuses; larger files are rejected before decoding.
MAX_INPUT_BYTES = 1_000_000


class UndecodableInput(ValueError):
    """The bytes are not text this pipeline can read; the message says why."""


@dataclass(frozen=True)
class DecodedText:
    """Normalised text of one file, the encoding it was read with, and any doubts about it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(raw: bytes, max_bytes: int = MAX_INPUT_BYTES) -> DecodedText:
    """Decode and normalise raw file bytes; raise UndecodableInput for empty, blank, binary or oversized input."""
    if not raw:
        raise UndecodableInput("empty file")
    reject_oversized(len(raw), max_bytes)
    text, encoding, warnings = _decode_bytes(raw)
    text = normalise_text(text)
    _reject_non_text(text)
    if _looks_like_html(text):
        warnings.append("looks like HTML")
    return DecodedText(text=text, encoding=encoding, warnings=tuple(warnings))


def reject_oversized(size: int, max_bytes: int = MAX_INPUT_BYTES) -> None:
    """Raise UndecodableInput for a file of ``size`` bytes over the limit (callable before reading it)."""
    if size > max_bytes:
        raise UndecodableInput(f"file too large: {size:,} bytes, the limit is {max_bytes:,} (split it into smaller files)")


def normalise_text(text: str) -> str:
    """Drop byte-order marks, turn CRLF/CR/Unicode line separators into \\n, and compose to NFC."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    return unicodedata.normalize("NFC", text)


def _decode_bytes(raw: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings) from the first decoding that explains the bytes."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return _strict(raw, encoding), encoding, []
    if b"\x00" in raw:
        encoding = _utf16_by_nul_pattern(raw)
        if encoding is None:
            raise UndecodableInput("binary content (NUL bytes)")
        return _strict(raw, encoding), encoding, [f"no byte-order mark; read as {encoding} from its NUL bytes"]
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        text, encoding = _legacy_decode(raw)
        return text, encoding, [f"decoded with legacy fallback {encoding}"]


def _strict(raw: bytes, encoding: str) -> str:
    """Decode strictly; bytes that break their own encoding are treated as binary."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableInput(f"binary content (invalid {encoding} at byte {exc.start})") from None


def _utf16_by_nul_pattern(raw: bytes) -> str | None:
    """Return utf-16-le/-be when NULs sit on one byte parity only, as in mostly-Latin UTF-16."""
    sample = raw[: UTF16_SAMPLE_BYTES - UTF16_SAMPLE_BYTES % 2]
    if len(raw) % 2 or len(sample) < 2:
        return None
    half = len(sample) // 2
    even_share = sample[0::2].count(0) / half
    odd_share = sample[1::2].count(0) / half
    if odd_share >= UTF16_NUL_SHARE_MIN and even_share <= UTF16_OTHER_NUL_SHARE_MAX:
        return "utf-16-le"
    if even_share >= UTF16_NUL_SHARE_MIN and odd_share <= UTF16_OTHER_NUL_SHARE_MAX:
        return "utf-16-be"
    return None


def _legacy_decode(raw: bytes) -> tuple[str, str]:
    """Return text and codec name from charset-normalizer's cleanest guess, preferring cp1252 on a tie."""
    matches = list(charset_normalizer.from_bytes(raw))
    if not matches:
        raise UndecodableInput("binary content (no text encoding fits)")
    cleanest = [m for m in matches if m.chaos <= matches[0].chaos]
    preferred = _decode_or_none(raw, PREFERRED_LEGACY)
    # Short samples leave many code pages tied (even UTF-16 for four bytes); when one of the
    # tied guesses reads the bytes exactly as cp1252 does, the name cp1252 is the honest one.
    if preferred is not None and any(str(m) == preferred for m in cleanest):
        return preferred, PREFERRED_LEGACY
    best = cleanest[0]
    return str(best), codecs.lookup(best.encoding).name


def _decode_or_none(raw: bytes, encoding: str) -> str | None:
    """Decode strictly, or return None when the bytes do not fit the encoding."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _reject_non_text(text: str) -> None:
    """Raise UndecodableInput when decoded text is empty, blank or mostly control characters."""
    if not text:
        raise UndecodableInput("empty file (only a byte-order mark)")
    if not text.strip():
        raise UndecodableInput("only whitespace")
    controls = len(CONTROL_CHARACTERS.findall(text))
    if controls / len(text) > CONTROL_SHARE_MAX:
        raise UndecodableInput(f"binary content ({controls} control characters in {len(text)})")


def _looks_like_html(text: str) -> bool:
    """Return True when the start of the text carries HTML markup (left for a later stage)."""
    return len(HTML_MARKUP.findall(text[:4000])) >= HTML_TAGS_MIN or text.lstrip()[:15].lower().startswith(
        ("<!doctype html", "<html")
    )
