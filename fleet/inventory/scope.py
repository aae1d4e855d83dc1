"""Positions in the inventory file and the messages that point at them."""

from __future__ import annotations

import dataclasses

from yaml.nodes import Node

from fleet.errors import ConfigError


@dataclasses.dataclass(frozen=True, slots=True)
class Scope:
    """The file being read and the owner of the settings read from it.

    ``subject`` names the owner in messages, for example ``panel 'web-1'``,
    ``group 'shop'`` or ``defaults``. It is empty for top-level problems.
    """

    path: str  # the inventory path as the user gave it, so messages match it
    base_dir: str  # relative key_file and ca_file paths start here
    subject: str = ""

    def for_subject(self, subject: str) -> Scope:
        """Return the same file scope for another owner."""
        return dataclasses.replace(self, subject=subject)

    def locate(self, node: Node) -> str:
        """Return ``FILE:LINE:COL`` of the first character of a node."""
        mark = node.start_mark
        return f"{self.path}:{mark.line + 1}:{mark.column + 1}"

    def line_of(self, node: Node) -> str:
        """Return ``FILE:LINE`` of a node, the form ``Panel.source`` uses."""
        return f"{self.path}:{node.start_mark.line + 1}"

    def message_at(self, location: str, detail: str) -> str:
        """Format a message for a location that was computed earlier."""
        if self.subject:
            return f"{location}: {self.subject}: {detail}"
        return f"{location}: {detail}"

    def error(self, node: Node, detail: str) -> ConfigError:
        """Build the error for a problem found at a node."""
        return ConfigError(self.message_at(self.locate(node), detail))

    def error_at(self, location: str, detail: str) -> ConfigError:
        """Build the error for a problem at a location computed earlier."""
        return ConfigError(self.message_at(location, detail))


def line_number(node: Node) -> int:
    """Return the 1-based line of a node."""
    return int(node.start_mark.line) + 1
