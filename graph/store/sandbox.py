"""Kernel limits for processes that run untrusted work: rlimits, Landlock, seccomp and an unprivileged uid.

Each layer holds on its own, so one that is missing or wrong is not enough to get through:

- **Landlock** (Linux 5.13+): after :func:`restrict_files` the process reads only beneath the paths it
  named, writes only beneath its private folder, opens no TCP connection (ABI 4+) and signals no
  process outside itself (ABI 6+). It binds the calling thread and every thread it starts *later*,
  so a worker calls it before the engine starts its own threads (the engine's `COPY … TO` runs on
  one of those: restricting after it started left that thread free to write anywhere).
- **seccomp** (:func:`deny_syscalls`): no `execve`, no sockets, no `ptrace` or reading another
  process's memory, no new namespaces or mounts, no kernel modules or BPF, and no memory mapped
  executable after start (so no library can be `dlopen`ed: an engine extension, a `.so` written
  somewhere). Installed with TSYNC, for every thread of the process.
- **an unprivileged uid** (:func:`drop_privileges`): a worker started as root becomes `nobody`
  once it has opened what it needs, for every thread (glibc applies set*id to all threads), so it
  cannot write the installation even if the other layers failed.
- rlimits on memory and CPU, and an environment scrubbed of secrets.

Where the kernel lacks a layer (older kernels, other systems) its function returns 0 or False and the
others still hold; `/health` says which are active.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import signal
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


def restrict_files(read: Iterable[str | Path], write: Iterable[str | Path] = ()) -> int:
    """Allow reading only beneath `read` and the library paths, writing only beneath `write`; no TCP, no
    signals out. Returns the Landlock ABI enforced (0 when the kernel has no Landlock: nothing was
    restricted)."""
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
        for path in map(Path, write):
            _allow(libc, ruleset, path, handled & ~FS_EXECUTE)
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


# -- seccomp ---------------------------------------------------------------------------------------

PR_SET_DUMPABLE = 4
SYS_SECCOMP = {"x86_64": 317, "aarch64": 277}
SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC = 1, 1
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
RET_ALLOW, RET_KILL_PROCESS = 0x7FFF0000, 0x80000000
RET_EPERM, RET_ENOSYS = 0x00050000 | 1, 0x00050000 | 38
PROT_EXEC = 0x4
# Namespace flags of clone(2): a thread may be started, a container may not.
CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
# System calls denied outright (EPERM), by architecture: program execution, sockets (a worker talks
# through its pipes), other processes' memory, namespaces and mounts, kernel modules, BPF, keys,
# io_uring (a way around the other rules), memfd (code without a file), personality.
DENIED = {
    "x86_64": {
        "execve": 59, "execveat": 322, "socket": 41, "socketpair": 53, "connect": 42, "bind": 49, "listen": 50,
        "accept": 43, "accept4": 288, "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311,
        "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308,
        "init_module": 175, "finit_module": 313, "delete_module": 176, "kexec_load": 246, "bpf": 321,
        "perf_event_open": 298, "userfaultfd": 323, "keyctl": 250, "add_key": 248, "request_key": 249,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "memfd_create": 319,
        "personality": 135, "open_by_handle_at": 304, "name_to_handle_at": 303,
    },
    "aarch64": {
        "execve": 221, "execveat": 281, "socket": 198, "socketpair": 199, "connect": 203, "bind": 200, "listen": 201,
        "accept": 202, "accept4": 242, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
        "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51, "unshare": 97, "setns": 268,
        "init_module": 105, "finit_module": 273, "delete_module": 106, "kexec_load": 104, "bpf": 280,
        "perf_event_open": 241, "userfaultfd": 282, "keyctl": 219, "add_key": 217, "request_key": 218,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "memfd_create": 279,
        "personality": 92, "open_by_handle_at": 265, "name_to_handle_at": 264,
    },
}  # fmt: skip
# System calls allowed only without some flags in one argument: (number, argument index, flags denied).
GUARDED = {
    "x86_64": [(9, 2, PROT_EXEC), (10, 2, PROT_EXEC), (329, 2, PROT_EXEC), (56, 0, CLONE_NAMESPACES)],
    "aarch64": [(222, 2, PROT_EXEC), (226, 2, PROT_EXEC), (288, 2, PROT_EXEC), (220, 0, CLONE_NAMESPACES)],
}
CLONE3 = 435  # its flags are in memory a filter cannot read: ENOSYS, and the C library falls back to clone


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter))]


LD_ABS_W, JEQ, JSET, RET = 0x20, 0x15, 0x45, 0x06


def seccomp_program(machine: str) -> list[tuple[int, int, int, int]]:
    """The filter (classic BPF: code, jump-if-true, jump-if-false, constant) for one architecture."""
    program: list[tuple[int, int, int, int]] = [
        (LD_ABS_W, 0, 0, 4),  # seccomp_data.arch
        (JEQ, 1, 0, AUDIT_ARCH[machine]),
        (RET, 0, 0, RET_KILL_PROCESS),  # another ABI (x86's 32-bit calls) is never this worker's
        (LD_ABS_W, 0, 0, 0),  # seccomp_data.nr
    ]
    if machine == "x86_64":  # the x32 ABI's numbers have bit 30 set
        program += [(JSET, 0, 1, 0x40000000), (RET, 0, 0, RET_EPERM)]
    for number in sorted(DENIED[machine].values()):
        program += [(JEQ, 0, 1, number), (RET, 0, 0, RET_EPERM)]
    program += [(JEQ, 0, 1, CLONE3), (RET, 0, 0, RET_ENOSYS)]
    for number, argument, flags in GUARDED[machine]:
        program += [
            (JEQ, 0, 4, number),
            (LD_ABS_W, 0, 0, 16 + 8 * argument),  # the argument's low 32 bits (little-endian)
            (JSET, 0, 1, flags),
            (RET, 0, 0, RET_EPERM),
            (RET, 0, 0, RET_ALLOW),
        ]
    program.append((RET, 0, 0, RET_ALLOW))
    return program


def deny_syscalls() -> bool:
    """Install the seccomp filter on every thread of this process (True), or return False where the
    kernel or the architecture has no seccomp filter. The C extensions a worker needs must be imported
    before: no memory is mapped executable afterwards."""
    libc = _libc()
    machine = os.uname().machine
    if libc is None or machine not in AUDIT_ARCH:
        return False
    program = seccomp_program(machine)
    filters = (_SockFilter * len(program))(*[_SockFilter(*instruction) for instruction in program])
    fprog = _SockFprog(len(program), filters)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    result = libc.syscall(
        SYS_SECCOMP[machine],
        ctypes.c_uint(SECCOMP_SET_MODE_FILTER),
        ctypes.c_uint(SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(fprog),
    )
    if result != 0:
        log.warning("seccomp filter refused (errno %d); the worker runs without it", ctypes.get_errno())
        return False
    return True


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), so a writer killed with -9 leaves no
    worker behind: a forked worker holds copies of its own pipe's ends and would wait on it for ever."""
    libc = _libc()
    if libc is not None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


