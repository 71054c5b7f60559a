"""What keeps a traced program from lying through the tracer (issue 9); used by tracer.py.

The program runs in the tracer's interpreter, so it can reach the tracer. This module holds
the defences that do not depend on one run's state:

- ``enter``, the only tracer code above the program's frames (the host drives a run in steps,
  see tracer.py ``begin``), built with a globals dict of its own, and the catcher it fills.
- The tracer looks builtins up in its own copy, captured at import, and ``hide`` takes both
  modules out of ``sys.modules`` while the program runs; sys.gettrace and sys.monitoring are
  guarded then.
- An audit hook reports, at once, through the run's ``flag`` (which tells the host out of band,
  so rewriting the tracer afterwards cannot take it back): calls of sys.settrace/setprofile,
  gc's object listings, frames handed out that lead into the tracer, ctypes, and changes to the
  tracer's own functions and types.
- ``restore_state`` undoes what an earlier program changed: builtins, sys hooks and settings,
  sys.modules, attributes set on modules (every module loaded before the first run gets a
  class that records them), on library types and functions (recorded by the audit hook), and
  the tracer's own modules. Between runs, the trace function stops any code of a program that
  still gets called (a callback, a finaliser) before its first line.

What it cannot stop: a program that walks ``__closure__``/``__globals__`` of the tracer's
objects it can still reach (``sys.stdout``'s writer, a frame's ``f_trace``) can rewrite the
tracer's state without an audit event. Such code names interpreter internals, so the trace is
labelled ``introspection`` (see ``introspects``).
"""

import builtins
import dis
import io
import sys
import types

BUILTINS0 = dict(builtins.__dict__)
# This module's own names resolve here, not in the builtins module the program can patch: a
# function takes its builtins from its module's __builtins__ when it is created.
__builtins__ = dict(BUILTINS0)

MISSING = object()
# The tracer's own writes to sys go to its dict (what sys.stdout and C code read), not through
# the recording module class (see _WatchedModule): they are not the program's.
SYS = sys.__dict__
_MON = getattr(sys, "monitoring", None)
_gettrace = sys.gettrace

# Interpreter introspection, read from the compiled program (names it looks up or imports):
# the trace is then labelled "this program inspects the interpreter".
_INTRO_ATTRS = frozenset((
    "settrace", "setprofile", "gettrace", "getprofile", "_getframe", "_current_frames",
    "monitoring", "f_back", "f_locals", "f_globals", "f_builtins", "f_trace", "tb_frame",
    "gi_frame", "cr_frame", "ag_frame", "__closure__", "cell_contents", "__globals__",
    "__builtins__", "addaudithook", "get_objects", "get_referrers", "get_referents",
    "currentframe",
))
_INTRO_MODULES = frozenset(("gc", "inspect", "js", "pyodide", "pyodide_js", "_pyodide", "ctypes", "builtins", "cwm_tracer", "tracer_guard"))
_IMPORT_NAME = dis.opmap["IMPORT_NAME"]


# Every word above contains one of these: a program whose text has none (most) is not read
# further. Plain substring tests: an alternation regex of the words costs more than tracing a
# small program.
_INTRO_HINTS = ("trace", "profile", "frame", "monitoring", "f_", "__", "gc", "js", "pyodide", "inspect", "ctypes", "builtins", "get_", "audithook", "cell_contents")
assert all(any(h in w for h in _INTRO_HINTS) for w in _INTRO_ATTRS | _INTRO_MODULES)


def introspects(program, codes):
    """The program names interpreter internals (see _INTRO_ATTRS) or imports such a module.
    `codes` is called for the program's code objects only when its text mentions one."""
    for h in _INTRO_HINTS:
        if h in program:
            break
    else:
        return False
    for c in codes():
        names = c.co_names
        if not _INTRO_ATTRS.isdisjoint(names):
            return True
        for k in c.co_consts:
            if type(k) is str and k in _INTRO_ATTRS:
                return True
        if not _INTRO_MODULES.isdisjoint(names):
            # A name is also an attribute or a global: only an import of the module counts.
            for ins in dis.get_instructions(c):
                if ins.opcode == _IMPORT_NAME and ins.argval.partition(".")[0] in _INTRO_MODULES:
                    return True
    return False


