"""VOIP-25, Harbour & Finch: late, because the losing carrier blocks the number port."""

from __future__ import annotations

from itpm_tui.demo.shapes import (
    ACTUAL,
    COMMITTED,
    CONT,
    HW,
    SW,
    VS,
    BankHoliday,
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

VOIP = Project(
    code="VOIP-25",
    name="VoIP phone migration",
    client="Harbour & Finch Solicitors LLP",
    sponsor="Margaret Hale (Managing partner)",
    manager="niall",
    phase=Phase.EXECUTION.value,
    start=-35,
    currency="GBP",
    objective="Move 140 users from the ageing on-premises Mitel PBX to hosted VoIP with Yealink "
    "handsets and softphones, keeping every published number.",
    scope="In: porting of three DDI ranges, 140 handsets and 10 DECT phones, call flows and hunt "
    "groups for reception and the conveyancing team, voicemail to e-mail, compliance call "
    "recording, softphones for remote staff. Out: mobile contracts, the fax server.",
    kpis="Every DDI number ported with no lost calls; call quality MOS ≥ 4.0; reception answer "
    "time unchanged; ≤ 5 helpdesk tickets per 100 users in the first week.",
    plan=(
        Summary("Discovery", (
            Task("inventory", "Inventory extensions, DDIs & call flows", 4, "sofia", 24),
            Task("readiness", "Network readiness check (QoS, PoE, VLAN)", 3, "sofia", 18,
                 "inventory SS+1"),
            Task("loa", "Submit porting request (LOA) to losing carrier", 1, "niall", 3,
                 "inventory"),
        )),
        Summary("Build", (
            Task("tenant", "Provision hosted tenant & call flows", 6, "sofia", 40, "inventory"),
            Task("vlan", "Voice VLAN & QoS on access switches", 3, "dan", 20, "readiness"),
            Task("handsets", "Deliver & label 140 Yealink handsets", 4, "dan", 28, "vlan"),
            Task("pilot", "Pilot with reception & IT (10 users)", 5, "sofia", 24, "tenant, vlan"),
        )),
        Summary("Porting & cut-over", (
            Task("port", "Port numbers to the new SIP carrier", 12, "niall", 16, "pilot, loa"),
            Task("training", "Staff & reception drop-in training", 3, "sofia", 18, "port FF-1"),
            Task("cutover", "Cut-over weekend: swap handsets & redirect numbers", 1, "dan", 16,
                 "port, training, handsets", downtime="Telephony (all DDIs), reception console",
                 window=(18, 14)),
            Milestone("live", "Numbers live on the hosted platform", "cutover"),
        )),
        Summary("Closing", (
            Task("hypercare", "Hypercare & call-quality monitoring", 5, "sofia", 20, "live"),
            Task("pbx", "Decommission Mitel PBX & cancel ISDN lines", 2, "dan", 8,
                 "hypercare SS+3"),
            Milestone("signoff", "Client sign-off", "hypercare, pbx"),
        )),
    ),
    delays={"port": 15},
    blocked={"port": "Losing carrier rejected the LOA twice (address mismatch); "
                     "waiting for a confirmed port date"},
    holidays=(
        BankHoliday(5, 1, "Early May bank holiday (UK)"),
        BankHoliday(5, -1, "Spring bank holiday (UK)"),
    ),
    budget=(
        Budget(HW, "140 Yealink T54W handsets, 10 W70B DECT, PoE injectors", "16800.00"),
        Budget(SW, "Hosted VoIP seats year one (140 users), call recording", "12600.00"),
        Budget(VS, "Carrier porting, SIP trunk & SBC set-up, ISDN cancellation", "4500.00"),
        Budget(CONT, "Contingency", "3000.00"),
    ),
    ledger=(
        Spend(40, "Voxline Communications", SW,
         "Hosted seats: set-up & first quarter (140 users)", "3150.00", ACTUAL, "VX-{y}-10482"),
        Spend(33, "ProVoice Distribution", HW,
         "140× Yealink T54W handsets", "14280.00", ACTUAL, "INV-{y}-7731"),
        Spend(33, "ProVoice Distribution", HW,
         "10× Yealink W70B DECT & reception headsets", "1890.00", COMMITTED, "PO-{y}-0287"),
        Spend(26, "Voxline Communications", VS,
         "Number porting fee, three DDI ranges", "450.00", ACTUAL, "VX-{y}-10533"),
        Spend(19, "Voxline Communications", VS,
         "SIP trunk & SBC configuration", "1200.00", COMMITTED, "PO-{y}-0295"),
        Spend(12, "BT Business", VS,
         "ISDN30 cancellation charges (notice given)", "980.00", COMMITTED, "PO-{y}-0301"),
        Spend(5, "Voxline Communications", SW,
         "Hosted seats: second quarter", "3150.00", COMMITTED, "PO-{y}-0306"),
    ),
    risks=(
        Risk("Number porting delayed by the losing carrier", "vendor", 3, 3, "niall", "mitigate",
             "LOA checked against the carrier's billing address; weekly calls with the gaining "
             "carrier.",
             "Temporary call divert from the old numbers to the new platform.",
             "Port date not confirmed 10 working days ahead", "occurred", 30, 2, (2, 3),
             "The LOA was rejected twice because the billing address differs from the lease."),
        Risk("Reception call flow wrong on go-live day", "technical", 2, 4, "sofia", "mitigate",
             "Test every call flow with the reception team during the pilot.",
             "Keep the old hunt group routable for 48 h after the cut-over.",
             "Missed-call rate above 5 % on the first morning", "open", 25, 10, (1, 3)),
        Risk("Gaps in compliance call recording", "compliance", 2, 4, "sofia", "transfer",
             "The provider contract includes a recording SLA with penalties.",
             "Manual recording on the handsets of the conveyancing team.",
             "Any recording missing in the daily check", "watching", 22, 14, (1, 4)),
    ),
    changes=(
        Change("Add 10 DECT handsets for the archive floor", "Oliver Grant", 30,
               "No desk phones on the archive floor; staff need to be reachable.", "1890.00", 0,
               "approved", "Margaret Hale", 27),
        Change("Softphones for 20 trainees", "Oliver Grant", 15,
               "Trainees rotate desks and asked for softphones only.", "0.00", 0,
               "approved", "Margaret Hale", 13),
    ),
    deliverables=(
        Deliverable("Call-flow design", "Hunt groups, reception console, out-of-hours routing.",
                    "Signed by the office manager after the pilot.", "live"),
        Deliverable("Ported numbers & working handsets", "All DDIs on the hosted platform.",
                    "Test call to and from every DDI range; no lost calls for 5 days.", "signoff"),
    ),
    stakeholders=(
        ("margaret", "Sponsor"),
        ("oliver", "Client decision maker"),
        ("chloe", "End-user representative (reception)"),
        ("raj", "Hosted VoIP provider & gaining carrier"),
    ),
)

# fmt: on
