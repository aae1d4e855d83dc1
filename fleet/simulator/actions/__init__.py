"""Allow-lists of actions per API route, mapping action names to handlers."""

from __future__ import annotations

from collections.abc import Mapping

from fleet.simulator.actions import ajax, data, site, system
from fleet.simulator.actions.base import Action, ActionContext, HandlerError

ROUTES: Mapping[str, Mapping[str, Action]] = {
    "system": {
        "GetSystemTotal": Action(system.get_system_total),
        "GetDiskInfo": Action(system.get_disk_info),
        "GetNetWork": Action(system.get_network),
        "GetConcifInfo": Action(system.get_config_info),
        "ServiceAdmin": Action(system.service_admin, writes=True),
    },
    "ajax": {
        "GetTaskCount": Action(ajax.get_task_count),
        "UpdatePanel": Action(ajax.update_panel),
    },
    "data": {
        "getData": Action(data.get_data),
    },
    "site": {
        "GetPHPVersion": Action(site.get_php_version),
        "GetSSL": Action(site.get_ssl),
        "GetSiteDomains": Action(site.get_site_domains),
        "SiteStop": Action(site.site_stop, writes=True),
        "SiteStart": Action(site.site_start, writes=True),
    },
}

__all__ = ["ROUTES", "Action", "ActionContext", "HandlerError"]
