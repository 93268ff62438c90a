#!/usr/bin/env python3
"""CPU time of a command and every process it starts, however they exit.

Usage: tree-cpu.py <command> [args...]   prints one JSON line to fd 3 (or stderr): wall, user and system seconds.

Wall time on a shared machine measures the neighbours as much as the command; user + system CPU time does not (to
first order). getrusage(RUSAGE_CHILDREN) counts only descendants someone waited for: Nx leaves plugin workers and
batch processes to exit on their own, and orphans are reaped by init. This wrapper makes itself a child subreaper
(prctl PR_SET_CHILD_SUBREAPER), so every orphan of the tree is reparented to it and reaped here, and counted.
"""
import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print('prctl(PR_SET_CHILD_SUBREAPER) failed', file=sys.stderr)
        return 2
    started = time.monotonic()
    child = subprocess.Popen(sys.argv[1:])
    code = child.wait()
    wall = time.monotonic() - started
    # Reap every orphan the command left behind (they were reparented here), so their CPU time is counted.
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = json.dumps({'code': code, 'wall': round(wall, 4), 'user': round(usage.ru_utime, 4), 'sys': round(usage.ru_stime, 4), 'tail': round(time.monotonic() - started - wall, 4)})
    try:
        os.write(3, (line + '\n').encode())
    except OSError:
        print(line, file=sys.stderr)
    return code


if __name__ == '__main__':
    sys.exit(main())
