"""Ground-truth tracer of the CWM Playground.

One file, run unchanged in the browser (Pyodide worker), in Node (Pyodide) and under a local
CPython (``python tracer.py --serve``). It traces the entry function (``def main():`` or, when
the user's code has its own ``main``, the name ``lib/cwm/program.ts`` picked) of a program built
by ``lib/cwm/program.ts`` with ``sys.settrace`` and returns the canonical trace JSON of
``lib/trace/schema.ts``.

Rules that are not obvious from the code:

- Line numbers: frame line = program line - line_offset (0 in call mode, 1 in script mode, so
  script mode's ``def main():`` is line 0). ``source`` is the program's line as the model reads
  it in the CWM context (script-mode lines keep their 4-space indent), without newline and
  without the START_OF_TRACE marker.
- Budgets stop a run from inside the tracer. A trace function that raises is unset by CPython,
  so the stop exception is raised once from the tracer (nothing is recorded after it anyway)
  and, on Python >= 3.12, a sys.monitoring tool raises it again at every later line or call
  of the program's own code: a user ``except:`` cannot swallow it and keep running.
- Recursion: the program's own frames may nest RECURSION_LIMIT deep; the next call raises
  RecursionError through the same monitoring tool, before the frame starts (as CPython does),
  while the interpreter's real limit stays higher so the tracer's own calls (repr, bookkeeping)
  still have room. Without sys.monitoring (CPython 3.11) the tracer raises it itself, which
  ends tracing: frames after a RecursionError are then missing.

The program runs in the tracer's interpreter, so it can reach the tracer (issue 9). The host
drives a run in steps (``begin``, each entry it hands back, ``advance``, ``finish``; see
lib/executor/drive.ts) so that no tracer frame sits above the program's frames but a clean
entry; the rest of the defences (private builtins, hidden modules, the audit hook, detection at
``finish``, a clean interpreter state at every ``begin``) are in tracer_guard.py. Whatever the
tracer catches goes to ``alarm`` at once and makes the trace ``"integrity": "tampered"``.

Speed (bench/trace-cruxeval.ts): each frame is written as JSON text when it is recorded (no
dict per frame, no encoder pass at the end), and the JSON of a value's repr is reused while the
value cannot have changed: exact str and int values by equality, other immutable values
(float, bytes, complex, tuples and frozensets of immutables) by identity, holding a reference so
the identity stays theirs (identity via ``object.__hash__``: ``id()`` raises an audit event).
Mutable values are repr'd at every frame. A module whose top-level code cannot loop or call
anything runs untraced (see _runs_untraced).
"""

import ast
import builtins
import dis
import functools
import io
import json
import os
import re
import sys
import time
import types

import tracer_guard as _g

# The tracer's own names resolve here, not in the builtins module the program can patch: a
# function takes its builtins from its module's __builtins__ when it is created.
_BUILTINS0 = dict(builtins.__dict__)
__builtins__ = dict(_BUILTINS0)

FILENAME = "<cwm>"
START_MARKER = "  # << START_OF_TRACE"
# Deep enough for ordinary recursive code, shallow enough for the browser's wasm stack when
# user frames are entered through C (sorted(key=...), __repr__, map).
RECURSION_LIMIT = 400
# Frames handed to `emit` at most this many at a time and at least every FLUSH_SECONDS.
BATCH_FRAMES = 500
FLUSH_SECONDS = 0.05
# Without emit, time and the stop flag are checked every CHECK_EVERY events (a clock read
# costs ~1 us in Pyodide). With emit (the browser) every event is checked and the first
# EAGER_FRAMES frames go out one by one: a program that then hangs inside C code (only
# terminate() ends it) loses at most FLUSH_SECONDS of frames.
CHECK_EVERY = 16
EAGER_FRAMES = 64
# Cached reprs per run, at most (a run's memory stays bounded by what the program holds).
CACHE_ENTRIES = 20000
# sys.set_int_max_str_digits() accepts no limit below 640: an int this short always has a repr.
INT_SAFE_CHARS = 640
INT_SAFE_BITS = 2000
# Objects shown with their attributes (a default repr says nothing about them), per frame and
# attributes per object.
ATTR_OBJECTS = 10
ATTR_NAMES = 20

_ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
# Values are strings the tracer made itself (no cycles); non-ASCII stays as is (JSON allows it).
_dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
_dumps_ascii = json.JSONEncoder().encode
# The string encoder _dumps itself uses (C): same text for every string.
_enc = json.encoder.encode_basestring
_MON = getattr(sys, "monitoring", None)
_TOOL_NAME = "cwm-playground-tracer"
_tool_id = None
_NONE_TYPE = type(None)
_ATOMIC = frozenset((str, bool, _NONE_TYPE, float, complex, bytes))
_CACHED_BY_ID = frozenset((float, complex, bytes, tuple, frozenset))
_OBJECT_REPR = object.__repr__
_ohash = object.__hash__
_perf = time.perf_counter
_os_write = os.write
_settrace = sys.settrace
_gettrace = sys.gettrace
# The trace function stays installed between runs; see tracer_guard.make_dispatch.
_dispatch, _set_handler = _g.make_dispatch()
# Top-level code made of these instructions only cannot loop or call anything (so no user
# function runs): without loops and calls, at most a handful of events would be traced.
_SAFE_OPS = frozenset(
    dis.opmap[n]
    for n in (
        "CACHE", "NOP", "RESUME", "EXTENDED_ARG", "NOT_TAKEN", "LOAD_CONST", "LOAD_SMALL_INT",
        "LOAD_NAME", "STORE_NAME", "DELETE_NAME", "STORE_GLOBAL", "MAKE_FUNCTION",
        "SET_FUNCTION_ATTRIBUTE", "MAKE_CELL", "BUILD_TUPLE", "BUILD_LIST", "BUILD_MAP",
        "BUILD_SET", "BUILD_CONST_KEY_MAP", "LIST_EXTEND", "SET_ADD", "SET_UPDATE", "POP_TOP",
        "RETURN_VALUE", "RETURN_CONST", "COPY", "SWAP", "SETUP_ANNOTATIONS",
        "IMPORT_NAME", "IMPORT_FROM",
    )
    if n in dis.opmap
)
# Line events of such code are at most its line-table entries; plus call and return, they stay
# below CHECK_EVERY, so tracing it would never have checked the clock or the stop flag either.
_MAX_UNTRACED_LINES = CHECK_EVERY - 4
# An edit's value is written through frame.f_locals (PEP 667, Python 3.13+). Older CPython
# copies f_locals back into the frame only after the trace function returns, and the snapshot
# re-reads f_locals before that: the write is copied in at once through the C API.
_WRITE_THROUGH = sys.version_info >= (3, 13)
_locals_to_fast = None
if not _WRITE_THROUGH:
    try:
        import ctypes as _ctypes

        _locals_to_fast = _ctypes.pythonapi.PyFrame_LocalsToFast
        _locals_to_fast.argtypes = (_ctypes.py_object, _ctypes.c_int)
        _locals_to_fast.restype = None
    except Exception:  # no ctypes (a build without it): edits report that they need 3.13+
        _locals_to_fast = None
# Longest edit value text accepted (lib/executor/protocol.ts EditSpec says the same).
EDIT_VALUE_CHARS = 10000



class StopRun(BaseException):
    """Raised into the program when a budget is exhausted or the run is stopped."""


def _monitoring_tool():
    global _tool_id
    if _MON is None:
        return None
    if _tool_id is None:
        for tid in (4, 3, 5, 2):
            try:
                _MON.use_tool_id(tid, _TOOL_NAME)
            except ValueError:
                continue
            _tool_id = tid
            break
    return _tool_id


def _code_objects(code):
    out = [code]
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            out.extend(_code_objects(c))
    return out


def _runs_untraced(module):
    """True when the module's top-level code needs no tracing (see _SAFE_OPS)."""
    return set(module.co_code[::2]) <= _SAFE_OPS and len(list(module.co_lines())) <= _MAX_UNTRACED_LINES


def _frozen(v, depth=0):
    """True when v's repr cannot change while v lives (v's type is in _CACHED_BY_ID)."""
    t = type(v)
    if t is not tuple and t is not frozenset:
        return True
    if depth > 3:
        return False
    for x in v:
        tx = type(x)
        if tx in _ATOMIC:
            continue
        if tx is int:
            if x.bit_length() > INT_SAFE_BITS:
                return False
        elif tx is not tuple and tx is not frozenset or not _frozen(x, depth + 1):
            return False
    return True


_last_budgets = [None, None]


def _budgets(budgets):
    """(max_steps, deadline_s, max_repr, max_out); a batch sends the same JSON text each run."""
    if isinstance(budgets, str):
        if budgets == _last_budgets[0]:
            return _last_budgets[1]
        parsed = _budgets(json.loads(budgets))
        _last_budgets[0] = budgets
        _last_budgets[1] = parsed
        return parsed
    return (
        int(budgets.get("maxSteps", 10000)),
        int(budgets.get("timeoutMs", 5000)) / 1000.0,
        int(budgets.get("maxReprChars", 1000)),
        int(budgets.get("maxStdoutBytes", 65536)),
    )


def _key_text(k):
    """'"name": ' as the JSON encoder writes a dict key."""
    if type(k) is str:
        return _enc(k) + ": "
    return _dumps({k: None})[1:-5]


