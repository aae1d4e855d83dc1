"""Exact wire bodies of real panels, written out independently of the simulator."""

from __future__ import annotations

BAOTA_404 = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
AAPANEL_404 = (
    b"<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
    b"<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n"
    b"</body>\n</html>"
)
BAOTA_BAD_TOKEN = (
    b'{"status": false, "msg": "\\u5bc6\\u94a5\\u6821\\u9a8c\\u5931\\u8d25"}'
)
BAOTA_LOCKOUT = (
    b'{"status": false, "msg": "\\u8fde\\u7eed20\\u6b21\\u9a8c\\u8bc1\\u5931'
    b'\\u8d25,\\u7981\\u6b621\\u5c0f\\u65f6"}'
)
BAOTA_UNKNOWN_ACTION = (
    b'{"status": false, "msg": "\\u6307\\u5b9a\\u53c2\\u6570\\u65e0\\u6548!"}'
)
AAPANEL_BAD_TOKEN = b'{"status": false, "msg": "Secret key verification failed"}'
AAPANEL_LOCKOUT = (
    b'{"status": false, "msg": "20 consecutive verification failures, '
    b'prohibited for 1 hour"}'
)
AAPANEL_UNKNOWN_ACTION = b'{"status": false, "msg": "Specific parameters are invalid!"}'
BAD_GATEWAY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
JSON_TYPE = "application/json; charset=utf-8"
HTML_UTF8 = "text/html; charset=utf-8"


def baota_ip_failure(ip: str) -> bytes:
    """Return BaoTa's whitelist failure body for a client address."""
    return (
        b'{"status": false, "msg": "IP\\u6821\\u9a8c\\u5931\\u8d25,'
        b"\\u60a8\\u7684\\u8bbf\\u95eeIP\\u4e3a[" + ip.encode() + b']"}'
    )


def aapanel_ip_failure(ip: str) -> bytes:
    """Return aaPanel's whitelist failure body, with no space before the bracket."""
    return (
        b'{"status": false, "msg": "IP validation failed, your access IP is['
        + ip.encode()
        + b']"}'
    )
