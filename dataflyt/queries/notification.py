"""Who must notify whom after a breach (GDPR Art. 33 and 34), derived from each affected
service's chain of roles: sub-processor → processor → controller → supervisory authority and,
where the risk is high, the data subjects."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from dataflyt.reference.vocabulary import vocabulary

__all__ = ["NotificationStep", "notification_steps"]

UNDUE_DELAY = "without undue delay after becoming aware"
WITHIN_72_HOURS = "without undue delay and, where feasible, within 72 hours of becoming aware"
HIGH_RISK = "without undue delay, where the breach is likely to result in a high risk to them"


class NotificationStep(BaseModel):
    """One duty to notify: who tells whom, under which article, by when, for which services."""

    notifier: str
    recipient: str
    article: str
    deadline: str
    services: list[str]


def _steps_for(service: dict[str, Any], subjects: list[str]) -> list[tuple[str, str, str, str]]:
    chain = service["chain"]
    steps = [
        (
            chain[i]["name"],
            chain[i - 1]["name"],
            "Art. 33(2) (duty passed on by Art. 28(4))",
            UNDUE_DELAY,
        )
        for i in range(len(chain) - 1, 1, -1)
    ]
    role = vocabulary().roles.get(service["role"])
    provider = chain[1]["name"]
    whose = ", ".join(subjects) or "the data subjects"
    if role is not None and role.gdpr == "controller":
        controller = f"{provider} (independent controller)"
    else:
        steps.append((provider, "Customer (controller)", "Art. 33(2)", UNDUE_DELAY))
        controller = "Customer (controller)"
    steps.append((controller, "Supervisory authority", "Art. 33(1)", WITHIN_72_HOURS))
    steps.append((controller, f"Data subjects: {whose}", "Art. 34", HIGH_RISK))
    return steps


def notification_steps(
    affected: list[dict[str, Any]], subjects: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Return the notification duties of a breach (``NotificationStep`` fields), one per
    (notifier, recipient, article), in chain order (the breached organisation first), each
    listing the services concerned; ``affected`` holds ``AffectedService`` fields and
    ``subjects`` every data subject of each service, by service id."""
    found: dict[tuple[str, str, str, str], list[str]] = {}
    named: set[tuple[tuple[str, str, str, str], str]] = set()
    for service in affected:
        for step in _steps_for(service, subjects[service["id"]]):
            if (step, service["name"]) not in named:
                named.add((step, service["name"]))
                found.setdefault(step, []).append(service["name"])
    return [
        {"notifier": n, "recipient": r, "article": a, "deadline": d, "services": services}
        for (n, r, a, d), services in found.items()
    ]