def _type_name(t):
    """A traceback's name of an exception type; a class defined in a function drops its
    `f.<locals>.` path (script mode defines everything in main), keeping nested class names."""
    mod = getattr(t, "__module__", "builtins")
    q = getattr(t, "__qualname__", None) or t.__name__
    if "<locals>." in q:
        q = q.rpartition("<locals>.")[2]
    return q if mod in ("builtins", "__main__") else "%s.%s" % (mod, q)


def _exc_line(e):
    """'ZeroDivisionError: division by zero' (qualified like a traceback's last line)."""
    name = _type_name(type(e))
    try:
        msg = str(e)
    except BaseException as inner:  # a user __str__ that raises must not break the report
        msg = "<str raised %s>" % type(inner).__name__
    return "%s: %s" % (name, msg) if msg else name


def _entry_name(srcs):
    """The entry function's name, from the line lib/cwm/program.ts marks with START_MARKER."""
    for text in srcs:
        if text.endswith(START_MARKER) and text.startswith("def "):
            return text[4:].partition("(")[0].strip()
    return "main"


_NO_VALUE = object()


def _parse_edit(edit):
    """(at, name, value text, value, error) of an edit request (a dict or its JSON text); value
    is _NO_VALUE and error says why when the text is not a Python literal. Evaluated here, in
    the sandbox, with ast.literal_eval: nothing of the program runs, nothing is imported."""
    if isinstance(edit, str):
        edit = json.loads(edit)
    at = int(edit["at"])
    name = str(edit["name"])
    text = str(edit["value"])
    if at < 0:
        return at, name, text, _NO_VALUE, "the frame index must be 0 or more"
    if not name.isidentifier():
        return at, name, text, _NO_VALUE, "%s is not a Python name" % _dumps_ascii(name[:100])
    if len(text) > EDIT_VALUE_CHARS:
        return at, name, text, _NO_VALUE, "the value is longer than %d characters" % EDIT_VALUE_CHARS
    try:
        return at, name, text, ast.literal_eval(text), None
    except SyntaxError as e:
        why = "it is not valid Python (%s)" % (e.msg or "invalid syntax")
    except (ValueError, TypeError):
        why = "only literals are allowed: numbers, strings, bytes, True/False/None, and tuples, lists, sets and dicts of them"
    except (MemoryError, RecursionError):
        why = "it is nested too deeply"
    return at, name, text, _NO_VALUE, "the value %s is not a Python literal: %s" % (_dumps_ascii(text[:100]), why)