# -- an unprivileged uid -------------------------------------------------------------------------------

NOBODY = 65534


def drop_privileges(uid: int = NOBODY, gid: int = NOBODY) -> int:
    """Run on as `uid` when started as root (every thread: the C library applies set*id to all of them),
    and make the process undumpable (no other process of that uid may read its memory). Returns the
    effective uid the process runs as afterwards."""
    libc = _libc()
    if libc is not None:
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    if os.geteuid() != 0:
        return os.geteuid()
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if libc is not None:
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # a change of uid can reset it
    return os.geteuid()


def can_write_installation() -> list[str]:
    """The installation's folders this process could write (the package, the interpreter's libraries):
    a server should not run as a user that can, since a query that escaped every other layer could
    then change the code the next worker runs."""
    import plangraph

    places = {*map(str, library_paths()), *getattr(plangraph, "__path__", [])}
    return sorted(p for p in places if os.access(p, os.W_OK))


# The environment a worker keeps: nothing that could hold a secret (PLANGRAPH_API_KEY, NEO4J_PASSWORD …).
SAFE_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONPATH", "PYTHONHASHSEED", "TZ", "SYSTEMROOT")


def scrubbed_environment() -> dict[str, str]:
    """The parent's environment without secrets; PYTHONPATH made absolute (a worker starts in `/`)."""
    environment = {name: os.environ[name] for name in SAFE_ENVIRONMENT if name in os.environ}
    paths = [os.path.abspath(p) for p in environment.get("PYTHONPATH", "").split(os.pathsep) if p]
    if paths:
        environment["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return environment
