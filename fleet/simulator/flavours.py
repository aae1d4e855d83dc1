"""Per-version differences of the simulated panels: texts, pages and rules.

``baota11`` is BaoTa 11.7 (Chinese), ``baota7`` is BaoTa 7.9 (Chinese, 302 to
/login where 11.x sends the 404 page, older response shapes) and ``aapanel8``
is aaPanel 8.10 (English, the /v2 routes and a header-trusting client IP rule).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from fleet.simulator import wire
from fleet.simulator.spec import Flavour

SessionPolicy = Literal["baota", "aapanel"]
WhitelistRule = Literal["ip2long", "ipaddress"]
ClientIpRule = Literal["forwarded_for", "real_ip"]


@dataclasses.dataclass(frozen=True, slots=True)
class PagerWords:
    """Link and label texts of the ``getData`` pager."""

    first: str
    previous: str
    next: str
    last: str
    count_start: str
    count_end: str
    line_start: str
    line_end: str


@dataclasses.dataclass(frozen=True, slots=True)
class Texts:
    """Messages and labels the handlers put into response bodies."""

    site_stopped: str
    site_started: str
    service_done: str
    service_unknown: str  # formatted with the service name
    static_site: str  # php_version of a static site in getData
    static_php: str  # name of version "00" in GetPHPVersion
    uptime: str  # formatted with the day count
    title: str
    update_note: str
    backup_manual: str
    backup_missing: str
    firewall_panel: str
    firewall_ftp: str
    # Labels of total, 7-day, 1-day and 1-hour traffic in getData for sites.
    net_flow_labels: tuple[str, str, str, str]


@dataclasses.dataclass(frozen=True, slots=True)
class FlavourProfile:
    """Everything the request pipeline and the handlers look up per flavour."""

    name: Flavour
    version: str
    english: bool
    lockout_body: bytes
    token_failure_body: bytes
    ip_failure_template: str  # formatted with the client address
    unknown_action_body: bytes
    not_found_page: bytes
    unknown_ip: str
    # BaoTa 7.9 sends "API off" and "fields missing" as a 302 to /login.
    redirects_unauthenticated: bool
    # aaPanel raises on a missing ``action`` (404 page), while BaoTa sends
    # the "invalid parameter" JSON.
    missing_action_not_found: bool
    has_v2_routes: bool
    allows_head: bool
    # aaPanel merges JSON object bodies into the parameters; BaoTa ignores them.
    reads_json_body: bool
    session_policy: SessionPolicy
    whitelist_rule: WhitelistRule
    client_ip_rule: ClientIpRule
    # BaoTa 11 response shapes (extra memory fields, byte-based disk sizes,
    # detailed domain entries); the others use the 7.x shapes.
    modern_shapes: bool
    texts: Texts
    pager: PagerWords
    systems: tuple[str, ...]

    def ip_failure_body(self, client_ip: str) -> bytes:
        """Return the whitelist failure body naming the address the panel saw."""
        return wire.failure_body(self.ip_failure_template.format(ip=client_ip))


_CHINESE_PAGER = PagerWords(
    first="首页",
    previous="上一页",
    next="下一页",
    last="尾页",
    count_start="共",
    count_end="条",
    line_start="从",
    line_end="条",
)

# NOTE: aaPanel's "Pline" words are a guess; only "Total N" is confirmed.
_ENGLISH_PAGER = PagerWords(
    first="Start",
    previous="Prev",
    next="Next",
    last="Last",
    count_start="Total ",
    count_end="",
    line_start="From ",
    line_end="",
)

_CHINESE_TEXTS = Texts(
    site_stopped="站点已停用",
    site_started="站点已启用",
    service_done="执行成功!",
    service_unknown="服务[{name}]未安装!",
    static_site="静态",
    static_php="纯静态",
    uptime="{days}天",
    title="宝塔Linux面板",
    update_note="<p>1. 优化面板性能</p>",
    backup_manual="手动备份",
    backup_missing="备份文件不存在！",
    firewall_panel="宝塔Linux面板默认端口",
    firewall_ftp="FTP被动端口范围",
    net_flow_labels=("总流量", "近7天流量", "近1天流量", "近1小时流量"),
)

_ENGLISH_TEXTS = Texts(
    site_stopped="Site stopped",
    site_started="Site started",
    service_done="Executed successfully!",
    service_unknown="Service [{name}] is not installed!",
    static_site="Static",
    static_php="Static",
    uptime="{days} Day(s)",
    title="aaPanel Linux panel",
    update_note="<p>1. Improved panel performance</p>",
    backup_manual="Manual backup",
    backup_missing="Backup file does not exist!",
    firewall_panel="Panel default port",
    firewall_ftp="FTP passive port range",
    net_flow_labels=(
        "Total traffic",
        "Traffic in the last 7 days",
        "Traffic in the last day",
        "Traffic in the last hour",
    ),
)

BAOTA11 = FlavourProfile(
    name="baota11",
    version="11.7.0",
    english=False,
    lockout_body=wire.failure_body("连续20次验证失败,禁止1小时"),
    token_failure_body=wire.failure_body("密钥校验失败"),
    ip_failure_template="IP校验失败,您的访问IP为[{ip}]",
    unknown_action_body=wire.failure_body("指定参数无效!"),
    unknown_ip="未知IP地址",
    not_found_page=wire.BAOTA_NOT_FOUND_PAGE,
    redirects_unauthenticated=False,
    missing_action_not_found=False,
    has_v2_routes=False,
    allows_head=False,
    reads_json_body=False,
    session_policy="baota",
    whitelist_rule="ip2long",
    client_ip_rule="forwarded_for",
    modern_shapes=True,
    texts=_CHINESE_TEXTS,
    pager=_CHINESE_PAGER,
    systems=(
        "Debian GNU/Linux 12 (bookworm) x86_64(Py3.7.16)",
        "Ubuntu 22.04.4 LTS (Jammy Jellyfish) x86_64(Py3.7.16)",
        "Rocky Linux 9.3 (Blue Onyx) x86_64(Py3.7.16)",
    ),
)

BAOTA7 = dataclasses.replace(
    BAOTA11,
    name="baota7",
    version="7.9.25",
    redirects_unauthenticated=True,
    modern_shapes=False,
    systems=(
        "CentOS Linux 7.9.2009 (Core) x86_64(Py3.7.8)",
        "Debian GNU/Linux 10 (buster) x86_64(Py3.7.8)",
    ),
)

AAPANEL8 = FlavourProfile(
    name="aapanel8",
    version="8.10.0",
    english=True,
    lockout_body=wire.failure_body(
        "20 consecutive verification failures, prohibited for 1 hour"
    ),
    token_failure_body=wire.failure_body("Secret key verification failed"),
    ip_failure_template="IP validation failed, your access IP is[{ip}]",
    unknown_action_body=wire.failure_body("Specific parameters are invalid!"),
    not_found_page=wire.AAPANEL_NOT_FOUND_PAGE,
    unknown_ip="Unknown IP address",
    redirects_unauthenticated=False,
    missing_action_not_found=True,
    has_v2_routes=True,
    allows_head=True,
    reads_json_body=True,
    session_policy="aapanel",
    whitelist_rule="ipaddress",
    client_ip_rule="real_ip",
    modern_shapes=False,
    texts=_ENGLISH_TEXTS,
    pager=_ENGLISH_PAGER,
    systems=(
        "Ubuntu 22.04.4 LTS (Jammy Jellyfish) x86_64(Py3.12.3)",
        "Debian GNU/Linux 12 (bookworm) x86_64(Py3.12.3)",
    ),
)

PROFILES: dict[Flavour, FlavourProfile] = {
    "baota11": BAOTA11,
    "baota7": BAOTA7,
    "aapanel8": AAPANEL8,
}
