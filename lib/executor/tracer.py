"""Ground-truth tracer of the CWM Playground.

One file, run unchanged in the browser (Pyodide worker), in Node (Pyodide) and under a local
CPython (``python tracer.py --serve``). It traces ``main()`` of a program built by
``lib/cwm/program.ts`` with ``sys.settrace`` and returns the canonical trace JSON of
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
"""

import builtins
import io
import json
import re
import sys
import time

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

_ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
# Values are strings the tracer made itself (no cycles); non-ASCII stays as is (JSON allows it).
_dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
_MON = getattr(sys, "monitoring", None)
_tool_id = None


class StopRun(BaseException):
    """Raised into the program when a budget is exhausted or the run is stopped."""


def _monitoring_tool():
    global _tool_id
    if _MON is None:
        return None
    if _tool_id is None:
        for tid in (4, 3, 5, 2):
            try:
                _MON.use_tool_id(tid, "cwm-playground-tracer")
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


def _exc_line(e):
    """'ZeroDivisionError: division by zero' (qualified like a traceback's last line)."""
    t = type(e)
    mod = getattr(t, "__module__", "builtins")
    name = t.__qualname__ if mod in ("builtins", "__main__") else "%s.%s" % (mod, t.__qualname__)
    try:
        msg = str(e)
    except BaseException as inner:  # a user __str__ that raises must not break the report
        msg = "<str raised %s>" % type(inner).__name__
    return "%s: %s" % (name, msg) if msg else name


class _Capture(io.TextIOBase):
    """sys.stdout/stderr replacement: keeps at most `limit` UTF-8 bytes, then a marker line."""

    def __init__(self, limit, pending):
        self.limit = limit
        self.used = 0
        self.dropped = 0
        self.parts = []
        self.pending = pending

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        if self.dropped:
            self.dropped += len(s.encode("utf-8", "surrogatepass"))
            return len(s)
        b = s.encode("utf-8", "surrogatepass")
        room = self.limit - self.used
        if len(b) <= room:
            self.used += len(b)
            self.parts.append(s)
            self.pending.append(s)
            return len(s)
        head = b[:room].decode("utf-8", "ignore")
        marker = "\n…[stdout truncated at %d bytes]\n" % self.limit
        self.used = self.limit
        self.dropped = len(b) - len(head.encode("utf-8", "surrogatepass"))
        self.parts.append(head + marker)
        self.pending.append(head + marker)
        return len(s)


