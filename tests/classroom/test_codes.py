"""Join codes, teacher secrets and member ids."""

from __future__ import annotations

import re

from rnnviz.classroom import codes

LOOKALIKES = set("0OQD1IL2Z5S8B6GUV")


def test_codes_are_six_characters_without_lookalike_pairs():
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) >= 20
    for group in ("0OQD", "1IL", "2Z", "5S", "8B", "6G", "UV"):  # at most one of each look-alike group
        assert sum(char in codes.ALPHABET for char in group) <= 1, group
    drawn = [codes.new_code() for _ in range(2000)]
    assert all(len(code) == codes.CODE_LENGTH == 6 and set(code) <= set(codes.ALPHABET) for code in drawn)
    assert len(set(drawn)) > 1990  # random, not a sequence
    assert set("".join(drawn)) == set(codes.ALPHABET)  # every symbol is used


def test_typed_codes_are_read_forgivingly_and_junk_is_not_a_code():
    code = "AC3-K7X"
    assert codes.normalise_code(" ac3 k7x ") == codes.normalise_code(code) == "AC3K7X"
    assert codes.normalise_code("5zbu6a") == "528VGA"  # S, Z, B, U, 6 read as the look-alike the alphabet keeps
    for junk in ("", "ABC", "ACEFGHJ", "AC3K7O", "AC3K71", "<script>", None, 123456, "A" * 1000):
        assert codes.normalise_code(junk) is None, junk


def test_teacher_secrets_are_stored_as_hashes_and_compared_exactly():
    secret = codes.new_teacher_secret()
    assert len(secret) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", secret)
    stored = codes.hash_secret(secret)
    assert secret not in stored and len(stored) == 64
    assert codes.secret_matches(secret, stored)
    for wrong in (secret[:-1], secret + "x", "", None, 42, codes.new_teacher_secret()):
        assert not codes.secret_matches(wrong, stored)


def test_member_ids_are_random_and_url_safe():
    ids = {codes.new_member_id() for _ in range(500)}
    assert len(ids) == 500
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", member) for member in ids)
