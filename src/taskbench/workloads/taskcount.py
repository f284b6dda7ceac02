"""Count every task a program creates, on every event loop it runs, without changing it.

``share`` installs this before the program imports anything (and the loopback servers before
they import their framework). Three hooks, each where asyncio leaves a door open:

1. **The name ``asyncio.Task``** (and ``asyncio.tasks.Task``) becomes a stand-in class whose
   metaclass counts each construction and returns a task of the real class, so the C fast
   paths that asyncio keeps for exact tasks stay in use, and ``isinstance(task, asyncio.Task)``
   still holds. Every loop without a task factory makes its tasks through this name: asyncio's
   loops look it up at each call, and uvloop captured it when it was imported (hence: install
   first). So do libraries that construct tasks directly, which no task factory sees: aiohttp
   does, on 3.12 and later (``asyncio.Task(coro, loop=loop, eager_start=True)``).
2. **A task factory the program sets** (``set_task_factory``, on asyncio's loops and on
   uvloop's public ``uvloop.Loop``, a Python subclass of its Cython loop) is wrapped in a
   counting factory that calls it: never replaced, and ``get_task_factory`` returns the
   program's own. A task the program's factory makes through the name in 1 counts once.
   No factory is installed where the program sets none: a factory changes what
   ``create_task`` does (3.13.0 renames every task it makes to "None").
3. **``asyncio._set_running_loop``** notes each loop that runs and its class, so that a
   program that never runs a loop is told apart from one whose loop runs no task. A loop
   counts once however often it runs, and whichever threads run loops at the same time:
   the loops seen are kept by weak reference (a loop class without weak references counts
   each run, but for the same loop running again in the same thread).

asyncio and uvloop are hooked when the program imports them (an import hook watches for
them), so a program that never imports asyncio is seen as such. The one thing a program can
see is that ``type(task) is asyncio.Task`` no longer holds. A task made by calling the real
class itself (``asyncio.tasks._CTask``), or by a loop implementation that captured
``asyncio.Task`` before the hooks went in, is not counted. Standard library only: this runs
inside the measured program, on every interpreter of the suite.
"""

from __future__ import annotations

import importlib.abc
import itertools
import sys
import threading
import weakref
from typing import Any, Callable

WRAPPED = "__taskbench_inner_factory__"

# One call of a C method per task: no count is lost when threads interleave, as one could be
# between reading and writing a global. Reading the count takes a tick too (see tasks()).
_tick = itertools.count().__next__
_reads = 0
_factory_depth = 0
_made_in_factory: list[Any] = []
_loops: dict[str, int] = {}
_seen_loops: weakref.WeakSet[Any] = weakref.WeakSet()
_seen_lock = threading.Lock()  # threads may start loops at the same moment
_last_unreferenced = threading.local()  # per thread: the last loop without weak references
_restore: list[Callable[[], None]] = []
_notes: list[str] = []


def tasks() -> int:
    """Tasks counted since the hooks were first installed in this process."""
    global _reads
    value = _tick() - _reads
    _reads += 1
    return value


def loops() -> dict[str, int]:
    """Each class of event loop that ran, and how many loops of it."""
    return dict(_loops)


def notes() -> list[str]:
    """What the hooks could not reach, in words (empty when they reached everything)."""
    return list(_notes)


def asyncio_imported() -> bool:
    return "asyncio" in sys.modules


# The stand-in for asyncio.Task and the real class it makes (set by _hook_asyncio).
_stand_in: Any = None
_real_task: Any = None