class Stray(BaseException):
    """Stops the program's code when something calls it between runs (a callback, a finaliser)."""


# --- The only tracer code above the program's frames: the program can read its frame (locals:
# the catcher, the program's function and arguments) but reaches neither the tracer's modules
# nor any name a later lookup would use.


def _enter_src(cat, fn, *args):
    # The catcher's bound __exit__ and keep are on the value stack before fn runs: rebinding
    # this frame's locals from the program changes nothing that is used afterwards.
    with cat:
        cat.keep(fn(*args))


class Catcher:
    """What the program's entry returned or raised."""

    __slots__ = ("value", "error", "done")

    def __init__(self):
        self.value = None
        self.error = None
        self.done = False

    def __enter__(self):
        return None

    def keep(self, value):
        self.value = value
        self.error = None
        self.done = True

    def __exit__(self, t, e, tb):
        if e is not None:
            self.value = None
            self.error = e
            self.done = True
        return True


def clean(fn, needs=(), g=None):
    """fn with a globals dict of its own (nothing of the tracer's modules behind __globals__)
    and only the builtins it `needs`; or with globals `g` (see writer_globals)."""
    if g is None:
        g = {"__builtins__": {n: BUILTINS0[n] for n in needs}}
    return types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)


# The globals of every run's stdout writer (made once: a dict per run costs more than tracing a
# small program); restore_state() puts them back if a program changed them.
WRITER_GLOBALS = {"__builtins__": {n: BUILTINS0[n] for n in ("type", "isinstance", "str", "TypeError", "len")}}
_WRITER0 = (dict(WRITER_GLOBALS), dict(WRITER_GLOBALS["__builtins__"]))


enter = clean(_enter_src)
_ENTER_CODE = enter.__code__
for _name in ("__init__", "__enter__", "keep", "__exit__"):
    setattr(Catcher, _name, clean(getattr(Catcher, _name)))


class Out(io.TextIOBase):
    """sys.stdout/stderr while the program runs; the buffers live in the run's closure (_w)."""

    __slots__ = ("_w",)

    def writable(self):
        return True

    def write(self, s):
        return self._w(s)


for _name in ("writable", "write"):
    setattr(Out, _name, clean(getattr(Out, _name)))


def make_dispatch():
    """(trace function, set_handler): the trace function stays installed between runs (each
    sys.settrace() call re-instruments every code object, which costs more than tracing a small
    program); set_handler(h, ns) gives it the running run's handler of call events (None between
    runs) and the program's globals. Between runs a frame of those globals is the last program's
    code called from outside (a promise callback, a finaliser): it is stopped. Identity of the
    globals, not frame.f_code, which raises an audit event at every call."""
    handler = None
    user_ns = None
    stray = Stray

    def dispatch(frame, event, arg):
        h = handler
        if h is None:
            if frame.f_globals is user_ns:
                raise stray("the program's code was called between runs")
            return None
        return h(frame, event, arg)

    def set_handler(h, ns):
        nonlocal handler, user_ns
        handler = h
        user_ns = ns

    return clean(dispatch), set_handler


# --- Tamper detection. _watch is the running run's audit handler, _flag its flag(note).

