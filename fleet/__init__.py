"""Manage fleets of BaoTa and aaPanel web-hosting panels through their HTTP API."""

__version__ = "0.1.0"
