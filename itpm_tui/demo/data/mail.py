"""M365-26, Stadtwerke Bergheim: over budget (a licence price rise and a change order)."""

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

MAIL = Project(
    code="M365-26",
    name="Exchange to Microsoft 365 migration",
    client="Stadtwerke Bergheim",
    sponsor="Dr. Jens Albrecht (Head of IT)",
    manager="tom",
    phase=Phase.EXECUTION.value,
    start=-20,
    objective="Retire the on-premises Exchange 2016 servers by moving 220 mailboxes, archives and "
    "public folders to Exchange Online, and bring every member of staff onto Teams.",
    scope="In: hybrid configuration, mailbox and PST archive migration in four waves, public "
    "folders to shared mailboxes, MFA and conditional access, Teams for all staff, Exchange "
    "decommissioning. Out: control-room (SCADA) systems, Teams telephony, payroll.",
    kpis="100 % of mailboxes migrated with no data loss; MFA for 100 % of accounts; < 2 h of "
    "mail-flow interruption per wave; helpdesk tickets back to normal two weeks after the last "
    "wave.",
    plan=(
        Summary("Preparation", (
            Task("tenant", "Tenant set-up & domain verification", 3, "chen", 16),
            Task("hybrid", "Hybrid Exchange configuration", 5, "chen", 36, "tenant"),
            Task("mfa", "MFA & conditional access policies", 4, "emma", 24, "tenant SS+2"),
            Task("pst", "PST archive discovery on file servers", 4, "marta", 24, "tenant SS"),
            Milestone("ready", "Hybrid ready", "hybrid"),
        )),
        Summary("Migration waves", (
            Task("w1", "Wave 1: IT & pilot users (25 mailboxes)", 3, "chen", 18, "ready, mfa"),
            Task("w2", "Wave 2: administration (70 mailboxes)", 4, "chen", 30, "w1"),
            Task("w3", "Wave 3: field services & depots (85 mailboxes)", 5, "chen", 34, "w2"),
            Task("w4", "Wave 4: management & shared mailboxes (40)", 3, "chen", 24, "w3"),
            Task("import", "Import oversized PST archives (4.1 TB)", 10, "marta", 56, "w1 SS+3"),
            Task("folders", "Public folders to shared mailboxes", 4, "marta", 24, "w3 SS+2"),
            Task("teams", "Teams roll-out & user training", 8, "jonas", 44, "w2 SS"),
        )),
        Summary("Cut-over", (
            Task("mx", "Switch MX records & mail flow to Exchange Online", 1, "chen", 8,
                 "w4, import",
                 downtime="Inbound mail (MX), SMTP relay for printers & SCADA alerts"),
            Milestone("cloud", "All mail in the cloud", "mx"),
        )),
        Summary("Decommission & close", (
            Task("remove", "Remove hybrid & uninstall Exchange 2016", 3, "marta", 18,
                 "cloud FS+10"),
            Task("report", "Handover & closing report", 2, "tom", 10, "remove"),
            Milestone("retired", "Exchange retired", "report"),
        )),
    ),
    budget=(
        Budget(SW, "Microsoft 365 E3, 220 seats, year one (CSP, 2025 price list)", "62000.00"),
        Budget(VS, "Migration partner: hybrid, waves, PST & public folders (fixed price)",
               "24000.00"),
        Budget(HW, "FIDO2 security keys for admins & shared devices", "2400.00"),
        Budget(CONT, "Contingency", "6000.00"),
    ),
    ledger=(
        Spend(34, "Cloudwerk GmbH (Microsoft CSP)", SW,
         "Microsoft 365 E3, 220 seats, annual (2026 price list)", "75900.00", ACTUAL,
         "CW-{y}-00918"),
        Spend(30, "Cloudwerk GmbH (Microsoft CSP)", VS,
         "Migration partner: milestone 1, hybrid ready", "9120.00", ACTUAL, "CW-{y}-00977"),
        Spend(30, "Cloudwerk GmbH (Microsoft CSP)", VS,
         "Migration partner: waves 1–4, balance of the fixed price", "13680.00", COMMITTED,
         "PO-{y}-0402"),
        Spend(27, "Bechtle AG", HW, "60× YubiKey 5 NFC", "3294.00", ACTUAL, "BE-{y}-551230"),
        Spend(9, "Cloudwerk GmbH (Microsoft CSP)", VS,
         "Change order: PST archives 3× larger than surveyed", "4900.00", COMMITTED,
         "PO-{y}-0419"),
        Spend(6, "Cloudwerk GmbH (Microsoft CSP)", SW,
         "MigrationWiz archive bundles (extra 120 users)", "1440.00", ACTUAL, "CW-{y}-01032"),
    ),
    risks=(
        Risk("Outlook profiles break after a wave", "technical", 3, 3, "chen", "mitigate",
             "Autodiscover tested per wave; helpdesk script to recreate profiles.",
             "Floor walkers from the service desk on the morning after each wave.",
             "More than 15 tickets on the morning after a wave", "open", 22, 3, (2, 2)),
        Risk("PST import overruns the wave plan", "schedule", 3, 3, "marta", "mitigate",
             "Import in parallel streams overnight; largest archives first.",
             "Move the last archives to a fifth, evening-only batch.",
             "Import throughput below 400 GB a day", "open", 9, 4, (2, 3)),
        Risk("Works council objects to MFA on personal phones", "people", 2, 3, "tom", "avoid",
             "Offer hardware keys to anyone who does not want the app.",
             "Issue YubiKeys from the contingency stock.",
             "Formal objection from the works council", "closed", 35, -10, (1, 2)),
    ),
    changes=(
        Change("Migrate PST archives 3× larger than surveyed", "Dr. Jens Albrecht", 12,
               "Discovery found 4.1 TB of PST files instead of the 1.3 TB in the tender; the "
               "migration partner charges the extra volume.", "4900.00", 3,
               "approved", "Dr. Jens Albrecht", 10),
        Change("Keep Exchange 2016 for the SCADA alert relay", "Sabine Wolf", 8,
               "Control-room alerts relay through Exchange; asked to keep one server.", "0.00", 0,
               "rejected", "Dr. Jens Albrecht", 6),
    ),
    deliverables=(
        Deliverable("Hybrid configuration & security baseline", "Hybrid, MFA, conditional access.",
                    "Security review passed; MFA enforced for all admins.", "ready",
                    "Dr. Jens Albrecht", "Accepted after the security review."),
        Deliverable("All mailboxes & archives in Exchange Online",
                    "220 mailboxes, archives, folders.",
                    "Item counts match; spot checks by each department.", "cloud"),
        Deliverable("Exchange decommissioning record",
                    "Servers removed from AD; licences released.",
                    "Hybrid removed cleanly; no mail routed on-premises.", "retired"),
    ),
    stakeholders=(
        ("jens", "Sponsor"),
        ("sabine", "Service desk lead"),
        ("uwe", "End-user representative (works council)"),
    ),
)

# fmt: on
