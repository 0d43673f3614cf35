"""Waits until something accepts TCP connections on 127.0.0.1:PORT, for at most SECONDS.

Usage: wait_for_port.py PORT SECONDS. Exit status 0 once it does, 1 when time runs out.
Shared by tests/conformance/run.sh and benches/run.sh, which start `pcinbox serve` first.
"""
import socket
import sys
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