def _session(program, line_offset, budgets, emit, stop_requested, record, alarm, edit=None):
    """One run's state and its three steps: (first entry or None, advance, finish)."""
    max_steps, deadline_s, max_repr, max_out = _budgets(budgets)
    # The edit (a counterfactual): at frame edit_at (an index into the frames) the value is
    # written into the frame's locals before the frame is recorded. -1: nothing to do.
    edit_at = -1
    edit_applied = False
    edit_error = None
    e_at, e_name, e_text, e_value = -1, "", "", _NO_VALUE
    if edit is not None:
        e_at, e_name, e_text, e_value, edit_error = _parse_edit(edit)
        if edit_error is None:
            edit_at = e_at

    srcs = program.split("\n")
    entry_name = _entry_name(srcs)
    for i, text in enumerate(srcs):
        if text.endswith(START_MARKER):
            srcs[i] = text[: -len(START_MARKER)]
    n_src = len(srcs)

    frames = []  # JSON text of every frame, when there is no emit; else of the batch not yet emitted
    pending_out = []
    out_parts = []
    notes = []
    tamper = []
    perf = _perf
    t0 = perf()
    deadline = t0 + deadline_s
    last_flush = t0
    count = 0
    depth = 0
    stopped = None
    stop_excs = []
    self_unset = False
    truncated = 0
    flushed = 0
    recording = False
    armed = False
    out_used = 0
    out_dropped = 0
    out_len = 0
    # The end of every frame: stdout written so far, in UTF-16 code units (JavaScript's string
    # length), so the host can slice the final stdout at any frame.
    ltail = '}, "stdout_len": 0}'
    vtail = ', "stdout_len": 0}'
    _repr = repr
    _id = _ohash
    enc = _enc
    addr_sub = _ADDR.sub
    obj_repr = _OBJECT_REPR
    if record is None:
        add_frame = frames.append
    else:
        _append = frames.append
        _write = _os_write

        def add_frame(text):
            _append(text)
            _write(record, (text + "\n").encode("utf-8", "surrogatepass"))

    def flag(note):
        # A trace function that raises (the tracer's own stop, RecursionError on 3.11) is unset
        # by CPython itself, which raises the same audit event as sys.settrace.
        if note is _g.SETTRACE_NOTE and (stopped is not None or self_unset):
            return
        if note not in tamper:
            tamper.append(note)
            if alarm is not None:
                try:
                    alarm(note)
                except BaseException:
                    pass

    def keep_out(s):
        nonlocal out_len, ltail, vtail
        out_parts.append(s)
        pending_out.append(s)
        out_len += len(s) if s.isascii() else len(s.encode("utf-16-le", "surrogatepass")) // 2
        ltail = '}, "stdout_len": %d}' % out_len
        vtail = ', "stdout_len": %d}' % out_len
        if record is not None:
            _os_write(record, (_dumps_ascii(s) + "\n").encode("ascii"))

    def write_out(s):
        # Keeps at most max_out UTF-8 bytes, then a marker line.
        nonlocal out_used, out_dropped
        if type(s) is not str:
            if not isinstance(s, str):
                raise TypeError("write() argument must be str, not %s" % type(s).__name__)
            s = str(s)
        if out_dropped:
            out_dropped += len(s.encode("utf-8", "surrogatepass"))
            return len(s)
        b = s.encode("utf-8", "surrogatepass")
        room = max_out - out_used
        if len(b) <= room:
            out_used += len(b)
            keep_out(s)
            return len(s)
        head = b[:room].decode("utf-8", "ignore")
        out_used = max_out
        out_dropped = len(b) - len(head.encode("utf-8", "surrogatepass"))
        keep_out(head + "\n…[stdout truncated at %d bytes]\n" % max_out)
        return len(s)

    out = _g.Out()
    out._w = _g.clean(write_out, g=_g.WRITER_GLOBALS)

    # Per event kind: line number -> the frame's JSON text up to its locals or value.
    heads = ({}, {}, {}, {})
    head_tails = (
        ('"call"', '"locals": {'),
        ('"line"', '"locals": {'),
        ('"return"', '"value": '),
        ('"exception"', '"value": '),
    )

    def head(kind, ln):
        event, tail = head_tails[kind]
        if ln is not None and 0 < ln <= n_src:
            h = '{"event": %s, "line": %d, "source": %s, %s' % (event, ln - line_offset, enc(srcs[ln - 1]), tail)
        else:
            h = '{"event": %s, "line": null, "source": "", %s' % (event, tail)
        heads[kind][ln] = h
        return h

    def srepr(v):
        try:
            s = _repr(v)
        except BaseException as e:
            return "<repr raised %s>" % type(e).__name__
        return fix(s)

    def fix(s):
        nonlocal truncated
        if " at 0x" in s:
            s = addr_sub("", s)
        if len(s) > max_repr:
            truncated += 1
            s = "%s…[truncated %d chars]" % (s[:max_repr], len(s) - max_repr)
        return s

    # JSON text of reprs: str/int values by equality; other immutables by identity -> (value, text).
    vcache = {}
    icache = {}
    kcache = {}

    def value_text(v):
        # A return or exception value: like a local, but a raising __repr__ is reported here.
        t = type(v)
        if t is str or t is int:
            c = vcache.get(v)
            if c is not None:
                return c
        return enc(srepr(v))

    def attrs_text(objs):
        # '"name": {"attr": "repr", …}, …' for objects whose repr is object's default one.
        parts = []
        for k, v in objs:
            names = []
            try:
                d = vars(v)
                if type(d) is dict:
                    names.extend(a for a in d if type(a) is str)
            except TypeError:
                d = None
            for cls in type(v).__mro__:
                slots = cls.__dict__.get("__slots__", ())
                if type(slots) is str:
                    slots = (slots,)
                for a in slots:
                    if type(a) is str and a not in ("__dict__", "__weakref__"):
                        names.append(a)
            shown = []
            for a in names[:ATTR_NAMES]:
                if d is not None and a in d:
                    val = d[a]
                else:
                    desc = None
                    for cls in type(v).__mro__:
                        desc = cls.__dict__.get(a)
                        if desc is not None:
                            break
                    if type(desc) is not types.MemberDescriptorType:
                        continue
                    try:
                        val = desc.__get__(v, type(v))
                    except AttributeError:
                        continue
                # The program's own __repr__ is not called here (it may recurse without end):
                # such a value is shown by object's repr; a local of that type gets its own.
                if type(type(val).__repr__) is types.FunctionType:
                    shown.append(enc(a) + ": " + enc(fix(obj_repr(val))))
                else:
                    shown.append(enc(a) + ": " + enc(srepr(val)))
            parts.append(kcache.get(k) or _key_text(k))
            parts[-1] += "{" + ", ".join(shown) + "}"
        return ", ".join(parts)

    def snapshot(frame):
        # The locals' JSON (without the closing brace), cached where the value cannot have
        # changed; `nt` counts truncations so that a frame redone on the slow path does not
        # count twice. A raising __repr__ (or an int too long to print) takes the slow path,
        # which calls the earlier __repr__s of this frame a second time, as a plain dict
        # comprehension would. Objects with object's own repr add '}, "attrs": {…' (the
        # caller's tail closes it).
        nonlocal truncated
        items = frame.f_locals.items()
        parts = []
        add = parts.append
        nt = 0
        objs = None
        # The address stripping and truncation below are written out twice on purpose: this is
        # the per-value hot path, and a helper call per value shows in bench/trace-cruxeval.
        try:
            for k, v in items:
                kc = kcache.get(k)
                if kc is None:
                    kc = kcache[k] = _key_text(k)
                t = type(v)
                if t is str or t is int:
                    c = vcache.get(v)
                    if c is None:
                        s = _repr(v)
                        if len(s) > max_repr or " at 0x" in s:
                            if " at 0x" in s:
                                s = addr_sub("", s)
                            if len(s) > max_repr:
                                nt += 1
                                s = "%s…[truncated %d chars]" % (s[:max_repr], len(s) - max_repr)
                            c = enc(s)
                        else:
                            c = enc(s)
                            if (t is str or len(s) <= INT_SAFE_CHARS) and len(vcache) < CACHE_ENTRIES:
                                vcache[v] = c
                elif v is None:
                    c = '"None"'
                elif t is bool:
                    c = '"True"' if v else '"False"'
                else:
                    e = icache.get(_id(v)) if t in _CACHED_BY_ID else None
                    if e is not None and e[0] is v:
                        c = e[1]
                    else:
                        s = _repr(v)
                        if " at 0x" in s:
                            s = addr_sub("", s)
                            if t.__repr__ is obj_repr:
                                if objs is None:
                                    objs = [(k, v)]
                                elif len(objs) < ATTR_OBJECTS:
                                    objs.append((k, v))
                        if len(s) > max_repr:
                            nt += 1
                            s = "%s…[truncated %d chars]" % (s[:max_repr], len(s) - max_repr)
                            c = enc(s)
                        else:
                            c = enc(s)
                            if t in _CACHED_BY_ID and len(icache) < CACHE_ENTRIES and _frozen(v):
                                icache[_id(v)] = (v, c)
                add(kc + c)
        except BaseException:
            return ", ".join([(kcache.get(k) or _key_text(k)) + enc(srepr(v)) for k, v in items])
        if nt:
            truncated += nt
        if objs is not None:
            return ", ".join(parts) + '}, "attrs": {' + attrs_text(objs)
        return ", ".join(parts)

    def flush():
        nonlocal flushed, last_flush
        if emit is not None and (frames or pending_out):
            flushed += len(frames)
            emit("[" + ", ".join(frames) + "]", "".join(pending_out))
            del frames[:]
            del pending_out[:]
        last_flush = perf()

    every = 1 if emit is not None else CHECK_EVERY
    codes = []
    tool = _monitoring_tool()
    mon = _MON
    module = None
    ns = None

    def stop(reason):
        nonlocal stopped
        if stopped is None:
            stopped = reason
            if emit is not None:
                flush()  # the program may never come back (an except: on CPython < 3.12)
        arm(True)
        e = StopRun(reason)
        stop_excs.append(e)
        raise e

    def arm(stopping):
        # Monitoring events cost a callback per call; they are only switched on when needed:
        # near the recursion limit (PY_START) or once the run is stopped (LINE too).
        nonlocal armed
        if tool is None:
            return
        if not codes:
            codes.extend(_code_objects(module))
            mon.register_callback(tool, mon.events.PY_START, on_start)
            mon.register_callback(tool, mon.events.LINE, on_line)
        ev = mon.events.PY_START | (mon.events.LINE if stopping else 0)
        for c in codes:
            mon.set_local_events(tool, c, ev)
        armed = True

    def on_start(code, offset):
        if stopped is not None:
            e = StopRun(stopped)
            stop_excs.append(e)
            raise e
        if depth >= RECURSION_LIMIT:
            raise RecursionError("maximum recursion depth exceeded")

    def on_line(code, line):
        if stopped is not None:
            e = StopRun(stopped)
            stop_excs.append(e)
            raise e

    def periodic(n):
        # Runs after the event's frame is recorded, so a flush includes the line about to run.
        now = perf()
        if emit is not None and (n < EAGER_FRAMES or len(frames) >= BATCH_FRAMES or now - last_flush >= FLUSH_SECONDS):
            flush()
        if now > deadline:
            stop("time_limit")
        if stop_requested is not None and n % CHECK_EVERY == 0:
            why = stop_requested()
            if why:
                stop("superseded" if why == 2 else "stopped")

    def apply_edit(frame, event):
        # Frame edit_at is about to be recorded: the value goes into its locals first, as if
        # the program had assigned it just before this line.
        nonlocal edit_at, edit_applied, edit_error
        edit_at = -1
        if event != "call" and event != "line":
            edit_error = "frame %d is %s frame: only a call or line frame has locals to edit" % (e_at, "an exception" if event == "exception" else "a return")
            return
        code = frame.f_code
        if e_name not in code.co_varnames and e_name not in code.co_cellvars and e_name not in code.co_freevars:
            names = code.co_varnames + code.co_cellvars + code.co_freevars
            where = "the script" if line_offset == 1 and code.co_name == entry_name else "%s()" % code.co_name
            known = ", ".join(names[:30]) + (", …" if len(names) > 30 else "") if names else "none"
            edit_error = "%s is not a variable of %s at frame %d (its variables: %s)" % (e_name, where, e_at, known)
            return
        if not _WRITE_THROUGH and _locals_to_fast is None:
            edit_error = "needs Python 3.13+ (this interpreter cannot write a frame's locals)"
            return
        try:
            frame.f_locals[e_name] = e_value
            if not _WRITE_THROUGH:
                # The tracer's own ctypes call (it may raise a ctypes audit event), not the
                # program's: the tamper watch looks away.
                _g.unwatched(_locals_to_fast, frame, 0)
        except Exception as e:
            edit_error = "the value could not be written: %s" % _exc_line(e)
            return
        edit_applied = True

    def local(frame, event, arg):
        nonlocal count, depth
        n = count
        if n >= max_steps:
            stop("step_limit")
        count = n + 1
        ln = frame.f_lineno
        if n == edit_at:
            apply_edit(frame, event)
        if event == "line":
            h = heads[1].get(ln) or head(1, ln)
            add_frame(h + snapshot(frame) + ltail)
        elif event == "return":
            depth -= 1
            h = heads[2].get(ln) or head(2, ln)
            add_frame(h + value_text(arg) + vtail)
        elif event == "exception":
            h = heads[3].get(ln) or head(3, ln)
            add_frame(h + value_text(arg[1]) + vtail)
        if n % every == 0:
            periodic(n)
        return local

    def glob(frame, event, arg):
        nonlocal count, depth, self_unset
        if frame.f_globals is not ns:
            return None
        d = depth
        if d >= RECURSION_LIMIT:
            if tool is None:
                self_unset = True
                raise RecursionError("maximum recursion depth exceeded")
            return None  # on_start raises before this frame runs; it is not recorded
        depth = d = d + 1
        if d == RECURSION_LIMIT and not armed:
            arm(False)
        if not recording:
            return quiet
        n = count
        if n >= max_steps:
            stop("step_limit")
        count = n + 1
        ln = frame.f_lineno
        if n == edit_at:
            apply_edit(frame, event)
        h = heads[0].get(ln) or head(0, ln)
        add_frame(h + snapshot(frame) + ltail)
        if n % every == 0:
            periodic(n)
        return local

    def quiet(frame, event, arg):
        # Module-level code (defining functions) is not recorded, but budgets still apply.
        nonlocal count, depth
        if event == "return":
            depth -= 1
        n = count = count + 1
        if n % CHECK_EVERY == 0:
            now = perf()
            if now > deadline:
                stop("time_limit")
            if stop_requested is not None and stop_requested():
                stop("stopped")
        return quiet

    def edit_report():
        rep = {"at": e_at, "name": e_name, "value": e_text, "applied": edit_applied}
        if e_value is not _NO_VALUE:
            rep["repr"] = plain_repr(e_value)
        err = edit_error
        if err is None and not edit_applied:
            ran = count if recording else 0
            err = "the run ended after %d frames: frame %d was never reached" % (ran, e_at)
        if err is not None:
            rep["error"] = err
        return rep

    def plain_repr(v):
        # As a frame's locals show it, without counting towards the truncation note.
        try:
            s = _repr(v)
        except BaseException as e:
            return "<repr raised %s>" % type(e).__name__
        if " at 0x" in s:
            s = addr_sub("", s)
        if len(s) > max_repr:
            s = "%s…[truncated %d chars]" % (s[:max_repr], len(s) - max_repr)
        return s

    status = "returned"
    result = None
    error = None
    saved = (sys.stdout, sys.stderr, sys.stdin, sys.getrecursionlimit())
    introspection = False
    restores = []
    cat = None
    phase = 0  # 0: top-level code, 1: the entry function, 2: finished

    def user_mode(on):
        # Everything the program must not see of the tracer, hidden or guarded while it runs.
        sysd = _g.SYS
        if on:
            sysd["stdout"] = sysd["stderr"] = out
            sysd["stdin"] = io.StringIO("")
            _g.hide(flag, restores)
        else:
            _g.unhide()
            sysd["stdout"], sysd["stderr"], sysd["stdin"] = saved[0], saved[1], saved[2]

    def start():
        nonlocal module, ns, status, error, introspection, cat
        try:
            module = compile(program, FILENAME, "exec")
        except SyntaxError as e:
            status = "error"
            error = _syntax_error(e, line_offset, n_src)
            return None
        introspection = _g.introspects(program, lambda: _code_objects(module))
        ns = {"__name__": "__main__", "__builtins__": builtins}
        sys.setrecursionlimit(max(saved[3], RECURSION_LIMIT + 250))
        # One settrace for both phases: each settrace call re-instruments every code object on
        # Python >= 3.12, which costs more than tracing a small program. Top-level code that
        # cannot loop or call runs untraced: its trace would be a few ignored events.
        if _gettrace() is not _dispatch:
            _settrace(_dispatch)
        _set_handler(_untraced if _runs_untraced(module) else glob, ns)
        cat = _g.Catcher()
        user_mode(True)
        return functools.partial(_g.enter, cat, exec, module, ns)

    def advance():
        # After the top-level code: the entry function, or None when there is nothing to run.
        nonlocal phase, status, error, count, depth, recording, cat
        # The program's phases follow each other in user mode (hidden modules, guards): only
        # finish() leaves it. The program's code the tracer calls meanwhile (a __str__) runs
        # untraced.
        _set_handler(_untraced, ns)
        if phase != 0 or cat is None:
            return None
        phase = 2  # until the entry function is handed out
        e = cat.error
        if e is not None:
            if type(e) is StopRun:
                if not any(e is x for x in stop_excs):
                    flag("the program raised the tracer's own stop exception")
                    status = "error"
                    error = "%s (while running the program's top-level code)" % _exc_line(e)
                return None
            status = "error"
            error = "%s (while running the program's top-level code)" % _exc_line(e)
            return None
        if not cat.done:
            flag("the program's top-level code did not come back through the tracer's entry")
            return None
        main = ns.get(entry_name)
        if main is None:
            status = "error"
            error = "NameError: name '%s' is not defined (while running the program's top-level code)" % entry_name
            return None
        count = 0
        depth = 0
        recording = True
        phase = 1
        cat = _g.Catcher()
        _set_handler(glob, ns)
        return functools.partial(_g.enter, cat, main)

    def finish():
        nonlocal status, result, error, phase
        _set_handler(_untraced, ns)
        user_mode(False)
        tr = _gettrace()
        if phase == 1 and cat is not None:
            e = cat.error
            if e is not None:
                if type(e) is StopRun and any(e is x for x in stop_excs):
                    pass
                elif stopped is None:
                    status = "raised"
                    error = _exc_line(e)
                    if type(e) is StopRun:
                        flag("the program raised the tracer's own stop exception")
            elif not cat.done:
                flag("the program's entry did not come back through the tracer's entry")
            elif stopped is None:
                result = srepr(cat.value)
        phase = 2
        if module is not None and tr is not _dispatch and stopped is None and not self_unset:
            flag("tracing was turned off or replaced while the program ran")
        if tr is not _dispatch:
            _settrace(_dispatch)
        if tool is not None and codes:
            if armed:
                for c in codes:
                    mon.set_local_events(tool, c, 0)
            mon.register_callback(tool, mon.events.PY_START, None)
            mon.register_callback(tool, mon.events.LINE, None)
        _g.undo(restores)
        sys.setrecursionlimit(saved[3])
        changed, tools_touched, own_changed = _g.after_run(tool)
        if tools_touched:
            flag("the program registered, freed or took over sys.monitoring tools")
        if changed:
            flag("the program replaced builtins: %s" % ", ".join(changed[:10]))
        if own_changed:
            flag("the program changed the tracer's modules")
        _set_handler(None, ns)  # from here on, the program's code is stray

        elapsed_ms = int((perf() - t0) * 1000)
        stop_reason = None
        if stopped == "step_limit":
            status = "step_limit"
            stop_reason = "steps"
            notes.append("stopped after %d frames (maxSteps budget)" % max_steps)
        elif stopped == "time_limit":
            status = "time_limit"
            stop_reason = "time"
            notes.append("stopped after %d ms (timeoutMs budget)" % elapsed_ms)
        elif stopped == "stopped":
            status = "time_limit"
            stop_reason = "user"
            notes.append("stopped by the user after %d ms" % elapsed_ms)
        elif stopped == "superseded":
            status = "time_limit"
            stop_reason = "user"
            notes.append("stopped because a new run was started, after %d ms" % elapsed_ms)
        if stopped is not None:
            result = None
        if out_dropped:
            notes.append("stdout truncated at %d bytes (maxStdoutBytes budget); %d bytes dropped" % (max_out, out_dropped))
        if truncated:
            notes.append("%d values longer than %d characters truncated (maxReprChars budget)" % (truncated, max_repr))

        tail = {"result": result, "error": error, "stdout": "".join(out_parts)}
        if notes:
            tail["notes"] = notes
        if stop_reason is not None:
            tail["stop_reason"] = stop_reason
        tail["integrity"] = "tampered" if tamper else "ok"
        if tamper:
            tail["integrity_notes"] = tamper
        tail["introspection"] = introspection
        if edit is not None:
            tail["edit"] = edit_report()
        if emit is not None:
            flush()
            tail["frameCount"] = flushed
            body = ""
        else:
            body = ", ".join(frames)
        # Same text as json would write for {"status", "frames", **tail}; status is a plain word.
        return '{"status": "%s", "frames": [%s], %s' % (status, body, _dumps(tail)[1:])

    return start(), advance, finish


