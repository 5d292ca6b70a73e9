"""Who notifies whom after a breach: the duties along one chain, and how they are summed up."""

from __future__ import annotations

from dataflyt.queries.notification import (
    HIGH_RISK,
    UNDUE_DELAY,
    WITHIN_72_HOURS,
    duties,
    notification_steps,
    to_subjects,
)

PASSED_ON = "Art. 33(2) (duty passed on by Art. 28(4))"


def test_each_sub_processor_tells_the_party_before_it_then_the_controller_tells_the_rest() -> None:
    chain = ["Customer", "Zendesk", "Amazon Web Services", "Equinix"]
    assert duties(chain, "processor") == [
        ("Equinix", "Amazon Web Services", PASSED_ON, UNDUE_DELAY),
        ("Amazon Web Services", "Zendesk", PASSED_ON, UNDUE_DELAY),
        ("Zendesk", "Customer (controller)", "Art. 33(2)", UNDUE_DELAY),
        ("Customer (controller)", "Supervisory authority", "Art. 33(1)", WITHIN_72_HOURS),
        ("Customer (controller)", "Data subjects", "Art. 34", HIGH_RISK),
    ]


def test_a_provider_that_is_an_independent_controller_notifies_itself() -> None:
    steps = duties(["Customer", "Phonero"], "independent_controller")
    assert [(n, r) for n, r, _, _ in steps] == [
        ("Phonero (independent controller)", "Supervisory authority"),
        ("Phonero (independent controller)", "Data subjects"),
    ]


def test_a_joint_controller_is_named_so() -> None:
    steps = duties(["Customer", "Phonero"], "joint_controller")
    assert [n for n, _, _, _ in steps] == ["Phonero (joint controller)"] * 2


def test_the_duty_to_data_subjects_names_them() -> None:
    last = duties(["Customer", "Phonero"], "processor")[-1]
    assert to_subjects(last, ["Customers", "Employees"])[1] == "Data subjects: Customers, Employees"
    assert to_subjects(last, [])[1] == "Data subjects: the data subjects"


def test_duties_are_summed_up_in_the_order_met_each_service_named_once() -> None:
    a = duties(["Customer", "Telenor", "Link Mobility"], "processor")
    b = duties(["Customer", "Phonero", "Link Mobility"], "processor")
    steps = notification_steps([("SMS", a), ("Voice", b), ("SMS", a)])
    assert [(s.notifier, s.recipient, s.services) for s in steps] == [
        ("Link Mobility", "Telenor", ["SMS"]),
        ("Telenor", "Customer (controller)", ["SMS"]),
        ("Customer (controller)", "Supervisory authority", ["SMS", "Voice"]),
        ("Customer (controller)", "Data subjects", ["SMS", "Voice"]),
        ("Link Mobility", "Phonero", ["Voice"]),
        ("Phonero", "Customer (controller)", ["Voice"]),
    ]
