"""Request signing against fixed vectors."""

from __future__ import annotations

from urllib.parse import urlencode

from fleet.signing import Signer, key_digest, token_for

KEY = "Xq3vN8pLr2TzWm6KcB1yHa9dFs4GjE7u"


class TestKeyDigest:
    def test_matches_published_md5_vectors(self) -> None:
        """The key digest is plain md5 hex, as in RFC 1321's test suite."""
        assert key_digest("a") == "0cc175b9c0f1b6a831c399e269772661"
        assert key_digest("") == "d41d8cd98f00b204e9800998ecf8427e"

    def test_digest_of_a_panel_key(self) -> None:
        """A 32-character panel key hashes to its stored token."""
        assert key_digest(KEY) == "15b5d502dc7bf7e332bafdfdf1b4f194"


class TestTokenFor:
    def test_concatenates_time_string_and_key_digest(self) -> None:
        """The token is md5 of the decimal time followed by md5(key)."""
        digest = "15b5d502dc7bf7e332bafdfdf1b4f194"
        assert token_for(1700000000, digest) == "22f399a036b361e50af83842a51fb99b"

    def test_time_zero(self) -> None:
        """Time 0 is written as the single digit '0'."""
        assert token_for(0, key_digest("a")) == "e74db0099e0a2db52b9f10497747320f"


class TestSigner:
    def test_fields_use_the_clock_in_whole_seconds(self) -> None:
        """request_time is the clock truncated to an integer."""
        signer = Signer(KEY, clock=lambda: 1700000000.9)
        fields = signer.auth_fields()
        assert fields["request_time"] == "1700000000"
        assert fields["request_token"] == "22f399a036b361e50af83842a51fb99b"

    def test_time_is_taken_on_every_call(self) -> None:
        """Each signature reads the clock again, so retries get a fresh time."""
        ticks = iter([100.0, 205.0])
        signer = Signer(KEY, clock=lambda: next(ticks))
        first = signer.auth_fields()["request_time"]
        second = signer.auth_fields()["request_time"]
        assert (first, second) == ("100", "205")

    def test_repr_hides_the_key(self) -> None:
        """Neither the key nor its digest appears in the signer's repr."""
        text = repr(Signer(KEY)) + str(Signer(KEY))
        assert KEY not in text
        assert key_digest(KEY) not in text


class TestAuthForm:
    def test_matches_the_urlencoded_fields(self) -> None:
        """The pre-encoded form equals urlencode of the two auth fields."""
        signer = Signer(KEY, clock=lambda: 1700000000.9)
        assert signer.auth_form() == urlencode(signer.auth_fields())
