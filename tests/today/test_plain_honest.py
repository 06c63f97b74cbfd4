"""Ratings from what really happened, in plain mode: guesses count, the timer has no back door,
no line typed after a verdict counts on the next card, the last hint warns first, undo."""

from __future__ import annotations

from tutor.study.clock import ManualClock

from .conftest import DeskFactory
from .test_plain import run_plain


def test_guessing_through_is_at_most_hard(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["x", "3x", "x^2", "4x", "2x"])
    assert out.count("incorrect") == 4
    assert "reconstructed; rated Hard" in out


def test_one_slip_is_still_good(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["3x", "2x", ""])
    assert "reconstructed; rated Good" in out


def test_typos_do_not_count_against_the_learner(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["2x +", "(2x", "2*x", ""])
    assert out.count("invalid") == 2
    assert "reconstructed; rated Good" in out


def test_an_undecided_answer_does_not_open_the_answer_before_the_timer(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    # a checker that cannot decide: the desk's in-process checker, told to give up
    from tutor.check.verdict import Verdict

    desk = open_desk()

    class Undecided:
        def judge(self, spec: object, answer: str) -> Verdict:
            return Verdict("undecided", "The checker could not decide this one.", answer)

        def close(self) -> None:
            pass

    desk.checkers.make = Undecided  # type: ignore[assignment]
    import io

    from tutor.plain import PlainSession

    out = io.StringIO()
    lines = "e^(e^(e^(x)))/e^(e^(e^(x))) * 2x\nyes\n:ideas 1\n:compare\n:quit\n"
    PlainSession(desk, io.StringIO(lines), out).run()
    text = out.getvalue()
    assert "Answer:" not in text and "rated" not in text
    assert "compare with the answer yourself: :compare (in 10:00)" in text
    assert "the answer unlocks in" in text
    assert "saved; double resumes next time" in text


def test_a_line_typed_on_after_a_verdict_is_not_an_attempt_on_the_next_card(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk(new_per_day=2)
    import io

    from tutor.plain import PlainSession

    out = io.StringIO()
    PlainSession(desk, io.StringIO("2x\n:easy\n:easy\n3x\nmore typing\n"), out).run()
    text = out.getvalue()
    assert "it is not an attempt" in text
    assert "rated Easy" in text


def test_the_last_hint_asks_first(open_desk: DeskFactory) -> None:
    out = run_plain(
        open_desk, [":wait 10m", ":hint", ":wait 2m", ":hint", ":wait 2m", ":hint", ":time"]
    )
    assert "hint 2 of 3" in out
    assert "The next hint is the last one" in out and "not taken" in out
    assert "hint 3 of 3" not in out


def test_undo_takes_back_the_rating_until_the_next_card(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["2x", "", ":undo", "3x", "2*x", ""])
    assert "Undone: the card is open again" in out
    assert out.count("reconstructed; rated Good") == 2  # rated, undone, rated again
    desk = open_desk()
    assert len([r for r in desk.stats().to_json(desk.zone)["reviews"].values()]) == 2
    assert desk.stats().to_json(desk.zone)["reviews"]["total"] == 1


def test_undo_at_the_easy_prompt_reopens_the_card(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["2x", ":undo", "2x", ":easy", ":easy"])
    assert "Undone: the card is open again" in out
    assert "rated Easy" in out


def test_rating_easy_asks_for_a_confirmation(open_desk: DeskFactory) -> None:
    """One `:easy` asks again, as `:reveal` does: only a second `:easy` rates the card Easy,
    and is taken by that question (not read on the next card); any other line keeps Good,
    and `:undo` there still takes the rating back."""
    out = run_plain(open_desk, ["2x", ":easy", "no", ""])
    assert "Rate it Easy?" in out and "kept as Good" in out
    assert "rated Good" in out and "rated Easy" not in out
    assert "it is not an attempt" in out  # the "no" typed after the card


def test_undo_at_the_easy_confirmation_takes_the_rating_back(open_desk: DeskFactory) -> None:
    out = run_plain(open_desk, ["2x", ":easy", ":undo", "2*x", ":easy", ":easy", ":quit"])
    assert "Undone: the card is open again" in out
    assert out.count("Rate it Easy?") == 2 and "rated Easy" in out
    assert "a card can be rated Easy once it is done" not in out  # the second :easy was taken


def test_notes_come_back_with_their_date_until_resolved(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    run_plain(
        open_desk,
        [":note why two?", ":note and not x squared?", "x^2", ":wait 10m", ":reveal", ":reveal"],
    )
    clock.advance(86_400)
    odd = [":resolve ²", ":resolve ¹", ":resolve ١", ":resolve " + "1" * 5000]  # no crash
    out = run_plain(open_desk, [":resolve 3", *odd, ":resolve 1", ":quit"])
    assert "Your notes from last time" in out
    assert "1. Mon 02 Mar 2026: why two?" in out and "2. Mon 02 Mar 2026: and not x squared?" in out
    assert out.count("usage: :resolve N, with N from 1 to 2") == 5
    assert "resolved: “why two?” will not come back" in out
    clock.advance(86_400)
    out = run_plain(open_desk, [":quit"])
    assert "why two?" not in out and "1. Mon 02 Mar 2026: and not x squared?" in out


def test_one_prompt_per_line_typed(open_desk: DeskFactory) -> None:
    import io

    from tutor.plain import PlainSession

    out = io.StringIO()
    PlainSession(open_desk(), io.StringIO("2x\n:help\n\n"), out, prompt=True).run()
    assert "> >" not in out.getvalue()
    assert out.getvalue().count("> ") == 2  # the answer, the Easy question (:help is kept)
