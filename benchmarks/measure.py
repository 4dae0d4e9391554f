"""Shared by the benchmark scripts: run a command and measure its wall time and the peak
PSS of its whole process tree (auditkit plus Chromium's processes), sampled every 50 ms.

PSS (proportional set size) splits shared pages between the processes sharing them,
so summing it over Chromium's processes does not count its libraries many times.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

AUDITKIT = str(Path(sys.executable).with_name("auditkit"))


def tree_pss(process: psutil.Process) -> int:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_full_info().pss
    return total


@dataclass
class Measured:
    seconds: float
    peak_pss: int
    returncode: int

    @property
    def peak_mib(self) -> float:
        return self.peak_pss / 2**20


def measure(command: list[str], interval_s: float = 0.05) -> Measured:
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, tree_pss(process))
        time.sleep(interval_s)
    return Measured(time.perf_counter() - started, peak, child.returncode)
