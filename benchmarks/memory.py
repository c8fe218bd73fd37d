"""Peak memory of a process, or of a process and all its descendants, sampled with psutil.

Two numbers, as on Linux's own accounting:

- **PSS** (proportional set size, psutil's ``memory_full_info().pss``): each page a process
  holds, with pages shared by several processes split between them, so that the PSS of a
  process tree added up is the memory the tree really holds (a jupyter kernel and its client
  share numpy's libraries; pytest-xdist's workers share the interpreter's).
- **RSS** (resident set size, ``memory_info().rss``): the pages one process holds, its shared
  libraries counted in full: what a task manager shows for it.

A ``Sampler`` reads them every ``interval`` seconds in a thread of its own and keeps the peaks;
a peak shorter than the interval can be missed. Where a process is waited for, the kernel's own
high-water mark of its resident size (``ru_maxrss``) is added, which misses nothing.
``run_measured`` runs a command under a sampler; ``Sampler(os.getpid(), tree=False)`` measures
a stretch of the current process (the training worker measures one epoch so).
"""

import os
import resource
import subprocess
import sys
import threading
import time

import psutil


class Sampler:
    """``with Sampler(pid) as s: ...`` then ``s.peak_pss`` (the largest sum of PSS over the tree at
    one sample), ``s.peak_rss`` (the largest RSS of any one of its processes), in bytes."""

    def __init__(self, pid, interval=0.2, tree=True):
        self.root, self.interval, self.tree = psutil.Process(pid), interval, tree
        self.peak_pss = self.peak_rss = self.samples = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def processes(self):
        if not self.tree:
            return [self.root]
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:  # the root has exited
            return []

    def sample(self):
        total = 0
        for process in self.processes():
            try:
                info = process.memory_full_info()
            except (
                psutil.Error
            ):  # exited between the listing and the reading, or not ours to read
                continue
            total += info.pss
            self.peak_rss = max(self.peak_rss, info.rss)
        self.peak_pss = max(self.peak_pss, total)
        self.samples += 1
        return total

    def _run(self):
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.sample()
        return False


def maxrss_bytes(value):
    """``ru_maxrss`` in bytes: Linux counts it in KiB, macOS in bytes."""
    return value if sys.platform == "darwin" else value * 1024


def current():
    """This process's PSS and RSS now, in bytes."""
    info = psutil.Process().memory_full_info()
    return {"pss": info.pss, "rss": info.rss}


def measure_stretch(fn, interval=0.001):
    """Run ``fn()`` in this process and return its result and its memory: the peak PSS and RSS
    while it ran, and both just before, in bytes. Threads switch every ``interval`` seconds
    meanwhile so that the sampler gets its turns; the time this costs is not measured."""
    before = current()
    hwm_before = maxrss_bytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(interval / 2)
    try:
        with Sampler(os.getpid(), interval=interval, tree=False) as sampler:
            result = fn()
    finally:
        sys.setswitchinterval(switch)
    hwm_after = maxrss_bytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    peak_rss = max(
        sampler.peak_rss, hwm_after if hwm_after > hwm_before else 0
    )  # a new high-water mark is this stretch's
    return result, {
        "peak_pss": sampler.peak_pss,
        "peak_rss": peak_rss,
        "before_pss": before["pss"],
        "before_rss": before["rss"],
        "samples": sampler.samples,
    }


def run_measured(command, cwd=None, env=None):
    """Run ``command`` and measure it: its wall and CPU seconds (user + system, over all the
    processes it waited for), exit code, output (stdout and stderr), the peak of its processes'
    summed PSS and the largest peak RSS of any one of them (sampled every 0.2 s)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    with Sampler(process.pid, interval=0.2) as sampler:
        output = process.stdout.read()
        _, status, usage = os.wait4(
            process.pid, 0
        )  # includes every descendant it waited for
        wall = time.perf_counter() - start
    largest = max(
        sampler.peak_rss, maxrss_bytes(usage.ru_maxrss)
    )  # the kernel's, of the largest process waited for
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "exit_code": process.returncode,
        "output": output,
        "peak_pss": sampler.peak_pss,
        "peak_process": largest,
    }
