"""Free loopback ports for servers the platform starts itself (drill clusters, test servers)."""

import random
import socket
from pathlib import Path


def ephemeral_port_range() -> range:
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(low, high + 1)


def free_port() -> int:
    """A port free now and outside the kernel's ephemeral range.

    A port the kernel hands out (bind to 0) may, moments later, become the local end of one of
    the drill's own client connections, and the server then cannot listen on it.
    """
    ephemeral = ephemeral_port_range()
    for _ in range(200):
        port = random.randint(20000, 32767)
        if port in ephemeral:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port outside the ephemeral range")
