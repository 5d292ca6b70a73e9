"""Who must notify whom after a breach (GDPR Art. 33 and 34), derived from each affected
service's chain of roles: sub-processor → processor → controller → supervisory authority and,
where the risk is high, the data subjects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from dataflyt.reference.vocabulary import vocabulary

if TYPE_CHECKING:
    from dataflyt.queries.breach import AffectedService
    from dataflyt.queries.services import ServiceView

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


def _steps_for(service: AffectedService, view: ServiceView) -> list[tuple[str, str, str, str]]:
    chain = service.chain
    steps = [
        (chain[i].name, chain[i - 1].name, "Art. 33(2) (duty passed on by Art. 28(4))", UNDUE_DELAY)
        for i in range(len(chain) - 1, 1, -1)
    ]
    role = vocabulary().roles.get(service.role)
    provider = chain[1].name
    subjects = ", ".join(view.data_subjects) or "the data subjects"
    if role is not None and role.gdpr == "controller":
        controller = f"{provider} (independent controller)"
    else:
        steps.append((provider, "Customer (controller)", "Art. 33(2)", UNDUE_DELAY))
        controller = "Customer (controller)"
    steps.append((controller, "Supervisory authority", "Art. 33(1)", WITHIN_72_HOURS))
    steps.append((controller, f"Data subjects: {subjects}", "Art. 34", HIGH_RISK))
    return steps


def notification_steps(
    affected: list[AffectedService], views: dict[str, ServiceView]
) -> list[NotificationStep]:
    """Return the notification duties of a breach, one per (notifier, recipient, article),
    in chain order (the breached organisation first), each listing the services concerned."""
    found: dict[tuple[str, str, str, str], list[str]] = {}
    for service in affected:
        for step in _steps_for(service, views[service.id]):
            names = found.setdefault(step, [])
            if service.name not in names:
                names.append(service.name)
    return [
        NotificationStep(notifier=n, recipient=r, article=a, deadline=d, services=services)
        for (n, r, a, d), services in found.items()
    ]
