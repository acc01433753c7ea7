"""Lead scoring: points from the rules of [leads.scoring], each with the reason it was given.

The reasons are kept with the lead, so its card says why it scores what it does; the score is
worked out again when the lead changes or is worked, and by the daily pool job once a recent
activity is no longer recent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.model.leads import Lead
from domain.settings import Scoring


def score_of(lead: Lead, rules: Scoring, now: datetime) -> tuple[int, list[dict[str, Any]]]:
    """The lead's score and its reasons ({"rule", "value", "points"}), highest first."""
    reasons: list[dict[str, Any]] = []

    def earn(rule: str, value: str, points: int) -> None:
        if points:
            reasons.append({"rule": rule, "value": value, "points": points})

    if lead.source:
        earn("source", lead.source, rules.sources.get(lead.source, 0))
    if lead.phone:
        earn("phone", "", rules.phone)
    if lead.email:
        earn("email", "", rules.email)
    if lead.amount is not None:
        bands = [band for band in rules.amount_bands if lead.amount >= band.at_least]
        if bands:
            best = max(bands, key=lambda band: band.at_least)
            earn("amount", str(best.at_least), best.points)
    text = f"{lead.company} {lead.note or ''}".lower()
    for rule in rules.keywords:
        word = next((w for w in rule.words if w.lower() in text), None)
        if word is not None:
            earn("keyword", word, rule.points)
    worked = lead.first_activity_at is not None and lead.touched_at is not None
    if worked and lead.touched_at is not None \
            and now - lead.touched_at <= timedelta(days=rules.recent_activity_days):
        earn("recent", str(rules.recent_activity_days), rules.recent_activity)
    reasons.sort(key=lambda reason: -int(reason["points"]))
    return sum(int(r["points"]) for r in reasons), reasons


def rescore(lead: Lead, rules: Scoring, now: datetime) -> bool:
    """Score the lead again; True when its score changed."""
    points, reasons = score_of(lead, rules, now)
    changed = points != lead.score or reasons != lead.score_reasons
    if changed:
        lead.scored(points, reasons)
    return changed