def run(program, line_offset, budgets, emit=None, stop_requested=None):
    """Trace main() of `program`; returns the canonical trace as a JSON string.

    budgets: dict with maxSteps, timeoutMs, maxStdoutBytes, maxReprChars.
    emit(frames_json, stdout_text): called with batches while running; the result then
    carries no frames (the host already has them). Without emit the result holds them all.
    stop_requested(): polled every CHECK_EVERY events; 1 stops the run (the Stop button), 2 stops
    it because a newer run replaces it.
    """
    if isinstance(budgets, str):
        budgets = json.loads(budgets)
    max_steps = int(budgets.get("maxSteps", 10000))
    deadline_s = int(budgets.get("timeoutMs", 5000)) / 1000.0
    max_repr = int(budgets.get("maxReprChars", 1000))
    max_out = int(budgets.get("maxStdoutBytes", 65536))

    lines = program.split("\n")
    srcs = []
    for text in lines:
        if text.endswith(START_MARKER):
            text = text[: -len(START_MARKER)]
        srcs.append(text)
    n_src = len(srcs)

    frames = []  # every frame, when there is no emit; else the batch not yet emitted
    pending_out = []
    out = _Capture(max_out, pending_out)
    st = {"count": 0, "stopped": None, "truncated": 0, "depth": 0, "flushed": 0, "recording": False, "armed": False}
    notes = []
    perf = time.perf_counter
    t0 = perf()
    deadline = t0 + deadline_s
    last_flush = [t0]
    fname = FILENAME
    _repr = repr
    addr_sub = _ADDR.sub

    def srepr(v):
        try:
            s = _repr(v)
        except BaseException as e:
            return "<repr raised %s>" % type(e).__name__
        return fix(s)

    join = "\x00".join

    def snapshot(frame):
        # Fast path: plain repr of every local, then one C-level scan for the rare values that
        # need work (an address to strip, a repr over budget). A raising __repr__ takes the
        # slow path, which calls the earlier __repr__s of this frame a second time.
        items = frame.f_locals.items()
        try:
            loc = {k: _repr(v) for k, v in items}
        except BaseException:
            return {k: srepr(v) for k, v in items}
        if loc:
            vals = loc.values()
            if max(map(len, vals)) > max_repr or " at 0x" in join(vals):
                loc = {k: fix(s) for k, s in loc.items()}
        return loc

    def fix(s):
        if " at 0x" in s:
            s = addr_sub("", s)
        if len(s) > max_repr:
            st["truncated"] += 1
            s = "%s…[truncated %d chars]" % (s[:max_repr], len(s) - max_repr)
        return s

    def flush():
        if emit is not None and (frames or pending_out):
            st["flushed"] += len(frames)
            emit(_dumps(frames), "".join(pending_out))
            del frames[:]
            del pending_out[:]
        last_flush[0] = perf()

    every = 1 if emit is not None else CHECK_EVERY
    codes = []
    tool = _monitoring_tool()
    mon = _MON

    def stop(reason):
        if st["stopped"] is None:
            st["stopped"] = reason
            if emit is not None:
                flush()  # the program may never come back (an except: on CPython < 3.12)
        arm(True)
        raise StopRun(reason)

    def arm(stopping):
        # Monitoring events cost a callback per call; they are only switched on when needed:
        # near the recursion limit (PY_START) or once the run is stopped (LINE too).
        if tool is None:
            return
        ev = mon.events.PY_START | (mon.events.LINE if stopping else 0)
        for c in codes:
            mon.set_local_events(tool, c, ev)
        st["armed"] = True

    def on_start(code, offset):
        if st["stopped"] is not None:
            raise StopRun(st["stopped"])
        if st["depth"] >= RECURSION_LIMIT:
            raise RecursionError("maximum recursion depth exceeded")

    def on_line(code, line):
        if st["stopped"] is not None:
            raise StopRun(st["stopped"])

    def periodic(n):
        # Runs after the event's frame is recorded, so a flush includes the line about to run.
        now = perf()
        if emit is not None and (n < EAGER_FRAMES or len(frames) >= BATCH_FRAMES or now - last_flush[0] >= FLUSH_SECONDS):
            flush()
        if now > deadline:
            stop("time_limit")
        if stop_requested is not None and n % CHECK_EVERY == 0:
            why = stop_requested()
            if why:
                stop("superseded" if why == 2 else "stopped")

    def local(frame, event, arg):
        n = st["count"]
        if n >= max_steps:
            stop("step_limit")
        st["count"] = n + 1
        ln = frame.f_lineno
        if ln is not None and 0 < ln <= n_src:
            src = srcs[ln - 1]
            line = ln - line_offset
        else:
            src = ""
            line = None
        if event == "line":
            frames.append({"event": "line", "line": line, "source": src, "locals": snapshot(frame)})
        elif event == "return":
            st["depth"] -= 1
            frames.append({"event": "return", "line": line, "source": src, "value": srepr(arg)})
        elif event == "exception":
            frames.append({"event": "exception", "line": line, "source": src, "value": srepr(arg[1])})
        if n % every == 0:
            periodic(n)
        return local

    def glob(frame, event, arg):
        if frame.f_code.co_filename != fname:
            return None
        d = st["depth"]
        if d >= RECURSION_LIMIT:
            if tool is None:
                raise RecursionError("maximum recursion depth exceeded")
            return None  # on_start raises before this frame runs; it is not recorded
        st["depth"] = d = d + 1
        if d == RECURSION_LIMIT and not st["armed"]:
            arm(False)
        if not st["recording"]:
            return quiet
        n = st["count"]
        if n >= max_steps:
            stop("step_limit")
        st["count"] = n + 1
        ln = frame.f_lineno
        if ln is not None and 0 < ln <= n_src:
            src = srcs[ln - 1]
            line = ln - line_offset
        else:
            src = ""
            line = None
        frames.append({"event": "call", "line": line, "source": src, "locals": snapshot(frame)})
        if n % every == 0:
            periodic(n)
        return local

    def quiet(frame, event, arg):
        # Module-level code (defining functions) is not recorded, but budgets still apply.
        if event == "return":
            st["depth"] -= 1
        n = st["count"] = st["count"] + 1
        if n % CHECK_EVERY == 0:
            now = perf()
            if now > deadline:
                stop("time_limit")
            if stop_requested is not None and stop_requested():
                stop("stopped")
        return quiet

    status = "returned"
    result = None
    error = None
    saved = (sys.stdout, sys.stderr, sys.stdin, sys.getrecursionlimit())
    sys.stdout = sys.stderr = out
    sys.stdin = io.StringIO("")
    depth_now = 0
    f = sys._getframe()
    while f is not None:
        depth_now += 1
        f = f.f_back
    sys.setrecursionlimit(max(saved[3], depth_now + RECURSION_LIMIT + 200))
    try:
        try:
            module = compile(program, fname, "exec")
        except SyntaxError as e:
            status = "error"
            error = _syntax_error(e, line_offset, n_src)
            module = None
        if module is not None:
            codes.extend(_code_objects(module))
            if tool is not None:
                mon.register_callback(tool, mon.events.PY_START, on_start)
                mon.register_callback(tool, mon.events.LINE, on_line)
            ns = {"__name__": "__main__", "__builtins__": builtins}
            # One settrace for both phases: each settrace call re-instruments every code
            # object on Python >= 3.12, which costs more than tracing a small program.
            sys.settrace(glob)
            try:
                exec(module, ns)
                main = ns["main"]
            except StopRun:
                main = None
            except BaseException as e:
                status = "error"
                error = "%s (while running the program's top-level code)" % _exc_line(e)
                main = None
            if main is not None:
                st["count"] = 0
                st["depth"] = 0
                st["recording"] = True
                try:
                    value = main()
                    sys.settrace(None)
                    if st["stopped"] is None:
                        result = srepr(value)
                except StopRun:
                    sys.settrace(None)
                except BaseException as e:
                    sys.settrace(None)
                    if st["stopped"] is None:
                        status = "raised"
                        error = _exc_line(e)
    finally:
        if sys.gettrace() is not None:
            sys.settrace(None)
        if tool is not None:
            if st["armed"]:
                for c in codes:
                    mon.set_local_events(tool, c, 0)
            mon.register_callback(tool, mon.events.PY_START, None)
            mon.register_callback(tool, mon.events.LINE, None)
        sys.stdout, sys.stderr, sys.stdin = saved[0], saved[1], saved[2]
        sys.setrecursionlimit(saved[3])

    stopped = st["stopped"]
    elapsed_ms = int((perf() - t0) * 1000)
    if stopped == "step_limit":
        status = "step_limit"
        notes.append("stopped after %d frames (maxSteps budget)" % max_steps)
    elif stopped == "time_limit":
        status = "time_limit"
        notes.append("stopped after %d ms (timeoutMs budget)" % elapsed_ms)
    elif stopped == "stopped":
        status = "time_limit"
        notes.append("stopped by the user after %d ms" % elapsed_ms)
    elif stopped == "superseded":
        status = "time_limit"
        notes.append("stopped because a new run was started, after %d ms" % elapsed_ms)
    if stopped is not None:
        result = None
    if out.dropped:
        notes.append("stdout truncated at %d bytes (maxStdoutBytes budget); %d bytes dropped" % (max_out, out.dropped))
    if st["truncated"]:
        notes.append("%d values longer than %d characters truncated (maxReprChars budget)" % (st["truncated"], max_repr))

    doc = {"status": status, "frames": [], "result": result, "error": error, "stdout": "".join(out.parts)}
    if notes:
        doc["notes"] = notes
    if emit is not None:
        flush()
        doc["frameCount"] = st["flushed"]
    else:
        doc["frames"] = frames
    return _dumps(doc)


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

    Request: {"id", "program", "lineOffset", "budgets"}. Replies: {"type":"frames","id",
    "frames":[...],"stdout"} batches, then {"type":"done","id","trace":{...}}.
    """
    import os

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

        trace = run(req["program"], int(req["lineOffset"]), req.get("budgets") or {}, emit)
        proto.write('{"type": "done", "id": %s, "trace": %s}\n' % (rid, trace))
        proto.flush()


if __name__ == "__main__" and "--serve" in sys.argv:
    _serve()
