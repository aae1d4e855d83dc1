"""Tests of selecting panels by name pattern, group and tag."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleet.errors import ConfigError
from fleet.inventory import Inventory, select_panels

from .support import INLINE_KEY, load

FLEET = f"""
    defaults:
      key: {INLINE_KEY}
    groups:
      shop: {{tags: {{tier: gold}}}}
      blog: {{}}
      mail: {{}}
    panels:
      - name: web-1
        url: https://203.0.113.1:8888
        groups: [shop]
        tags: {{env: prod}}
      - name: web-2
        url: https://203.0.113.2:8888
        groups: [shop, blog]
        tags: {{env: staging}}
      - name: web-10
        url: https://203.0.113.3:8888
        groups: [blog]
        tags: {{env: prod}}
      - name: db-1
        url: https://203.0.113.4:8888
        tags: {{env: prod-eu}}
    """


@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    """Load the four-panel fleet used by every selection test."""
    return load(tmp_path, FLEET)


def names(
    inventory: Inventory,
    limit: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> list[str]:
    """Return the names of the selected panels."""
    selected = select_panels(inventory, limit=limit, groups=groups, tags=tags)
    return [panel.name for panel in selected]


class TestLimit:
    def test_no_filters_selects_all(self, inventory: Inventory) -> None:
        """Without filters every panel is selected in inventory order."""
        assert names(inventory) == ["web-1", "web-2", "web-10", "db-1"]

    def test_glob(self, inventory: Inventory) -> None:
        """A glob matches panel names."""
        assert names(inventory, limit=("web-?",)) == ["web-1", "web-2"]

    def test_comma_list_and_items(self, inventory: Inventory) -> None:
        """Comma-separated patterns and separate items are combined with OR."""
        assert names(inventory, limit=("db-1,web-1", "web-10")) == [
            "web-1",
            "web-10",
            "db-1",
        ]

    def test_exclusion_only_starts_from_all(self, inventory: Inventory) -> None:
        """Exclusions alone remove panels from the whole inventory."""
        assert names(inventory, limit=("!web-*",)) == ["db-1"]

    def test_include_and_exclude(self, inventory: Inventory) -> None:
        """An exclusion removes panels that an inclusion matched."""
        assert names(inventory, limit=("web-*,!web-1*",)) == ["web-2"]

    def test_exact_name_is_case_sensitive(self, inventory: Inventory) -> None:
        """Name patterns match case-sensitively on every platform."""
        with pytest.raises(ConfigError, match="did you mean 'web-1'"):
            names(inventory, limit=("WEB-1",))

    def test_unknown_exact_name(self, inventory: Inventory) -> None:
        """An exact name that no panel has is an error, not a silent skip."""
        with pytest.raises(ConfigError) as caught:
            names(inventory, limit=("web-1,web-3",))

        message = str(caught.value)
        assert "limit item 'web-3': no panel is named 'web-3'" in message

    def test_unknown_exact_exclusion(self, inventory: Inventory) -> None:
        """A mistyped exclusion is an error, so it cannot widen the run."""
        with pytest.raises(ConfigError, match="limit item '!db-2'"):
            names(inventory, limit=("!db-2",))

    def test_bare_exclamation_mark(self, inventory: Inventory) -> None:
        """A '!' without a pattern is rejected."""
        with pytest.raises(ConfigError, match="has no name after '!'"):
            names(inventory, limit=("!",))


class TestGroupsAndTags:
    def test_group(self, inventory: Inventory) -> None:
        """A group selects its members."""
        assert names(inventory, groups=("shop",)) == ["web-1", "web-2"]

    def test_any_of_several_groups(self, inventory: Inventory) -> None:
        """Several groups select panels in any of them."""
        assert names(inventory, groups=("shop,blog",)) == ["web-1", "web-2", "web-10"]

    def test_unknown_group_lists_known(self, inventory: Inventory) -> None:
        """An unknown group name lists the defined groups."""
        with pytest.raises(ConfigError) as caught:
            names(inventory, groups=("shops",))

        message = str(caught.value)
        assert "group 'shops' is not defined" in message
        assert "defined groups: shop, blog, mail" in message

    def test_tag(self, inventory: Inventory) -> None:
        """A NAME=VALUE item selects panels with that tag value."""
        assert names(inventory, tags=("env=prod",)) == ["web-1", "web-10"]

    def test_tag_glob(self, inventory: Inventory) -> None:
        """A tag value may be a glob."""
        assert names(inventory, tags=("env=prod*",)) == ["web-1", "web-10", "db-1"]

    def test_inherited_tag(self, inventory: Inventory) -> None:
        """Tags inherited from a group are matched too."""
        assert names(inventory, tags=("tier=gold",)) == ["web-1", "web-2"]

    def test_all_tags_must_match(self, inventory: Inventory) -> None:
        """Several tag items must all match."""
        assert names(inventory, tags=("env=prod", "tier=gold")) == ["web-1"]

    @pytest.mark.parametrize("item", ["env", "=prod", " =x"])
    def test_malformed_tag(self, inventory: Inventory, item: str) -> None:
        """A tag item without NAME=VALUE form is rejected with an example."""
        with pytest.raises(ConfigError, match="is not NAME=VALUE"):
            names(inventory, tags=(item,))

    def test_filters_combine_with_and(self, inventory: Inventory) -> None:
        """Limit, groups and tags must all match."""
        selected = names(
            inventory, limit=("web-*",), groups=("blog",), tags=("env=prod",)
        )

        assert selected == ["web-10"]


class TestEmptySelection:
    def test_criterion_matching_nothing(self, inventory: Inventory) -> None:
        """The message names the filter that matches no panel and the panel count."""
        with pytest.raises(ConfigError) as caught:
            names(inventory, groups=("mail",))

        message = str(caught.value)
        assert "groups 'mail' matches no panel" in message
        assert "has 4 panels" in message

    def test_tag_matching_nothing(self, inventory: Inventory) -> None:
        """A tag filter that matches nothing is named."""
        with pytest.raises(ConfigError, match="tag 'env=dev' matches no panel"):
            names(inventory, tags=("env=dev",))

    def test_glob_matching_nothing(self, inventory: Inventory) -> None:
        """A glob that matches no name is named."""
        with pytest.raises(ConfigError, match="limit 'mx-\\*' matches no panel"):
            names(inventory, limit=("mx-*",))

    def test_exclusions_removing_everything(self, inventory: Inventory) -> None:
        """Exclusions that remove every panel are reported."""
        with pytest.raises(ConfigError, match="limit '!web-\\*,!db-\\*' matches no"):
            names(inventory, limit=("!web-*,!db-*",))

    def test_combination_matching_nothing(self, inventory: Inventory) -> None:
        """Filters that each match but not together say so."""
        with pytest.raises(ConfigError) as caught:
            names(inventory, groups=("shop",), tags=("env=prod-eu",))

        message = str(caught.value)
        assert (
            "no panel matches groups 'shop' and tag 'env=prod-eu' together" in message
        )
        assert "has 4 panels" in message
