"""Classification of panel answers into payloads and error kinds."""

from __future__ import annotations

import pytest

from fleet.errors import ErrorKind, PanelError
from fleet.transport.decode import decode_answer

HTML = {"Content-Type": "text/html; charset=utf-8"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
PANEL_404 = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def error_of(status: int, headers: dict[str, str], body: bytes) -> PanelError:
    with pytest.raises(PanelError) as caught:
        decode_answer(status, headers, body)
    return caught.value


class TestAuthBodies:
    @pytest.mark.parametrize(
        ("body", "kind"),
        [
            (
                b'{"status": false, "msg": '
                b'"\\u5bc6\\u94a5\\u6821\\u9a8c\\u5931\\u8d25"}',
                ErrorKind.AUTH_WRONG_KEY,
            ),
            (
                b'{"status": false, "msg": "Secret key verification failed"}',
                ErrorKind.AUTH_WRONG_KEY,
            ),
            (
                b'{"status": false, "msg": "\\u8fde\\u7eed20\\u6b21\\u9a8c\\u8bc1'
                b'\\u5931\\u8d25,\\u7981\\u6b621\\u5c0f\\u65f6"}',
                ErrorKind.AUTH_LOCKED_OUT,
            ),
            (
                b'{"status": false, "msg": "20 consecutive verification failures, '
                b'prohibited for 1 hour"}',
                ErrorKind.AUTH_LOCKED_OUT,
            ),
        ],
    )
    def test_auth_failure_kinds(self, body: bytes, kind: ErrorKind) -> None:
        """Each exact auth failure body maps to its own kind."""
        assert error_of(200, HTML, body).kind == kind

    def test_ip_failure_names_the_seen_address(self) -> None:
        """The whitelist error repeats the address the panel saw."""
        body = (
            b'{"status": false, "msg": "IP\\u6821\\u9a8c\\u5931\\u8d25,'
            b'\\u60a8\\u7684\\u8bbf\\u95eeIP\\u4e3a[203.0.113.50]"}'
        )
        error = error_of(200, HTML, body)
        assert error.kind == ErrorKind.AUTH_IP_NOT_WHITELISTED
        assert "203.0.113.50" in error.message
        assert "whitelist" in error.message

    def test_panel_404_page_means_api_disabled(self) -> None:
        """The panel's 404 HTML page is classified as the API being off."""
        assert error_of(404, HTML, PANEL_404).kind == ErrorKind.AUTH_API_DISABLED

    def test_redirect_to_login_means_api_disabled(self) -> None:
        """A 302 to /login is an auth failure, not something to follow."""
        error = error_of(302, {"Location": "/login"}, b"")
        assert error.kind == ErrorKind.AUTH_API_DISABLED

    def test_http_401(self) -> None:
        """HTTP 401 with an empty body is its own auth kind."""
        assert error_of(401, {}, b"").kind == ErrorKind.AUTH_HTTP_401


class TestBodies:
    def test_bom_is_stripped(self) -> None:
        """A UTF-8 byte order mark before the JSON is ignored."""
        assert decode_answer(200, JSON, b'\xef\xbb\xbf{"a": 1}') == {"a": 1}

    def test_json_labelled_html_parses(self) -> None:
        """JSON sent as text/html, as the panel does, is accepted."""
        assert decode_answer(200, HTML, b"[1, 2]") == [1, 2]

    def test_bare_number_parses(self) -> None:
        """Some actions answer a bare number."""
        assert decode_answer(200, JSON, b"3") == 3

    def test_empty_body(self) -> None:
        """An empty 200 body is a bad response of kind empty."""
        assert error_of(200, JSON, b"").kind == ErrorKind.BAD_RESPONSE_EMPTY

    def test_not_json_shows_status_type_and_snippet(self) -> None:
        """A non-JSON body names the status, the content type and its start."""
        error = error_of(200, {"Content-Type": "text/plain"}, b"Not Found")
        assert error.kind == ErrorKind.BAD_RESPONSE_NOT_JSON
        assert "200" in error.message
        assert "text/plain" in error.message
        assert "Not Found" in error.message

    def test_unknown_action(self) -> None:
        """The panel's invalid-parameter answer is an unknown action."""
        body = (
            b'{"status": false, "msg": "\\u6307\\u5b9a\\u53c2\\u6570\\u65e0\\u6548!"}'
        )
        assert error_of(200, JSON, body).kind == ErrorKind.UNKNOWN_ACTION

    def test_other_refusal_keeps_its_message(self) -> None:
        """Any other status-false answer is a refusal with the panel's text."""
        body = b'{"status": false, "msg": "site exists"}'
        error = error_of(200, JSON, body)
        assert error.kind == ErrorKind.PANEL_REFUSED
        assert "site exists" in error.message

    def test_status_false_with_dict_message_is_data(self) -> None:
        """UpdatePanel's status false with a dict message is a normal answer."""
        payload = {"status": False, "msg": {"version": "11.7.0"}}
        body = b'{"status": false, "msg": {"version": "11.7.0"}}'
        assert decode_answer(200, JSON, body) == payload


class TestStatuses:
    @pytest.mark.parametrize("status", [502, 503, 504, 520, 524])
    def test_gateway_errors_are_transient(self, status: int) -> None:
        """Gateway and CDN errors may be retried."""
        error = error_of(status, HTML, b"<html>bad gateway</html>")
        assert error.kind == ErrorKind.HTTP_STATUS
        assert error.retryable

    def test_500_is_not_transient(self) -> None:
        """An internal server error is not retried."""
        assert not error_of(500, HTML, b"oops").retryable
