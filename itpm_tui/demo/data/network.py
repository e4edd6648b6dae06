"""NET-26, Kliniken am See: in planning, with a change request waiting for a decision."""

from __future__ import annotations

from itpm_tui.demo.shapes import (
    ACTUAL,
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

NETWORK = Project(
    code="NET-26",
    name="Core switch refresh",
    client="Kliniken am See",
    sponsor="Dr. Hannah Weiss (Head of IT & medical technology)",
    manager="tom",
    phase=Phase.PLANNING.value,
    start=-4,
    baseline=False,
    objective="Replace the end-of-support Catalyst 4500 core and 38 access switches at the main "
    "clinic with a Catalyst 9500 core pair and a 9300 access layer, without interrupting "
    "clinical systems.",
    scope="In: core pair, 38 access switches, 10 Gbit/s uplinks, VLAN and routing redesign, "
    "network access control for medical devices, monitoring. Out: Wi-Fi access points (see the "
    "change request), the data-centre fabric, the satellite clinics.",
    kpis="No unplanned outage of clinical systems; cut-overs only in approved night windows; "
    "uplink use < 40 % at peak; every port documented in NetBox.",
    plan=(
        Summary("Planning", (
            Task("audit", "Port & VLAN audit of 38 access switches", 5, "lukas", 32),
            Task("design", "Core design & routing plan", 6, "priya", 40, "audit SS+2"),
            Task("windows", "Agree maintenance windows with clinical IT", 2, "tom", 6, "design"),
            Milestone("kickoff", "Plan approved & kick-off", "windows"),
        )),
        Summary("Build", (
            Task("order", "Order Catalyst 9500/9300 hardware", 1, "tom", 2, "kickoff"),
            Task("stage", "Stage & configure the core pair in the lab", 4, "priya", 28,
                 "order FS+15"),
            Task("patch", "Patch [core] switches & test failover", 3, "lukas", 20, "stage"),
            Task("prestage", "Pre-stage 38 access switches", 6, "pedro", 40, "order FS+15"),
        )),
        Summary("Cut-over", (
            Task("core", "Core cut-over night", 1, "priya", 14, "patch",
                 downtime="Core routing, all VLANs (clinic-wide)", window=(23, 5)),
            Task("access", "Swap access switches, building by building", 8, "pedro", 48,
                 "core, prestage"),
            Task("nac", "Network access control for medical devices", 5, "emma", 30,
                 "access SS+2"),
            Milestone("refreshed", "Network refreshed", "access, nac"),
        )),
        Summary("Handover", (
            Task("docs", "Update NetBox & as-built documents", 3, "lukas", 16, "access FF+2"),
            Milestone("handover", "Handover to clinical IT", "docs, refreshed"),
        )),
    ),
    budget=(
        Budget(HW, "2× Catalyst 9500, 38× Catalyst 9300-48P, optics, 5-year support", "148000.00"),
        Budget(SW, "DNA Advantage (5 years), Cisco ISE for access control", "21000.00"),
        Budget(VS, "Cisco partner: design review & cut-over night support", "12000.00"),
        Budget(CONT, "Contingency", "15000.00"),
    ),
    ledger=(
        Spend(6, "Alpine Netzwerk AG (Cisco Gold partner)", VS,
         "Core design review workshop", "2400.00", ACTUAL, "AN-{y}-3308"),
    ),
    risks=(
        Risk("Clinical device loses its static IP during a swap", "technical", 3, 3, "lukas",
             "mitigate", "The audit documents every medical-device port; DHCP reservations first.",
             "Rollback cable plan per closet; biomedical engineer on call.",
             "Any device offline after a swap", "open", 7, 12, (1, 3)),
        Risk("Switch delivery slips (component shortage)", "vendor", 2, 3, "tom", "mitigate",
             "Order on the day of approval; the partner confirms stock.",
             "Re-plan the cut-over windows with clinical IT.",
             "No delivery date 10 days after the order", "open", 5, -2, (2, 2)),
    ),
    changes=(
        Change("Add Wi-Fi 6 access points in the wards", "Dr. Hannah Weiss", 2,
               "Replace 64 ward access points in the same windows to avoid a second project.",
               "46800.00", 15),
    ),
    deliverables=(
        Deliverable("Approved network design & cut-over plan", "Core design, VLANs, windows.",
                    "Approved by clinical IT and the medical director.", "kickoff"),
        Deliverable("Refreshed clinic network", "New core and access layer in production.",
                    "All clinical systems tested after each swap; NetBox up to date.", "handover"),
    ),
    stakeholders=(("hannah", "Client decision maker"), ("felix", "Cisco partner")),
)

# fmt: on
