"""Who must notify whom after a breach (GDPR Art. 33 and 34), derived from each affected
service's chain of roles: sub-processor → processor → controller → supervisory authority and,
where the risk is high, the data subjects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from dataflyt.reference.vocabulary import vocabulary

__all__ = [
    "Duty",
    "NotificationStep",
    "duties",
    "notification_steps",
    "passed_on",
    "to_subjects",
]

UNDUE_DELAY = "without undue delay after becoming aware"
WITHIN_72_HOURS = "without undue delay and, where feasible, within 72 hours of becoming aware"
HIGH_RISK = "without undue delay, where the breach is likely to result in a high risk to them"


class NotificationStep(msgspec.Struct, frozen=True, gc=False):
    """One duty to notify: who tells whom, under which article, by when, for which services."""

    notifier: str
    recipient: str
    article: str
    deadline: str
    services: list[str]


Duty = tuple[str, str, str, str]  # notifier, recipient, article, deadline


def passed_on(notifier: str, recipient: str) -> Duty:
    """Return a sub-processor's duty to tell the party that engaged it of a breach."""
    return (notifier, recipient, "Art. 33(2) (duty passed on by Art. 28(4))", UNDUE_DELAY)


def duties(chain: Sequence[str], role: str, also: Sequence[Duty] = ()) -> list[Duty]:
    """Return the duties to notify, as (notifier, recipient, article, deadline), when a breach
    reaches a service along ``chain``: the names from the customer, through the provider whose
    ``role`` (vocabulary key) it is, to the breached organisation; ``also`` are the duties
    passed on along the other ways the breach reaches it. The last duty, to the data subjects,
    names none of them: ``to_subjects`` names those of one service."""
    steps = [passed_on(chain[i], chain[i - 1]) for i in range(len(chain) - 1, 1, -1)]
    steps += [duty for duty in dict.fromkeys(also) if duty not in steps]
    gdpr_role = vocabulary().roles.get(role)
    provider = chain[1]
    if gdpr_role is not None and gdpr_role.gdpr == "controller":
        controller = f"{provider} ({gdpr_role.en.lower()})"  # independent or joint controller
    else:
        steps.append((provider, "Customer (controller)", "Art. 33(2)", UNDUE_DELAY))
        controller = "Customer (controller)"
    steps.append((controller, "Supervisory authority", "Art. 33(1)", WITHIN_72_HOURS))
    steps.append((controller, "Data subjects", "Art. 34", HIGH_RISK))
    return steps


def to_subjects(duty: Duty, subjects: Sequence[str]) -> Duty:
    """Return the duty to the data subjects ``duty`` (the last of ``duties``) naming the data
    subjects of one service."""
    notifier, _, article, deadline = duty
    return (
        notifier,
        f"Data subjects: {', '.join(subjects) or 'the data subjects'}",
        article,
        deadline,
    )


def notification_steps(services: Iterable[tuple[str, list[Duty]]]) -> list[NotificationStep]:
    """Return the notification duties of a breach, one per (notifier, recipient, article), in
    the order first met, each listing the names of the services concerned once; ``services``
    pairs each affected service's name with its ``duties``."""
    found: dict[Duty, dict[str, None]] = {}
    for name, steps in services:
        for step in steps:
            named = found.get(step)
            if named is None:
                named = found[step] = {}
            named[name] = None
    return [NotificationStep(*step, list(names)) for step, names in found.items()]
