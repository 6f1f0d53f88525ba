"""Run a function in a separate process with a time limit.

A hostile input that hangs the loader or crashes the interpreter (libyaml recursing in C until
the stack runs out) then fails one test, with what happened, instead of taking the run down.
The worker process is started once and reused; it is replaced after a hang or a crash.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path


@dataclass
class Outcome:
    """``kind`` is "loaded", "problems", "raised", "timeout" or "crashed"."""

    kind: str
    detail: str = ""
    # For "problems": (path, line, field, message) of each, and each as printed.
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)


def load_outcome(data_dir: str, root: str) -> Outcome:
    """What ``mi_survey.load.load`` makes of a data directory."""
    from mi_survey.load import ContentError, load

    try:
        kb = load(Path(data_dir), Path(root))
    except ContentError as error:
        return Outcome(
            "problems",
            error.report()[-2000:],
            [(p.path, p.line, p.field, p.message) for p in error.problems],
            [str(p) for p in error.problems],
        )
    return Outcome("loaded", f"{kb.count()} records")


def render_outcome(text: str) -> Outcome:
    """Record text through the Markdown renderer; ``detail`` is the processor time it took, in
    seconds (what a busy machine does not inflate, unlike the time on the clock)."""
    import time

    from mi_survey.render.safe_markdown import SafeMarkdown

    markdown = SafeMarkdown(lambda inner: "")
    start = time.process_time()
    html = markdown.block(text)
    return Outcome("rendered", f"{time.process_time() - start:.3f}", printed=[html])


def _serve(connection) -> None:
    while True:
        try:
            function, args = connection.recv()
        except EOFError:
            return
        try:
            result = function(*args)
        except BaseException:
            result = Outcome("raised", traceback.format_exc())
        connection.send(result)


class Sandbox:
    def __init__(self) -> None:
        # "spawn": a clean interpreter, whatever threads the test process runs.
        self._context = multiprocessing.get_context("spawn")
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    def _start(self) -> None:
        self._connection, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child,), daemon=True)
        self._process.start()
        child.close()

    def _stop(self) -> int | None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(10)
            code = self._process.exitcode
            if self._connection is not None:
                self._connection.close()
            self._process = self._connection = None
            return code
        return None

    def call(self, function, *args, timeout: float) -> Outcome:
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()
        assert self._connection is not None  # _start opened it
        self._connection.send((function, args))
        if not self._connection.poll(timeout):
            self._stop()
            return Outcome("timeout", f"no answer within {timeout:g} s")
        try:
            return self._connection.recv()
        except EOFError:
            code = self._stop()
            return Outcome("crashed", f"the worker died (exit code {code})")

    def close(self) -> None:
        self._stop()
