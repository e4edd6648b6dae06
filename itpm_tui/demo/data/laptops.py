"""LAP-26, Brightwater Insurance: every laptop handed over, closing on track."""

from __future__ import annotations

from itpm_tui.demo.shapes import (
    ACTUAL,
    COMMITTED,
    CONT,
    HW,
    SW,
    VS,
    Budget,
    Change,
    Deliverable,
    Milestone,
    Project,
    Risk,
    Spend,
    Summary,
    Task,
)
from itpm_tui.domain.enums import Phase

# fmt: off

LAPTOPS = Project(
    code="LAP-26",
    name="Laptop roll-out (180 devices)",
    client="Brightwater Insurance",
    sponsor="Siobhán Kelly (COO)",
    manager="tom",
    phase=Phase.CLOSING.value,
    start=-33,
    objective="Replace 180 four-year-old desktops and laptops with Dell Latitude laptops enrolled "
    "through Autopilot and Intune, with users' data moved and old devices wiped and recycled.",
    scope="In: 180 laptops with docks and headsets, Autopilot and Intune profiles, data "
    "migration, desk-side handover, certified wipe and recycling of old devices. Out: mobile "
    "phones, printers, the call-centre thin clients.",
    kpis="180 devices handed over; ≤ 30 min downtime per user; 100 % BitLocker and Intune "
    "compliance; a wipe certificate for every old device.",
    plan=(
        Summary("Preparation", (
            Task("profiles", "Autopilot & Intune profiles", 5, "jonas", 32),
            Task("order", "Order 180 Dell Latitude 5450 & docks", 1, "tom", 3, "profiles SS"),
            Task("pilot", "Pilot with 10 users", 5, "jonas", 24, "profiles, order FS+8"),
            Milestone("pilot-ok", "Pilot approved", "pilot"),
        )),
        Summary("Roll-out", (
            Task("w1", "Wave 1: claims (60 users)", 6, "jonas", 60, "pilot-ok"),
            Task("w2", "Wave 2: underwriting (70 users)", 6, "pedro", 70, "w1"),
            Task("w3", "Wave 3: management & finance (50 users)", 5, "jonas", 50, "w2"),
            Task("recycle", "Collect, wipe & recycle old devices", 14, "pedro", 40,
                 "w1 SS+3, w3 FF+3"),
            Milestone("all", "All users on new laptops", "w3"),
        )),
        Summary("Closing", (
            Task("compliance", "Compliance report (BitLocker, Intune)", 2, "jonas", 8, "all"),
            Task("handover", "Runbook & spare pool handed to the helpdesk", 2, "jonas", 8,
                 "compliance"),
            Task("review", "Closing review with the COO", 1, "tom", 4, "handover FS+3, recycle"),
            Milestone("signoff", "Client sign-off", "review"),
        )),
    ),
    budget=(
        Budget(HW, "180× Dell Latitude 5450, WD19S docks, headsets", "214000.00"),
        Budget(SW, "Data migration tool licences", "2600.00"),
        Budget(VS, "Certified wipe, recycling & courier", "5400.00"),
        Budget(CONT, "Contingency", "10000.00"),
    ),
    ledger=(
        Spend(62, "Dell Technologies", HW,
         "180× Latitude 5450 (i5, 16 GB, 512 GB), 4-year ProSupport", "187200.00", ACTUAL,
         "DELL-{y}-4471902"),
        Spend(62, "Dell Technologies", HW,
         "180× WD19S docking stations", "21960.00", ACTUAL, "DELL-{y}-4471903"),
        Spend(58, "Bechtle AG", HW,
         "180× Jabra Evolve2 40 headsets", "4680.00", ACTUAL, "BE-{y}-548817"),
        Spend(56, "Bechtle AG", SW,
         "Data migration tool licences (180 users)", "2340.00", ACTUAL, "BE-{y}-548901"),
        Spend(12, "GreenCycle IT Recycling", VS,
         "Certified wipe & recycling, 180 devices", "3960.00", ACTUAL, "GC-{y}-0193"),
        Spend(3, "GreenCycle IT Recycling", VS,
         "Courier & wipe certificates, final batch", "420.00", COMMITTED, "PO-{y}-0466"),
    ),
    risks=(
        Risk("Users keep data on local drives", "people", 3, 2, "jonas", "mitigate",
             "The migration tool copies profiles; users confirm before the wipe.",
             "Old drives kept for 30 days before wiping.", "A user reports missing files",
             "closed", 50, -20, (1, 2)),
        Risk("Dock firmware breaks dual screens", "technical", 2, 2, "jonas", "accept",
             "Firmware pinned in Intune.", "Spare docks from the pool.",
             "More than 5 display tickets a day", "closed", 40, -15, (1, 2)),
    ),
    changes=(
        Change("Headsets for all users", "Siobhán Kelly", 60,
               "Hybrid work: every user gets a headset with the laptop.", "4680.00", 0,
               "approved", "Siobhán Kelly", 58),
    ),
    deliverables=(
        Deliverable("Autopilot & Intune build", "Profiles, apps, compliance policies.",
                    "Pilot users productive within 30 min of unboxing.", "pilot-ok",
                    "Declan Murphy", "Accepted after the pilot survey (4.6/5)."),
        Deliverable("180 laptops handed over", "Every user on a new laptop, data migrated.",
                    "Signed handover sheet per user; old device collected.", "all", "Siobhán Kelly",
                    "Accepted; three users needed a second visit."),
        Deliverable("Wipe certificates & compliance report", "Certificates for every old device.",
                    "One certificate per serial number; 100 % compliant devices.", "handover",
                    "Declan Murphy", "Accepted; certificates filed with the asset register."),
    ),
    stakeholders=(
        ("siobhan", "Sponsor, signs the closing report"),
        ("declan", "Helpdesk lead, takes over operations"),
    ),
)

# fmt: on