_watch = None
_flag = None
SETTRACE_NOTE = "the program called sys.settrace (tracing turned off or replaced)"
_FRAME_ATTRS = frozenset(("tb_frame", "gi_frame", "cr_frame", "ag_frame"))
_TAMPER_EVENTS = {
    "sys.settrace": SETTRACE_NOTE,
    "sys.setprofile": "the program called sys.setprofile (a hook that sees the tracer's frames)",
    "gc.get_objects": "the program listed live objects with gc.get_objects, which reaches the tracer's state",
    "gc.get_referrers": "the program used gc.get_referrers, which reaches the tracer's state",
    "gc.get_referents": "the program used gc.get_referents, which reaches the tracer's state",
    "sys._current_frames": "the program read every thread's frames (sys._current_frames), including the tracer's",
}
_WATCHED = frozenset(_TAMPER_EVENTS) | {"sys._getframe", "object.__getattr__", "object.__setattr__", "object.__delattr__"}
# Filled by seal(): the tracer's modules, their files, and objects of theirs the program may touch.
_OWN_MODULES = []
_OWN_FILES = set()
_OWN_NAMES = set()
_OWN_OBJECTS = []


def _audit(event, args):
    w = _watch
    if w is not None and (event in _WATCHED or event[:7] == "ctypes."):
        w(event, args)


def _owned(obj):
    try:
        return any(obj is o for o in _OWN_OBJECTS) or getattr(obj, "__module__", None) in _OWN_NAMES
    except BaseException:
        return False


def _make_watcher(flag, restores):
    """The audit hook's handler for one run: flag(note) records a tamper; restores collects
    attributes the program set on library types and functions (undone by undo())."""
    busy = [False]

    def leads_into_tracer(frame):
        # Frames from the one handed out up to the entry: the tracer's own means the program
        # runs inside the tracer (a __repr__ it called) or holds one of its frames.
        f = frame
        while f is not None:
            code = f.f_code
            if code is _ENTER_CODE:
                return False
            if code.co_filename in _OWN_FILES:
                return True
            f = f.f_back
        return False

    def watch(event, args):
        if busy[0]:
            return  # our own attribute reads below raise audit events too
        busy[0] = True
        try:
            note = _TAMPER_EVENTS.get(event)
            if note is not None:
                flag(note)
            elif event[:7] == "ctypes.":
                flag("the program used ctypes (%s), which can rewrite the interpreter's memory" % event)
            elif event == "sys._getframe":
                if args and leads_into_tracer(args[0]):
                    flag("the program took a frame that leads into the tracer (sys._getframe)")
            elif event == "object.__getattr__":
                if len(args) >= 2 and args[1] in _FRAME_ATTRS:
                    fr = getattr(args[0], args[1], None)
                    if fr is not None and leads_into_tracer(fr):
                        flag("the program reached the tracer's frames (%s)" % args[1])
            else:  # object.__setattr__ / __delattr__
                obj = args[0] if args else None
                if _owned(obj):
                    flag("the program changed the tracer's own %s" % type(obj).__name__)
                elif isinstance(obj, (type, types.FunctionType, types.ModuleType)) and getattr(obj, "__module__", None) != "__main__":
                    name = args[1]
                    try:
                        old = obj.__dict__.get(name, MISSING) if isinstance(obj, type) else getattr(obj, name, MISSING)
                    except BaseException:
                        old = MISSING
                    restores.append((obj, name, old))
        finally:
            busy[0] = False

    return watch


def unwatched(fn, *args):
    """fn(*args) with the run's audit handler off: for the tracer's own calls that would look
    like tampering (the ctypes call that writes an edit on CPython < 3.13)."""
    global _watch
    w = _watch
    _watch = None
    try:
        return fn(*args)
    finally:
        _watch = w


def undo(restores):
    """Puts back the library attributes a run changed (recorded by the audit hook)."""
    while restores:
        obj, name, old = restores.pop()
        try:
            if old is MISSING:
                delattr(obj, name)
            else:
                setattr(obj, name, old)
        except BaseException:
            pass


class _WatchedModule(types.ModuleType):
    """The class of every module loaded before the first run: an attribute the program sets on
    one (json.dumps = …) is recorded and undone by the next restore_state()."""

    def __setattr__(self, name, value):
        _module_writes.append((self, name, self.__dict__.get(name, MISSING)))
        types.ModuleType.__setattr__(self, name, value)

    def __delattr__(self, name):
        _module_writes.append((self, name, self.__dict__.get(name, MISSING)))
        types.ModuleType.__delattr__(self, name)


