"""The ``fleet simulate`` command: serve simulated panels until stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from fleet.errors import ExitCode
from fleet.simulator.fleet import SimulatedFleet, build_specs
from fleet.simulator.inventory import KEY_MODES, write_env_file
from fleet.simulator.spec import FAULTS, FLAVOURS, Flavour

DEFAULT_INVENTORY = "fleet-demo/inventory.yaml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the simulator's options to an argument parser."""
    parser.add_argument(
        "--panels",
        type=_count,
        default=10,
        help="number of panels to start (default: 10)",
    )
    parser.add_argument(
        "--faulty",
        type=_count,
        default=0,
        help="how many of the panels get a fault profile, cycling through "
        f"{', '.join(FAULTS)} (default: 0)",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="data and key seed (default: 1)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="loopback address to listen on: 127.0.0.0/8 or ::1 (default: 127.0.0.1)",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="MS",
        help="server-side delay before every response, in milliseconds (default: 0)",
    )
    parser.add_argument(
        "--flavour",
        choices=(*FLAVOURS, "mixed"),
        default="baota11",
        help="panel version to imitate; 'mixed' cycles through all (default: baota11)",
    )
    parser.add_argument(
        "--inventory",
        default=DEFAULT_INVENTORY,
        metavar="PATH",
        help=f"where to write the inventory YAML (default: {DEFAULT_INVENTORY})",
    )
    parser.add_argument(
        "--key-mode",
        choices=KEY_MODES,
        default="inline",
        help="put keys in the inventory, in 0600 key files, or in an env file "
        "to source (default: inline)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop after this many seconds (default: run until SIGINT or SIGTERM)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve the simulated fleet until SIGINT, SIGTERM or the duration ends."""
    if args.faulty > args.panels:
        print(
            f"fleet simulate: --faulty {args.faulty} is more than --panels "
            f"{args.panels}; lower --faulty or raise --panels",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    try:
        return asyncio.run(_serve(args))
    except ValueError as exc:
        print(f"fleet simulate: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except OSError as exc:
        print(f"fleet simulate: {exc}", file=sys.stderr)
        return ExitCode.FAILED


async def _serve(args: argparse.Namespace) -> int:
    flavours: tuple[Flavour, ...] = (
        FLAVOURS if args.flavour == "mixed" else (args.flavour,)
    )
    faults: Counter[str] = Counter(
        FAULTS[index % len(FAULTS)] for index in range(args.faulty)
    )
    specs = build_specs(
        args.panels,
        faults=faults,
        seed=args.seed,
        host=args.host,
        flavours=flavours,
        latency=args.latency / 1000,
    )
    # Handlers go in first, so a signal that arrives right after the summary
    # line is printed still stops the fleet cleanly.
    with _stop_on_signals() as stop:
        async with SimulatedFleet(specs) as sim:
            _announce(sim, args, faults)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=args.duration)

    return ExitCode.OK


def _announce(
    sim: SimulatedFleet, args: argparse.Namespace, faults: Counter[str]
) -> None:
    inventory = Path(args.inventory)
    environment = sim.write_inventory(inventory, args.key_mode)
    print(f"inventory: {inventory}", flush=True)
    if environment:
        env_file = write_env_file(inventory.with_suffix(".env"), environment)
        print(f"keys: source {env_file}", flush=True)
    print(_summary(sim, args.host, faults), flush=True)


def _summary(sim: SimulatedFleet, host: str, faults: Counter[str]) -> str:
    ports = [panel.port for panel in sim.panels]
    faulty = ", ".join(f"{name} x{number}" for name, number in faults.items())
    return (
        f"serving {len(ports)} simulated panels on {host} ports "
        f"{min(ports)}-{max(ports)} ({sum(faults.values())} faulty"
        f"{': ' + faulty if faulty else ''}); stop with Ctrl-C"
    )


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[asyncio.Event]:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for number in signals:
        loop.add_signal_handler(number, stop.set)
    try:
        yield stop
    finally:
        for number in signals:
            loop.remove_signal_handler(number)


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value
