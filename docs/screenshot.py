"""Draw docs/tutor.svg, the README's picture: the first shipped card, six minutes into its
confusion timer, with a reconstruction typed and the line showing how it is read.

    python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tutor.check import judge
from tutor.check.spec import CheckSpec
from tutor.check.verdict import Verdict
from tutor.config import load_settings
from tutor.study.clock import ManualClock
from tutor.today import Desk
from tutor.ui.app import TutorApp

OUT = Path(__file__).parent / "tutor.svg"


class InProcess:
    """The checker in this process (the sandbox's worker would only add start-up time)."""

    def judge(self, spec: CheckSpec, answer: str) -> Verdict:
        return judge(spec, answer)

    def close(self) -> None:
        pass


async def draw() -> None:
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(environ={"TUTOR_HOME": home})
        clock = ManualClock(datetime(2026, 11, 21, 8, 30, tzinfo=ZoneInfo("Europe/London")))
        with Desk(settings, clock=clock, fuzz=False, checker=InProcess) as desk:  # type: ignore[arg-type]
            desk.sync()
            app = TutorApp(desk, preview_delay=0.01, welcome=False)
            async with app.run_test(size=(100, 30)) as pilot:
                clock.advance(6 * 60 + 12)
                for key in "e^a*e^b":
                    await pilot.press(key)
                for _ in range(3):
                    await pilot.pause(0.05)
                    await app.workers.wait_for_complete()
                for area in app.screen.query("TextArea"):
                    area.cursor_blink = False  # type: ignore[attr-defined]
                app.screen.tick()  # type: ignore[attr-defined]
                await pilot.pause()
                OUT.write_text(app.export_screenshot(title="proof-tutor"), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(draw())