def _untraced(frame, event, arg):
    return None


_current = None


def begin(program, line_offset, budgets, emit=None, stop_requested=None, record=None, alarm=None, edit=None):
    """Starts a run: restores a clean interpreter state, compiles the program and returns the
    first entry to call (the program's top-level code), or None when it does not compile.

    budgets: dict (or its JSON text) with maxSteps, timeoutMs, maxStdoutBytes, maxReprChars.
    emit(frames_json, stdout_text): called with batches while running; the result then
    carries no frames (the host already has them). Without emit the result holds them all.
    stop_requested(): polled every CHECK_EVERY events; 1 stops the run (the Stop button), 2 stops
    it because a newer run replaces it.
    record: a file descriptor that receives every frame's JSON text and every stdout chunk (as a
    JSON string), one per line, as soon as they are made: a host that has to kill a run stuck in
    C code reads the frames so far there (lib/executor/node.ts). One small write per frame costs
    less than handing batches to the host.
    alarm(note): called at once when the program is caught tampering with the tracer.
    edit: {"at", "name", "value"} (or its JSON text): at frame `at` (an index into the frames),
    before the frame is recorded, local `name` is set to the Python literal `value`; the result's
    "edit" says whether it was applied and, if not, why (the run goes on either way).
    """
    global _current
    if _current is not None:
        _current[2]()  # a host that failed mid-run: close that run first
        _current = None
    _g.restore_state()
    entry, adv, fin = _session(program, line_offset, budgets, emit, stop_requested, record, alarm, edit)
    _current = (entry, adv, fin)
    return entry


