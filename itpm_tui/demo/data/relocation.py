"""MOVE-26, Atelier Lumière: in identification, with a critical risk (the electrical contractor)."""

from __future__ import annotations

from itpm_tui.demo.shapes import (
    ACTUAL,
    COMMITTED,
    CONT,
    HW,
    SW,
    VS,
    Budget,
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

RELOCATION = Project(
    code="MOVE-26",
    name="Office relocation to Quai Saint-Pierre",
    client="Atelier Lumière Architectes",
    sponsor="Claire Dubois (Managing director)",
    manager="ana",
    phase=Phase.IDENTIFICATION.value,
    start=-3,
    baseline=False,
    objective="Move 60 staff from rue des Tanneurs to the new second floor at Quai Saint-Pierre "
    "over one weekend, with network, phones and printers working on Monday morning.",
    scope="In: site survey, structured cabling and power on the new floor (contracted), internet "
    "line, comms room, moving the IT equipment, desk patching, strip-out of the old site. Out: "
    "furniture, building works outside the comms room, the landlord's access control.",
    kpis="Staff working at 09:00 on the first Monday; internet live ≥ 10 working days before the "
    "move; no device lost or damaged; old site handed back before the lease ends.",
    plan=(
        Summary("Identification", (
            Task("survey", "Site survey of the new floor", 3, "pedro", 20),
            Task("workshop", "Requirements workshop with the partners", 1, "ana", 6,
                 "survey SS+1"),
            Task("fibre", "Order 1 Gbit/s fibre line", 1, "ana", 3, "workshop"),
            Milestone("scope", "Scope & rough budget agreed", "workshop, fibre FS+3"),
        )),
        Summary("Site preparation", (
            Task("cabling", "Structured cabling & power (electrical contractor)", 15, "pedro", 24,
                 "scope FS+30"),
            Task("install", "Fibre line installation by the provider", 2, "lukas", 6,
                 "fibre FS+45"),
            Task("comms", "Build comms room: rack, UPS & cooling", 5, "lukas", 32, "cabling SS+8"),
            Milestone("ready", "New site ready", "cabling, install, comms"),
        )),
        Summary("Move", (
            Task("pack", "Pack & label IT equipment", 2, "pedro", 14, "ready FS+2"),
            Task("move", "Move weekend: servers, switches & desk patching", 1, "pedro", 24, "pack",
                 downtime="Whole office: network, phones, printers, file server",
                 window=(18, 60)),
            Milestone("monday", "First working day at Quai Saint-Pierre", "move"),
            Task("strip", "Strip-out & hand back the old site", 5, "pedro", 16, "monday"),
        )),
    ),
    budget=(
        Budget(HW, "Comms rack, UPS, 4 access switches, 8 Wi-Fi access points", "18000.00"),
        Budget(VS, "Electrical contractor, fibre installation, removal company", "42000.00"),
        Budget(SW, "Monitoring licence for the new site", "1200.00"),
        Budget(CONT, "Contingency (≈ 12 %, identification estimate)", "8000.00"),
    ),
    ledger=(
        Spend(5, "Bianchi Elektrotechnik", VS,
         "Site survey & cabling quotation", "850.00", ACTUAL, "BE-{y}-0217"),
        Spend(3, "FibreNet Business", VS,
         "1 Gbit/s dedicated fibre: installation", "1500.00", COMMITTED, "PO-{y}-0451"),
    ),
    risks=(
        Risk("Electrical contractor cannot finish cabling & power before the move weekend",
             "vendor", 4, 4, "pedro", "mitigate",
             "Sign the cabling order now; weekly site meeting with Bianchi; split power and data "
             "between two crews.",
             "Temporary Wi-Fi and power strips for one week; move the partners' desks first.",
             "Less than 50 % of the points tested two weeks before the move",
             "open", 8, 3, (2, 4),
             "The landlord's works end late, leaving the contractor three weeks instead of six."),
        Risk("Fibre installation date not confirmed by the provider", "vendor", 3, 4, "ana",
             "mitigate", "Order on day one; escalate through the account manager.",
             "5G router with a static IP as a temporary line.",
             "No installation date 15 working days before the move", "open", 3, 10, (2, 3)),
        Risk("Old lease ends before the move weekend", "schedule", 2, 5, "ana", "avoid",
             "Ask the landlord for a two-week extension now.",
             "Store the equipment with the removal company for a week.",
             "Move date later than two weeks before the lease ends", "watching", 4, 14, (1, 5)),
    ),
    changes=(),
    deliverables=(
        Deliverable("Project charter & rough budget",
                    "Objective, scope, stakeholders, rough timeline.",
                    "Signed by the managing director.", "scope"),
        Deliverable("Working office on the first Monday",
                    "Network, phones, printers at every desk.",
                    "All 60 desks tested by 08:30; no open priority-1 ticket.", "monday"),
    ),
    stakeholders=(
        ("claire", "Sponsor & decision maker"),
        ("marco", "Electrical contractor"),
        ("lena", "Internet provider"),
        ("julien", "Removal company"),
    ),
)

# fmt: on