_module_writes = []


class _Guard:
    """sys.gettrace / sys.monitoring while the program runs: using them flags the run."""

    __slots__ = ("_real", "_note")

    def __init__(self, real, note):
        object.__setattr__(self, "_real", real)
        object.__setattr__(self, "_note", note)

    def __getattr__(self, name):
        f = _flag
        if f is not None:
            f(object.__getattribute__(self, "_note"))
        return getattr(object.__getattribute__(self, "_real"), name)

    def __call__(self, *args):
        f = _flag
        if f is not None:
            f(object.__getattribute__(self, "_note"))
        return object.__getattribute__(self, "_real")(*args)


_GUARD_GETTRACE = _Guard(_gettrace, "the program read the trace function (sys.gettrace), which reaches the tracer's state")
_GUARD_MONITORING = _Guard(_MON, "the program used sys.monitoring, which can change what the tracer sees") if _MON is not None else None


def hide(flag, restores):
    """While the program runs: the tracer's modules out of sys.modules, gettrace and monitoring
    guarded, the audit hook watching for this run."""
    global _watch, _flag
    for m, _ in _OWN_MODULES:
        if m.__name__ != "__main__":
            sys.modules.pop(m.__name__, None)
    SYS["gettrace"] = _GUARD_GETTRACE
    if _MON is not None:
        SYS["monitoring"] = _GUARD_MONITORING
    _flag = flag
    _watch = _make_watcher(flag, restores)


def unhide():
    global _watch, _flag
    _watch = None
    _flag = None
    SYS["gettrace"] = _gettrace
    if _MON is not None:
        SYS["monitoring"] = _MON
    for m, _ in _OWN_MODULES:
        sys.modules[m.__name__] = m


# --- Clean state between runs: what the interpreter looked like when the tracer was imported.

_SYS_HOOKS = ("stdout", "stderr", "stdin", "displayhook", "excepthook", "breakpointhook", "unraisablehook", "monitoring", "gettrace", "settrace", "setprofile", "getprofile", "_getframe")
_SYS_LISTS = ("path", "meta_path", "path_hooks")
_STATE0 = {}
_MON_EVENTS = [v for v in (getattr(_MON.events, n) for n in dir(_MON.events) if n.isupper()) if v and v & (v - 1) == 0] if _MON is not None else []


def seal(modules, own_objects, tool_name):
    """Called once, when the tracer has been imported: names the tracer's own modules and
    objects and installs the audit hook (inert between runs)."""
    for m in modules:
        _OWN_MODULES.append((m, None))
        _OWN_FILES.add(m.__file__ if getattr(m, "__file__", None) else "")
        _OWN_NAMES.add(m.__name__)
    _OWN_OBJECTS.extend(own_objects)
    _OWN_OBJECTS.extend((enter, Catcher, Out, _Guard, _GUARD_GETTRACE, Stray))
    _STATE0["tool_name"] = tool_name
    sys.addaudithook(_audit)


def _capture():
    """The clean state, taken at the first run: after the host finished setting the interpreter
    up (in the browser, Pyodide restores a snapshot taken right after the tracer's import and
    then registers its own modules), before any program ran."""
    _module_writes.clear()
    for m in list(sys.modules.values()):
        if type(m) is types.ModuleType and all(m is not o for o, _ in _OWN_MODULES):
            try:
                m.__class__ = _WatchedModule
            except TypeError:
                pass
    _STATE0["builtins"] = dict(builtins.__dict__)
    _STATE0["sys"] = {k: getattr(sys, k) for k in _SYS_HOOKS if hasattr(sys, k)}
    _STATE0["lists"] = {k: list(getattr(sys, k)) for k in _SYS_LISTS}
    _STATE0["limits"] = (sys.getrecursionlimit(), sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None)
    _STATE0["modules"] = dict(sys.modules)
    _STATE0["tools"] = [_MON.get_tool(i) for i in range(6)] if _MON is not None else []
    _OWN_MODULES[:] = [(m, dict(m.__dict__)) for m, _ in _OWN_MODULES]


