"""The context every action handler receives and the error it may raise."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from fleet.simulator.flavours import Texts
from fleet.simulator.panel import PanelRuntime
from fleet.simulator.records import PanelData


class HandlerError(Exception):
    """The real handler raises here; the panel then sends its 404 page."""


@dataclasses.dataclass(frozen=True, slots=True)
class ActionContext:
    """One authenticated call: the panel, the merged parameters and the path."""

    panel: PanelRuntime
    params: Mapping[str, str]
    path: str

    @property
    def data(self) -> PanelData:
        return self.panel.data

    @property
    def texts(self) -> Texts:
        return self.panel.profile.texts

    def require(self, name: str) -> str:
        """Return a parameter, raising HandlerError when it is missing."""
        value = self.params.get(name)
        if value is None:
            raise HandlerError(f"missing parameter {name!r}")
        return value

    def require_int(self, name: str) -> int:
        """Return an integer parameter, raising HandlerError when absent or invalid."""
        text = self.require(name)
        try:
            return int(text)
        except ValueError:
            raise HandlerError(f"parameter {name!r} is not an integer") from None


Handler = Callable[[ActionContext], object]


@dataclasses.dataclass(frozen=True, slots=True)
class Action:
    """A handler and whether it changes state (then its result is never cached)."""

    handler: Handler
    writes: bool = False
