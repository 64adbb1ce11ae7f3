"""One plugin for the score tables that tests print in pytest's terminal summary (the drafter's
answer-key table, the text checks' planted-defect recall), so every CI log shows them."""

from __future__ import annotations


class SummaryReporter:
    """A plugin registered at run time: writes `lines` under `title` in the terminal summary."""

    def __init__(self, title: str, lines: list[str]) -> None:
        self.title = title
        self.lines = lines

    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: ANN001
        terminalreporter.section(self.title)
        for line in self.lines:
            terminalreporter.write_line(line)


def report_in_summary(config, title: str, lines: list[str]) -> None:  # noqa: ANN001
    """Register a SummaryReporter with the session's plugin manager."""
    config.pluginmanager.register(SummaryReporter(title, lines))