# Whether restore_state() has work to do: set by after_run(), which compares once what both
# the tamper checks and the restore need (nothing of a program runs between the two).
# (A list: the module's own dict must not change between runs, see own-module checks.)
_dirty = [True]


def after_run(tool):
    """At the end of a run: (builtins the program replaced, added or deleted; it touched
    sys.monitoring tools (`tool` is the tracer's); it changed the tracer's modules)."""
    s = _STATE0
    bi = builtins.__dict__
    b0 = s["builtins"]
    changed = [] if bi == b0 else sorted(str(k) for k in set(bi) | set(b0) if bi.get(k, MISSING) is not b0.get(k, MISSING))
    tools = False
    if _MON is not None:
        want = list(s["tools"])
        if tool is not None:
            want[tool] = s["tool_name"]
        tools = [_MON.get_tool(i) for i in range(6)] != want
    own = any(m.__dict__ != d for m, d in _OWN_MODULES)
    wg, wb = _WRITER0
    _dirty[0] = bool(
        changed or tools or own or _module_writes or sys.modules != s["modules"]
        or WRITER_GLOBALS != wg or wg["__builtins__"] != wb
        or any(getattr(sys, k) != v for k, v in s["lists"].items())
        or s["limits"] != (sys.getrecursionlimit(), sys.get_int_max_str_digits() if s["limits"][1] is not None else None)
    )
    return changed, tools, own


def restore_state():
    """Undoes what an earlier program changed (see the module docstring); sys's hooks always,
    the rest when after_run() saw a change."""
    s = _STATE0
    if "sys" not in s:
        _capture()
        return
    for k, v in s["sys"].items():
        if SYS.get(k, MISSING) is not v:
            SYS[k] = v
    if not _dirty[0]:
        return
    _dirty[0] = False
    bi = builtins.__dict__
    if bi != s["builtins"]:
        bi.clear()
        bi.update(s["builtins"])
    while _module_writes:
        m, name, old = _module_writes.pop()
        d = m.__dict__
        if old is MISSING:
            d.pop(name, None)
        else:
            d[name] = old
    for k, v in s["sys"].items():
        if SYS.get(k, MISSING) is not v:
            SYS[k] = v
    for k, v in s["lists"].items():
        cur = getattr(sys, k)
        if cur != v:
            cur[:] = v
    limit, digits = s["limits"]
    if sys.getrecursionlimit() != limit:
        sys.setrecursionlimit(limit)
    if digits is not None and sys.get_int_max_str_digits() != digits:
        sys.set_int_max_str_digits(digits)
    mods = sys.modules
    if mods != s["modules"]:
        for k in [k for k in mods if k not in s["modules"]]:
            del mods[k]
        for k, m in s["modules"].items():
            if mods.get(k) is not m:
                mods[k] = m
    if _MON is not None:
        for i, name in enumerate(s["tools"]):
            now = _MON.get_tool(i)
            if now != name and now != s["tool_name"]:
                _MON.set_events(i, 0)
                for ev in _MON_EVENTS:
                    _MON.register_callback(i, ev, None)
                _MON.free_tool_id(i)
    for m, d in _OWN_MODULES:
        own = m.__dict__
        if own != d:
            for k in [k for k in own if k not in d]:
                del own[k]
            own.update(d)
    wg, wb = _WRITER0
    if WRITER_GLOBALS != wg or wg["__builtins__"] != wb:
        WRITER_GLOBALS.clear()
        WRITER_GLOBALS.update(wg)
        wg["__builtins__"].clear()
        wg["__builtins__"].update(wb)