def advance():
    """Called after an entry returned: the next entry to call, or None."""
    return _current[1]() if _current is not None else None


def finish():
    """Ends the run; returns the canonical trace as JSON text (see lib/executor/protocol.ts)."""
    global _current
    cur = _current
    _current = None
    return cur[2]()


def run(program, line_offset, budgets, emit=None, stop_requested=None, record=None, alarm=None, edit=None):
    """begin/advance/finish from Python (the CPython driver and tests): this frame and its
    callers then sit above the program's frames."""
    step = begin(program, line_offset, budgets, emit, stop_requested, record, alarm, edit)
    while step is not None:
        step()
        step = advance()
    return finish()


def _syntax_error(e, line_offset, n_src):
    msg = e.msg if getattr(e, "msg", None) else str(e)
    name = type(e).__name__
    ln = e.lineno
    if ln is None:
        return "%s: %s" % (name, msg)
    user_lines = n_src - 3 if line_offset == 0 else n_src
    if line_offset == 0 and ln > user_lines:
        return "%s: %s (in the call expression)" % (name, msg)
    return "%s: %s (line %d)" % (name, msg, ln - line_offset)


def version():
    impl = sys.implementation.name
    v = "%d.%d.%d" % sys.version_info[:3]
    return "CPython %s" % v if impl == "cpython" else "%s %s" % (impl, v)


