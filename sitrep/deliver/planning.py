"""Planning a run's deliveries from the ledger: who needs which edition, and who does not.

:func:`plan_deliveries` is pure: given the editions' audiences and the ledger's rows for
the report, it says which deliveries to make (with the generation of their Message-ID)
and which are settled for this run (already sent, failed for good, unconfirmed). What
each ledger state means is documented in :mod:`sitrep.deliver.ledger`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model.edition import Edition
from .ledger import Entry, Status
from .subscribers import Audience, Subscriber

Outcome = Status
"""What happened to one subscriber's delivery in a run (the ledger's states, plus
``already sent`` and ``written``)."""


@dataclass(frozen=True)
class Result:
    """The outcome of one subscriber's delivery."""

    recipient: str
    edition: str
    outcome: Outcome
    detail: str = ""


@dataclass(frozen=True)
class Planned:
    """One message to send in this run."""

    subscriber: Subscriber
    generation: int
    """Raised by ``--resend``: a new Message-ID."""
    detail: str = ""
    """Why it is sent again ('retrying: ...'), for the ledger's history; '' the first time."""


@dataclass(frozen=True)
class EditionPlan:
    """An edition with someone to send it to."""

    edition: Edition
    deliveries: tuple[Planned, ...]

    @property
    def formats(self) -> list[str]:
        """The formats its subscribers have attached (what must be generated)."""
        return sorted(set().union(*(p.subscriber.attachments for p in self.deliveries)))


@dataclass(frozen=True)
class DeliveryPlan:
    """What one run does for one report."""

    report: str
    editions: tuple[EditionPlan, ...]
    settled: tuple[Result, ...]
    """Deliveries not attempted in this run, and why."""


def decide(
    entry: Entry | None, *, resend: bool = False, resend_unconfirmed: bool = False
) -> tuple[int | None, Outcome | None, str]:
    """(generation to send with, or None; outcome if not sent; detail) for one delivery."""
    if entry is None:
        return 0, None, ""
    if resend:
        return entry.generation + 1, None, "forced by --resend"
    status = entry.status
    if status is Status.SENT:
        sent = f"sent {entry.sent_at:%Y-%m-%d %H:%M} UTC" if entry.sent_at else ""
        return None, Outcome.ALREADY, sent
    if status is Status.FAILED:
        why = f"failed in an earlier run: {entry.detail} (fix, then --resend)"
        return None, Outcome.FAILED, why
    if status is Status.UNCONFIRMED:
        if resend_unconfirmed:
            return entry.generation, None, "resending an unconfirmed delivery"
        return (
            None,
            Outcome.UNCONFIRMED,
            "an earlier run stopped after the server had the whole message but before its "
            "reply: most likely delivered, not sent again (--resend-unconfirmed to send it)",
        )
    if status is Status.SENDING:
        return entry.generation, None, "an earlier run stopped before the message was complete"
    return entry.generation, None, f"retrying: {entry.detail}"  # deferred


def plan_deliveries(
    report: str,
    audiences: Sequence[Audience],
    entries: Mapping[str, Entry],
    *,
    resend: bool = False,
    resend_unconfirmed: bool = False,
) -> DeliveryPlan:
    """Plan the deliveries of ``report`` to ``audiences`` given the ledger's ``entries``
    (by recipient key); an edition whose subscribers all have it is left out."""
    editions: list[EditionPlan] = []
    settled: list[Result] = []
    for audience in audiences:
        todo: list[Planned] = []
        for sub in audience.subscribers:
            generation, outcome, detail = decide(
                entries.get(sub.key), resend=resend, resend_unconfirmed=resend_unconfirmed
            )
            if generation is None:
                assert outcome is not None
                settled.append(Result(sub.email, audience.key, outcome, detail))
            else:
                todo.append(Planned(sub, generation, detail))
        if todo:
            editions.append(EditionPlan(audience.edition, tuple(todo)))
    return DeliveryPlan(report, tuple(editions), tuple(settled))
