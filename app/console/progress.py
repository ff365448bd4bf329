"""A job's progress on stderr: a live bar on a terminal (rich), plain lines otherwise (a log, a
pipe, CI), where a line is printed when the stage changes (each epoch) rather than every step."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn


class JobProgress:
    def __init__(self, stage: str) -> None:
        self._console = Console(stderr=True, highlight=False)
        self._bar: Progress | None = None
        self._stage = ""
        if self._console.is_terminal:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[detail]}"),
                console=self._console,
            )
            self._task: TaskID = self._bar.add_task(stage, total=100, detail="")
            self._bar.start()
        self.update(stage)

    def update(self, stage: str, percent: float | None = None, detail: str = "") -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=stage, detail=detail)
            if percent is not None:
                self._bar.update(self._task, completed=percent)
        elif stage != self._stage:
            shown = f" {percent:5.1f}%" if percent is not None else ""
            print(f"{stage}{shown}  {detail}".rstrip(), file=sys.stderr, flush=True)
        self._stage = stage

    def line(self, text: str) -> None:
        """A line printed above the bar (or as it is)."""
        if self._bar is not None:
            self._bar.console.print(text, markup=False)
        else:
            print(text, file=sys.stderr, flush=True)

    def log(self, event: dict[str, Any]) -> None:
        """A job's `log` event as a line; a level other than info says so."""
        level = event.get("level", "info")
        self.line(("" if level == "info" else f"{level}: ") + str(event.get("message")))

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> JobProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