def _serve():
    """JSON-lines driver for `--python`: one request per stdin line, replies on stdout.

    Request: {"id", "program", "lineOffset", "budgets", "edit"?}. Replies: {"type":"frames","id",
    "frames":[...],"stdout"} batches, {"type":"alarm","id","note"} when the program tampers
    with the tracer, then {"type":"done","id","trace":{...}}.
    """
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray writes to fd 1 (os.write, C code) must not corrupt the protocol
    proto.write(json.dumps({"type": "hello", "version": version()}) + "\n")
    proto.flush()
    for raw in sys.stdin:
        if not raw.strip():
            continue
        req = json.loads(raw)
        rid = json.dumps(req["id"])

        def emit(frames_json, text, rid=rid):
            proto.write('{"type": "frames", "id": %s, "frames": %s, "stdout": %s}\n' % (rid, frames_json, json.dumps(text)))
            proto.flush()

        def alarm(note, rid=rid):
            proto.write('{"type": "alarm", "id": %s, "note": %s}\n' % (rid, json.dumps(note)))
            proto.flush()

        trace = run(req["program"], int(req["lineOffset"]), req.get("budgets") or {}, emit, None, None, alarm, req.get("edit"))
        proto.write('{"type": "done", "id": %s, "trace": %s}\n' % (rid, trace))
        proto.flush()


# --- Set once, when the tracer is imported (in the browser: into the interpreter snapshot).

_monitoring_tool()
_g.seal([sys.modules[__name__], _g], (_dispatch, StopRun), _TOOL_NAME)

if __name__ == "__main__" and "--serve" in sys.argv:
    _serve()
