"""Unit tests for transforms.decode: bytes in, normalised text or a reason for rejection out."""

import codecs
from pathlib import Path

import pytest

from transforms.decode import DecodedText, UndecodableInput, decode

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def test_empty_file_is_rejected():
    with pytest.raises(UndecodableInput, match="empty file"):
        decode(b"")


def test_whitespace_only_file_is_rejected():
    with pytest.raises(UndecodableInput, match="only whitespace"):
        decode(b" \n\t\r\n  ")


def test_byte_order_mark_alone_is_rejected_as_empty():
    with pytest.raises(UndecodableInput, match="empty"):
        decode(codecs.BOM_UTF8)


def test_nul_bytes_outside_utf16_pattern_are_rejected_as_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
    with pytest.raises(UndecodableInput, match="binary content \\(NUL bytes\\)"):
        decode(png)


def test_text_full_of_control_characters_is_rejected_as_binary():
    with pytest.raises(UndecodableInput, match="binary"):
        decode(bytes(range(1, 32)) * 40)


def test_utf8_is_read_strictly_without_warnings():
    decoded = decode("Kremlin says ‘saved many lives’".encode("utf-8"))
    assert decoded == DecodedText(text="Kremlin says ‘saved many lives’", encoding="utf-8", warnings=())


def test_utf8_byte_order_mark_is_removed():
    decoded = decode(codecs.BOM_UTF8 + "Café".encode("utf-8"))
    assert (decoded.text, decoded.encoding) == ("Café", "utf-8-sig")


def test_utf16_with_byte_order_mark_is_decoded():
    decoded = decode("MOSCOW (Reuters) – Ельцин".encode("utf-16"))
    assert (decoded.text, decoded.encoding, decoded.warnings) == ("MOSCOW (Reuters) – Ельцин", "utf-16", ())


def test_utf32_with_byte_order_mark_is_decoded():
    decoded = decode("GENEVA".encode("utf-32"))
    assert (decoded.text, decoded.encoding) == ("GENEVA", "utf-32")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_found_by_its_nul_pattern(codec):
    decoded = decode("GENEVA (Reuters) - U.N. envoy".encode(codec))
    assert (decoded.text, decoded.encoding) == ("GENEVA (Reuters) - U.N. envoy", codec)
    assert any("no byte-order mark" in warning for warning in decoded.warnings)


def test_invalid_utf8_falls_back_to_legacy_code_page_with_a_warning():
    decoded = decode("“Hello,” he said – it’s café time.".encode("cp1252"))
    assert decoded.text == "“Hello,” he said – it’s café time."
    assert decoded.encoding == "cp1252"
    assert decoded.warnings == ("decoded with legacy fallback cp1252",)


def test_latin1_text_is_decoded_by_the_legacy_fallback():
    decoded = decode("Der Außenminister sagte, die Gespräche würden fortgesetzt.".encode("latin-1"))
    assert decoded.text == "Der Außenminister sagte, die Gespräche würden fortgesetzt."
    assert decoded.warnings == (f"decoded with legacy fallback {decoded.encoding}",)


def test_crlf_line_ends_become_lf():
    assert decode(b"Headline\r\n\r\nBody.\r\n").text == "Headline\n\nBody.\n"


def test_cr_line_ends_become_lf():
    assert decode(b"Headline\r\rBody.\r").text == "Headline\n\nBody.\n"


def test_text_is_composed_to_nfc():
    assert decode("Cafe\u0301".encode("utf-8")).text == "Caf\u00e9"


def test_html_is_kept_with_a_warning():
    decoded = decode(b"<html><body><p>MOSCOW (Reuters) - Text.</p></body></html>")
    assert decoded.text.startswith("<html>")
    assert "looks like HTML" in decoded.warnings


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_files_are_plain_utf8(path):
    decoded = decode(path.read_bytes())
    assert (decoded.encoding, decoded.warnings) == ("utf-8", ())


def test_file_over_the_size_limit_is_rejected_before_decoding():
    with pytest.raises(UndecodableInput, match="file too large: 11 bytes, the limit is 10"):
        decode(b"x" * 11, max_bytes=10)


def test_file_at_the_size_limit_is_decoded():
    assert decode(b"x" * 10, max_bytes=10).text == "x" * 10


def test_default_size_limit_keeps_every_text_within_spacy_max_length():
    import spacy

    from transforms.decode import MAX_INPUT_BYTES

    assert MAX_INPUT_BYTES <= spacy.blank("en").max_length


def test_size_alone_rejects_an_oversized_file_before_it_is_read():
    from transforms.decode import reject_oversized

    with pytest.raises(UndecodableInput, match="file too large: 2,000,000 bytes"):
        reject_oversized(2_000_000)
