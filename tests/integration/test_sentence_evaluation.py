"""The held-out sentence set through the dispatcher, on SQLite and PostgreSQL: the drafts match
the expected commands at least as often as measured when the set was first run (97.1%), and
not one of the sentences writes anything without Confirm."""

from __future__ import annotations

from bench.sentences import company, evaluate, load


def test_the_held_out_sentences_are_drafted_and_nothing_is_written(database_url: str) -> None:
    app, _ = company(database_url)
    try:
        results = evaluate(app, load("held_out"))
    finally:
        app.close()
    assert results.writes == []
    assert sum(results.cases.values()) >= 200
    misses = "\n".join(f"{case.sentence} -> {got} (want {case.expected})"
                       for case, got in results.misses)
    assert results.accuracy >= 0.95, misses
    for intent, count in results.cases.items():
        assert results.exact[intent] / count >= 0.85, f"{intent}:\n{misses}"


def test_the_development_sentences_are_all_drafted(database_url: str) -> None:
    tuned, _ = company(database_url)
    try:
        results = evaluate(tuned, load("development"))
    finally:
        tuned.close()
    assert results.writes == []
    assert results.accuracy == 1.0, [(c.sentence, got) for c, got in results.misses]