class _TaskName(type):
    """Metaclass of the stand-in for ``asyncio.Task``: counts, then builds a real task."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        _tick()
        if cls is _stand_in:
            task = _real_task(*args, **kwargs)
        else:  # a subclass the program defined after the hooks went in
            task = type.__call__(cls, *args, **kwargs)
        if _factory_depth:
            _made_in_factory.append(task)
        return task

    def __instancecheck__(cls, instance: Any) -> bool:
        if cls is _stand_in:
            return isinstance(instance, _real_task)
        return type.__instancecheck__(cls, instance)

    def __subclasscheck__(cls, subclass: Any) -> bool:
        if cls is _stand_in:
            return issubclass(subclass, _real_task)
        return type.__subclasscheck__(cls, subclass)


def counting_factory(inner: Callable[..., Any]) -> Callable[..., Any]:
    """A task factory that counts each task and has ``inner`` (the program's) make it."""
    def factory(loop: Any, coro: Any, **kwargs: Any) -> Any:
        global _factory_depth
        _factory_depth += 1
        try:
            task = inner(loop, coro, **kwargs)
        finally:
            _factory_depth -= 1
        if not any(made is task for made in _made_in_factory):
            _tick()
        if not _factory_depth:
            del _made_in_factory[:]
        return task

    setattr(factory, WRAPPED, inner)
    return factory


def _patch(owner: Any, name: str, value: Any) -> None:
    had = name in vars(owner)
    original = vars(owner).get(name)

    def restore() -> None:
        if had:
            setattr(owner, name, original)
        else:
            delattr(owner, name)

    setattr(owner, name, value)
    _restore.append(restore)


def _hook_factories(loop_class: Any) -> None:
    """Wrap the program's task factory on ``loop_class``; show it its own factory back."""
    set_factory, get_factory = loop_class.set_task_factory, loop_class.get_task_factory

    def set_task_factory(self: Any, factory: Any) -> None:
        if callable(factory) and not hasattr(factory, WRAPPED):
            factory = counting_factory(factory)
        set_factory(self, factory)

    def get_task_factory(self: Any) -> Any:
        factory = get_factory(self)
        return getattr(factory, WRAPPED, factory)

    for function, original in ((set_task_factory, set_factory),
                               (get_task_factory, get_factory)):
        function.__doc__ = original.__doc__
        _patch(loop_class, original.__name__, function)


def _note_loop(loop: Any) -> None:
    kind = f"{type(loop).__module__}.{type(loop).__qualname__}"
    with _seen_lock:
        try:
            if loop in _seen_loops:
                return
            _seen_loops.add(loop)
        except TypeError:  # a loop class without weak references
            if getattr(_last_unreferenced, "loop", None) == id(loop):
                return
            _last_unreferenced.loop = id(loop)
        _loops[kind] = _loops.get(kind, 0) + 1


def _hook_asyncio(asyncio: Any) -> None:
    global _stand_in, _real_task
    from asyncio import base_events, events
    from asyncio import tasks as asyncio_tasks

    real = asyncio_tasks.Task
    if _stand_in is None or _real_task is not real:
        _real_task = real
        _stand_in = _TaskName(real.__name__, (real,), {
            "__doc__": real.__doc__, "__module__": real.__module__,
            "__qualname__": real.__qualname__})
    _patch(asyncio, "Task", _stand_in)
    _patch(asyncio_tasks, "Task", _stand_in)
    _hook_factories(base_events.BaseEventLoop)
    set_running = events._set_running_loop

    def _set_running_loop(loop: Any) -> None:
        if loop is not None:
            _note_loop(loop)
        set_running(loop)

    _patch(events, "_set_running_loop", _set_running_loop)
    _patch(asyncio, "_set_running_loop", _set_running_loop)


def _hook_uvloop(uvloop: Any) -> None:
    _hook_factories(uvloop.Loop)


class _Watch(importlib.abc.MetaPathFinder):
    """Hooks a module the moment its import has finished, whoever imports it."""

    def __init__(self, hooks: dict[str, Callable[[Any], None]]):
        self.hooks = hooks

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in self.hooks:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if finder is not self and find else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Hooking(spec.loader, self.hooks.pop(name))
        return spec


class _Hooking(importlib.abc.Loader):
    def __init__(self, loader: Any, hook: Callable[[Any], None]):
        self.loader, self.hook = loader, hook

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        module.__loader__ = module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        self.hook(module)


def install() -> None:
    """Install the hooks: now for asyncio and uvloop if imported, else when they are."""
    if _restore:
        return
    pending: dict[str, Callable[[Any], None]] = {}
    for name, hook in (("asyncio", _hook_asyncio), ("uvloop", _hook_uvloop)):
        if name in sys.modules:
            hook(sys.modules[name])
        else:
            pending[name] = hook
    if "uvloop" in sys.modules:
        _notes.append("uvloop was imported before the hooks: tasks its loops make without "
                      "a task factory are not counted")
    watch = _Watch(pending)
    sys.meta_path.insert(0, watch)
    _restore.append(lambda: sys.meta_path.remove(watch))


def uninstall() -> None:
    """Undo :func:`install` (factories already wrapped stay wrapped, and keep counting)."""
    while _restore:
        _restore.pop()()
