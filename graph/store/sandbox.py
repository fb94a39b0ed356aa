"""Kernel limits for processes that run untrusted work: rlimits, and Landlock where the kernel has it.

Landlock (Linux 5.13+) lets an unprivileged process give up file access for good: after
:func:`restrict_files`, the process can read only beneath the paths it named, write nowhere, open
no TCP connection (ABI 4+) and signal no process outside itself (ABI 6+). Where the kernel lacks
it (older kernels, other systems), :func:`restrict_files` returns 0 and the other layers (the read
subset parser, the read-only engine, the scrubbed environment) still hold.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

# System calls (x86_64 and aarch64 share these numbers) and prctl's no-new-privileges.
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
PR_SET_NO_NEW_PRIVS = 38
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
# Filesystem rights (landlock.h), by the ABI that introduced them.
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_ABI1 = (1 << 13) - 1  # execute … make_sym
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0: not available)."""
    libc = _libc()
    if libc is None:
        return 0
    version = libc.syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(0, int(version))


def library_paths() -> list[Path]:
    """Where the interpreter and installed packages live: read (and mapped) after the sandbox closes."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib"}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(sysconfig.get_paths().get(key, ""))
    return [Path(p) for p in sorted(paths) if p and Path(p).exists()]


def restrict_files(read: Iterable[str | Path]) -> int:
    """Allow reading only beneath `read` and the library paths; no writes, no TCP, no signals out.
    Returns the Landlock ABI enforced (0 when the kernel has no Landlock: nothing was restricted)."""
    abi = landlock_abi()
    libc = _libc()
    if abi <= 0 or libc is None:
        return 0
    handled = (
        FS_ABI1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0) | (FS_IOCTL_DEV if abi >= 5 else 0)
    )
    attr = _RulesetAttr(handled, (NET_BIND_TCP | NET_CONNECT_TCP) if abi >= 4 else 0, 0)
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        log.warning(
            "Landlock ruleset refused (errno %d); the worker runs without file restrictions", ctypes.get_errno()
        )
        return 0
    try:
        for path in [*map(Path, read), *library_paths(), Path("/dev/null"), Path("/dev/urandom")]:
            _allow(libc, ruleset, path, FS_READ_FILE | FS_READ_DIR | FS_EXECUTE)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return 0
        if libc.syscall(SYS_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)) != 0:
            log.warning("Landlock restriction refused (errno %d)", ctypes.get_errno())
            return 0
    finally:
        os.close(ruleset)
    return abi


def _allow(libc: ctypes.CDLL, ruleset: int, path: Path, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not path.is_dir():
            rights &= FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        libc.syscall(SYS_ADD_RULE, ruleset, ctypes.c_uint32(RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0))
    finally:
        os.close(fd)


def vm_size() -> int:
    """This process's virtual memory size in bytes (Linux), 0 when unknown."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(budget_bytes: int) -> None:
    """Cap the address space at what the process has mapped now plus `budget_bytes`: allocations beyond
    it fail (MemoryError in Python, std::bad_alloc in the engine) instead of growing without bound.
    (The engine reserves its whole database size up front, so an absolute cap would refuse it.)"""
    current = vm_size()
    if current <= 0:
        return
    limit = current + budget_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def limit_cpu(seconds: int) -> None:
    """Cap this process's CPU time at what it used so far plus `seconds` (SIGXCPU, then SIGKILL)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 5 if hard == resource.RLIM_INFINITY else hard))


# The environment a worker keeps: nothing that could hold a secret (PLANGRAPH_API_KEY, NEO4J_PASSWORD …).
SAFE_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONPATH", "PYTHONHASHSEED", "TZ", "SYSTEMROOT")


def scrubbed_environment() -> dict[str, str]:
    """The parent's environment without secrets; PYTHONPATH made absolute (a worker starts in `/`)."""
    environment = {name: os.environ[name] for name in SAFE_ENVIRONMENT if name in os.environ}
    paths = [os.path.abspath(p) for p in environment.get("PYTHONPATH", "").split(os.pathsep) if p]
    if paths:
        environment["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return environment
