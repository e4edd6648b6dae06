"""FW-26, Nordwind Logistics: on track, with its HQ cut-over a weekend night."""

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

FIREWALL = Project(
    code="FW-26",
    name="Firewall upgrade to FortiGate HA",
    client="Nordwind Logistics GmbH",
    sponsor="Karin Vogel (CFO)",
    manager="ana",
    phase=Phase.EXECUTION.value,
    start=-25,
    objective="Replace the end-of-life Cisco ASA firewalls at headquarters and both depots with a "
    "FortiGate high-availability cluster before ASA support ends, without stopping warehouse "
    "scanning.",
    scope="In: FortiGate 200F HA pair at HQ, FortiGate 60F at Depot Nord and Depot Süd, rule-base "
    "migration and clean-up, site-to-site and remote-access VPN, SD-WAN over both internet "
    "lines, logging to FortiAnalyzer. Out: Wi-Fi, endpoint security, the ERP host's firewall.",
    kpis="No unplanned outage of warehouse scanning; ≤ 4 h downtime per cut-over; rule base "
    "reduced by ≥ 30 %; all 85 VPN users migrated before the ASA licence lapses.",
    plan=(
        Summary("Initiation & design", (
            Task("audit", "Audit ASA rule base & VPN users", 4, "priya", 28),
            Task("design", "HA design & address plan", 5, "priya", 32, "audit"),
            Task("order", "Order FortiGate hardware & licences", 2, "ana", 4, "design"),
            Milestone("design-ok", "Design signed off", "design"),
        )),
        Summary("Build & test", (
            Task("stage", "Rack & stage HA pair in the lab", 3, "lukas", 20, "order FS+8"),
            Task("rules", "Migrate & clean up the rule base", 8, "priya", 56, "design-ok"),
            Task("sdwan", "Configure SD-WAN over both internet lines", 4, "lukas", 28, "stage"),
            Task("vpn", "Pilot remote-access VPN with IT staff", 4, "emma", 20, "stage SS+1"),
            Task("pentest", "Penetration test of the new edge", 3, "emma", 20, "sdwan, rules"),
        )),
        Summary("Cut-over", (
            Task("hq", "HQ cut-over night", 1, "priya", 12, "pentest, vpn",
                 downtime="Internet, site-to-site VPN, warehouse scanners (HQ)"),
            Milestone("hq-live", "HQ live on FortiGate", "hq"),
            Task("depots", "Swap depot firewalls (Nord & Süd)", 1, "pedro", 14, "hq-live",
                 downtime="Depot internet & VPN"),
            Task("vpnusers", "Migrate 85 remote-access VPN users", 4, "emma", 20, "hq-live"),
        )),
        Summary("Handover", (
            Task("asbuilt", "As-built documentation & runbook", 3, "priya", 18, "depots"),
            Task("decom", "Decommission the ASA pair", 1, "lukas", 6, "vpnusers FS+3"),
            Milestone("fw-done", "Handover to Nordwind IT", "asbuilt, decom"),
        )),
    ),
    budget=(
        Budget(HW, "FortiGate 200F HA pair, 2× FortiGate 60F, 3-year FortiCare", "38500.00"),
        Budget(SW, "FortiAnalyzer VM & FortiToken licences", "9200.00"),
        Budget(VS, "Reseller services: design review, cut-over night support", "6000.00"),
        Budget(CONT, "Contingency (≈ 8 %)", "5000.00"),
    ),
    ledger=(
        Spend(38, "NetShield Systems (Fortinet partner)", HW,
         "FortiGate 200F HA pair, 3-year UTP bundle", "29840.00", ACTUAL, "INV-{y}-0142"),
        Spend(38, "NetShield Systems (Fortinet partner)", HW,
         "2× FortiGate 60F, 3-year UTP bundle", "6120.00", ACTUAL, "INV-{y}-0143"),
        Spend(31, "NetShield Systems (Fortinet partner)", SW,
         "FortiAnalyzer VM (3 years) & 40 FortiToken Mobile", "8650.00", ACTUAL, "INV-{y}-0157"),
        Spend(24, "NetShield Systems (Fortinet partner)", VS,
         "Design review & HQ cut-over night support", "4800.00", COMMITTED, "PO-{y}-0311"),
        Spend(17, "Reichelt Elektronik", HW,
         "SFP+ modules, rack rails & patch leads", "1180.50", ACTUAL, "RE-{y}-88412"),
    ),
    risks=(
        Risk("Scanner traffic breaks on the new NAT rules", "technical", 3, 3, "priya", "mitigate",
             "Replay a day of captured scanner traffic against the new rules in the lab.",
             "Fail back to the ASA pair (cables labelled, config kept) within 30 min.",
             "Scanner error rate above 1 % in the first hour after cut-over",
             "open", 28, 5, (1, 3)),
        Risk("Depot internet line flaps during the swap", "vendor", 2, 3, "lukas", "accept",
             "Provider informed of the window; LTE backup router on site.",
             "Run the depot on LTE until the line is stable.",
             "Line down for more than 10 minutes", "watching", 21, 10, (2, 2)),
        Risk("VPN users miss the migration e-mail", "people", 3, 2, "emma", "mitigate",
             "Two reminders and a helpdesk FAQ; old VPN kept for one week.",
             "Helpdesk walks users through the new client.",
             "More than 10 VPN tickets on the first day", "open", 14, 7, (2, 2)),
    ),
    changes=(
        Change("Add SSL inspection for guest Wi-Fi", "Stefan Brandt", 20,
               "Inspect guest traffic for malware on the new cluster.", "3800.00", 4,
               "rejected", "Karin Vogel", 15),
        Change("Extra FortiToken licences for 15 contractors", "Stefan Brandt", 25,
               "Contractors need remote access from day one.", "620.00", 0,
               "approved", "Karin Vogel", 22),
    ),
    deliverables=(
        Deliverable("HA design document", "Topology, addressing, failover behaviour.",
                    "Reviewed by Nordwind IT; failover test plan included.", "design-ok",
                    "Stefan Brandt", "Accepted with minor comments on naming."),
        Deliverable("HQ FortiGate cluster in production", "HA pair live with the migrated rules.",
                    "Failover tested; scanners and VPN working; ASA kept cold for one week.",
                    "hq-live"),
        Deliverable("As-built documentation & runbook",
                    "Configuration, diagrams, operating runbook.",
                    "Nordwind IT can fail over and restore the config without us.", "fw-done"),
    ),
    stakeholders=(
        ("karin", "Sponsor"),
        ("stefan", "Client IT lead, approves windows"),
        ("jana", "End-user representative (warehouse)"),
        ("tobias", "Fortinet reseller"),
    ),
)

# fmt: on
