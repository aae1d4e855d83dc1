"""End-of-life dates of PHP branches, after which they get no security fixes.

Source: php.net, "Unsupported Branches" (https://www.php.net/eol.php) for 5.2
to 8.1 and "Supported Versions" (https://www.php.net/supported-versions.php,
the "Security Support Until" column, as published in July 2025) for 8.2 to
8.4. Update this table when php.net announces new branches; a branch that is
missing here is reported as unknown to the table, never as supported.
"""

from __future__ import annotations

import datetime

PHP_EOL: dict[str, datetime.date] = {
    "5.2": datetime.date(2011, 1, 6),
    "5.3": datetime.date(2014, 8, 14),
    "5.4": datetime.date(2015, 9, 3),
    "5.5": datetime.date(2016, 7, 21),
    "5.6": datetime.date(2018, 12, 31),
    "7.0": datetime.date(2019, 1, 10),
    "7.1": datetime.date(2019, 12, 1),
    "7.2": datetime.date(2020, 11, 30),
    "7.3": datetime.date(2021, 12, 6),
    "7.4": datetime.date(2022, 11, 28),
    "8.0": datetime.date(2023, 11, 26),
    "8.1": datetime.date(2025, 12, 31),
    "8.2": datetime.date(2026, 12, 31),
    "8.3": datetime.date(2027, 12, 31),
    "8.4": datetime.date(2028, 12, 31),
}


def end_of_life(branch: str) -> datetime.date | None:
    """Return the last day of security support of a branch such as "7.4"."""
    return PHP_EOL.get(branch)
