"""A realistic demo portfolio, so a first run (and every screenshot) has something to show.

The data is declared per project as plain tables — people, a work breakdown with durations and
links, budget lines, ledger entries, risks, change requests, deliverables, stakeholders — and
everything dated is computed from ``ctx.today()``:

- Task dates come from the scheduling engine (working days, holidays, link kinds and lags),
  so the plan obeys its own dependencies and the Timeline recomputes the same dates. Cut-overs
  are moved to the eve of a weekend so their downtime windows are weekend nights.
- Anchored on this week's Monday, so which weekday "today" is never changes the story: a
  task's status, percent and remaining hours follow from where its dates fall against today,
  and the same rule replayed for each past weekday gives the burn-down history.
- Labour actuals are the hours those tasks burned each finished week at their assignees' cost
  rates, so the budget, the progress and earned value tell one story.

Under the health rules the portfolio shows green, amber and red projects, each for one clear
reason: VOIP-25 is late (number porting blocked by the losing carrier), MOVE-26 has a critical
risk (the electrical contractor), M365-26 is over budget (licence price rise and a change
order), NET-26 has a change request waiting for a decision; FW-26 and LAP-26 are on track and
SRV-25 is closed and signed off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import col

from itpm_tui.domain.calendar import WorkCalendar
from itpm_tui.domain.enums import (
    BudgetCategory,
    EntryKind,
    Phase,
    ProjectStatus,
    TaskStatus,
)
from itpm_tui.domain.schedule import Link, ScheduleResult, ScheduleTask, schedule
from itpm_tui.errors import ItpmError
from itpm_tui.services.context import Context
from itpm_tui.storage.models import (
    ALL_TABLES,
    Activity,
    BudgetLine,
    ChangeRequest,
    CommunicationEntry,
    Deliverable,
    Dependency,
    DowntimeWindow,
    Holiday,
    LedgerEntry,
    Person,
    ProgressSnapshot,
    Project,
    ProjectStakeholder,
    Risk,
    Stakeholder,
    Task,
)

HW, SW, LAB, VS, CONT = (c.value for c in BudgetCategory)
ACTUAL, COMMITTED = EntryKind.ACTUAL.value, EntryKind.COMMITTED.value
SNAPSHOT_DAYS = 42  # burn-down history: the last six weeks
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DemoSummary:
    """What was written, for the CLI's one-line report and for tests."""

    projects: int
    people: int
    tasks: int
    ledger_entries: int
    risks: int
    stakeholders: int

    def __str__(self) -> str:
        return (
            f"{self.projects} projects, {self.people} people, {self.tasks} tasks, "
            f"{self.ledger_entries} ledger entries, {self.risks} risks, "
            f"{self.stakeholders} stakeholders"
        )


# --- the shapes the data is declared in ---------------------------------------------------


@dataclass(frozen=True)
class T:
    """A leaf task (``days`` ≥ 1) or a milestone (``days`` 0).

    ``after`` lists predecessors: ``"a, b SS+2, c FF-1"`` (FS with no lag when not said).
    A task with ``downtime`` (the systems it takes down) is a cut-over: it starts on the last
    working day of a week (a Friday, or the Thursday before a holiday) and gets a downtime
    window from ``window[0]`` o'clock lasting ``window[1]`` hours.
    """

    key: str
    name: str
    days: int = 0
    who: str | None = None
    hours: int = 0
    after: str = ""
    downtime: str = ""
    window: tuple[int, int] = (22, 8)


@dataclass(frozen=True)
class S:
    """A summary task: its dates, hours and progress roll up from its children."""

    name: str
    children: tuple[T | S, ...]


def M(key: str, name: str, after: str) -> T:
    """A milestone: no duration, no assignee."""
    return T(key, name, 0, after=after)


@dataclass(frozen=True)
class R:
    """A risk; ``raised``/``review`` are days before/after today, residual is (p, i)."""

    title: str
    category: str
    p: int
    i: int
    owner: str
    response: str
    mitigation: str
    contingency: str
    trigger: str
    status: str = "open"
    raised: int = 20
    review: int = 7
    residual: tuple[int, int] | None = None
    description: str = ""


@dataclass(frozen=True)
class C:
    """A change request; ``requested``/``decided`` are days before today."""

    title: str
    by: str
    requested: int
    description: str
    cost: str
    days: int
    status: str = "proposed"
    decided_by: str = ""
    decided: int | None = None


@dataclass(frozen=True)
class D:
    """A deliverable due on milestone ``due``; accepted by ``accepted_by`` once it is past."""

    name: str
    description: str
    criteria: str
    due: str
    accepted_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class P:
    """One project; ``start`` is in working days from this week's Monday (negative: past)."""

    code: str
    name: str
    client: str
    sponsor: str
    manager: str
    phase: str
    start: int
    objective: str
    scope: str
    kpis: str
    plan: tuple[T | S, ...]
    budget: tuple[tuple[str, str, str], ...]  # category, description, amount (labour computed)
    ledger: tuple[tuple[int, str, str, str, str, str, str], ...]  # days ago, vendor, category,
    # description, amount, kind, reference ("{y}" becomes the entry's year)
    risks: tuple[R, ...]
    changes: tuple[C, ...]
    deliverables: tuple[D, ...]
    stakeholders: tuple[tuple[str, str], ...]  # stakeholder key, role on this project
    currency: str = "EUR"
    status: str = ProjectStatus.ACTIVE.value
    baseline: bool = True  # the plan was approved and saved as the baseline
    delays: dict[str, int] = field(default_factory=dict)  # working days added since then
    blocked: dict[str, str] = field(default_factory=dict)  # task key -> why
    # Holidays of this project only: month, which Monday (-1 for the last), name.
    holidays: tuple[tuple[int, int, str], ...] = ()
    signed_off_by: str = ""
    lessons: str = ""


# --- the data -------------------------------------------------------------------------------
# Laid out by hand as tables, one row per line where it fits; the formatter leaves it alone.
# fmt: off

# handle, name, role, phone, skills, weekly hours, cost rate, currency
PEOPLE: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    ("ana", "Ana Ferreira", "IT project manager", "+49 30 5557 1201",
     "PRINCE2, vendor management, client reporting", "40", "95.00", "EUR"),
    ("tom", "Tom Becker", "IT project manager", "+49 30 5557 1202",
     "Agile, budgeting, Microsoft 365 programmes", "40", "90.00", "EUR"),
    ("niall", "Niall O'Brien", "Project manager (UK)", "+44 20 7946 0311",
     "Telephony projects, stakeholder management", "37.5", "78.00", "GBP"),
    ("priya", "Priya Nair", "Senior network & security engineer", "+49 30 5557 1210",
     "Fortinet NSE7, Cisco CCNP, BGP, SD-WAN", "40", "98.00", "EUR"),
    ("lukas", "Lukas Meyer", "Network engineer", "+49 30 5557 1211",
     "Cisco Catalyst, VLAN design, NetBox", "40", "82.00", "EUR"),
    ("emma", "Emma Laurent", "Security engineer", "+49 30 5557 1212",
     "Conditional access, VPN, penetration testing, Cisco ISE", "32", "92.00", "EUR"),
    ("chen", "Chen Wei", "Cloud engineer", "+49 30 5557 1220",
     "Exchange Online, Entra ID, hybrid migrations, PowerShell", "40", "90.00", "EUR"),
    ("marta", "Marta Kowalska", "Systems engineer", "+49 30 5557 1221",
     "Windows Server, Hyper-V, backup, file services", "40", "85.00", "EUR"),
    ("jonas", "Jonas Berg", "Desktop engineer", "+49 30 5557 1230",
     "Intune, Autopilot, imaging, end-user support", "40", "68.00", "EUR"),
    ("pedro", "Pedro Alves", "Field technician", "+49 30 5557 1231",
     "Structured cabling, racking, site surveys, device swaps", "40", "58.00", "EUR"),
    ("sofia", "Sofia Patel", "Telecom & VoIP engineer (UK)", "+44 20 7946 0312",
     "Hosted VoIP, SIP trunks, number porting, QoS", "37.5", "72.00", "GBP"),
    ("dan", "Dan Hughes", "Field technician (UK)", "+44 20 7946 0313",
     "Handset roll-outs, patching, PoE switches", "37.5", "45.00", "GBP"),
)
EMAIL_DOMAIN = {"EUR": "northbridge-it.eu", "GBP": "northbridge-it.co.uk"}

# key, name, organisation, title, type, e-mail, phone, channel, cadence, influence, interest,
# notes
STAKEHOLDERS: tuple[tuple[str, str, str, str, str, str, str, str, str, int, int, str], ...] = (
    ("karin", "Karin Vogel", "Nordwind Logistics GmbH", "CFO", "sponsor",
     "k.vogel@nordwind-logistics.de", "+49 40 5550 2100", "meeting", "monthly", 5, 3,
     "Wants cost and risk on one page; no jargon."),
    ("stefan", "Stefan Brandt", "Nordwind Logistics GmbH", "IT manager", "client decision maker",
     "s.brandt@nordwind-logistics.de", "+49 40 5550 2140", "e-mail", "weekly", 4, 5,
     "Approves every change window; prefers Friday updates."),
    ("jana", "Jana Keller", "Nordwind Logistics GmbH", "Warehouse operations lead", "end user",
     "j.keller@nordwind-logistics.de", "+49 40 5550 2177", "phone", "at milestones", 3, 4,
     "Scanners must never stop during a shift; call before any cut-over."),
    ("margaret", "Margaret Hale", "Harbour & Finch Solicitors LLP", "Managing partner", "sponsor",
     "m.hale@harbourfinch.co.uk", "+44 20 7946 0800", "meeting", "fortnightly", 5, 3,
     "Cares about client-facing numbers staying reachable."),
    ("oliver", "Oliver Grant", "Harbour & Finch Solicitors LLP", "Office manager",
     "client decision maker", "o.grant@harbourfinch.co.uk", "+44 20 7946 0815", "phone",
     "weekly", 4, 5, "Day-to-day contact; coordinates the reception team."),
    ("chloe", "Chloe Adams", "Harbour & Finch Solicitors LLP", "Reception team lead", "end user",
     "c.adams@harbourfinch.co.uk", "+44 20 7946 0801", "chat", "at milestones", 2, 5,
     "Needs the new call flows a week before go-live to brief her team."),
    ("raj", "Raj Mehta", "Voxline Communications", "Porting & provisioning manager", "vendor",
     "porting@voxline.co.uk", "+44 161 496 0420", "phone", "weekly", 3, 4,
     "Hosted VoIP provider and gaining carrier for the number port."),
    ("jens", "Dr. Jens Albrecht", "Stadtwerke Bergheim", "Head of IT", "sponsor",
     "jens.albrecht@stadtwerke-bergheim.de", "+49 2271 555 300", "meeting", "fortnightly", 5, 4,
     "Reports to the supervisory board; overruns need his sign-off."),
    ("sabine", "Sabine Wolf", "Stadtwerke Bergheim", "Service desk lead", "helpdesk",
     "sabine.wolf@stadtwerke-bergheim.de", "+49 2271 555 310", "chat", "weekly", 3, 5,
     "Needs each wave's user list and known issues before the wave starts."),
    ("uwe", "Uwe Schneider", "Stadtwerke Bergheim", "Works council representative", "end user",
     "uwe.schneider@stadtwerke-bergheim.de", "+49 2271 555 390", "e-mail", "monthly", 3, 3,
     "Must be consulted before MFA on personal phones."),
    ("claire", "Claire Dubois", "Atelier Lumière Architectes", "Managing director", "sponsor",
     "claire.dubois@atelier-lumiere.fr", "+33 4 72 55 01 10", "meeting", "fortnightly", 5, 4,
     "Decides the move date; the old lease ends at the end of the quarter."),
    ("marco", "Marco Bianchi", "Bianchi Elektrotechnik", "Site manager", "vendor",
     "m.bianchi@bianchi-elektro.fr", "+33 4 72 55 07 42", "phone", "weekly", 4, 3,
     "Electrical contractor: structured cabling and power for the new floor."),
    ("lena", "Lena Hoffmann", "FibreNet Business", "Account manager", "vendor",
     "lena.hoffmann@fibrenet-business.eu", "+33 4 72 55 09 90", "e-mail", "weekly", 3, 3,
     "Internet provider; confirms installation dates only 10 working days ahead."),
    ("julien", "Julien Morel", "Transports Morel", "Removals coordinator", "vendor",
     "j.morel@transports-morel.fr", "+33 4 72 55 03 31", "phone", "at milestones", 2, 2,
     "Removal company; needs the crate count a week before the move."),
    ("hannah", "Dr. Hannah Weiss", "Kliniken am See", "Head of IT & medical technology",
     "client decision maker", "h.weiss@kliniken-am-see.de", "+49 7531 555 200", "meeting",
     "weekly", 5, 5, "Any outage of clinical systems needs her written approval."),
    ("felix", "Felix Huber", "Alpine Netzwerk AG", "Cisco account engineer", "vendor",
     "felix.huber@alpine-netzwerk.ch", "+41 44 555 71 30", "e-mail", "fortnightly", 2, 3,
     "Cisco Gold partner; quotes are valid for 30 days."),
    ("tobias", "Tobias Lang", "NetShield Systems", "Fortinet partner manager", "vendor",
     "t.lang@netshield-systems.de", "+49 30 5559 4400", "e-mail", "at milestones", 2, 3,
     "Fortinet reseller; on-site support is booked per cut-over."),
    ("siobhan", "Siobhán Kelly", "Brightwater Insurance", "COO", "sponsor",
     "siobhan.kelly@brightwater.ie", "+353 1 555 0140", "e-mail", "at milestones", 5, 3,
     "Signs the closing report."),
    ("declan", "Declan Murphy", "Brightwater Insurance", "IT helpdesk lead", "helpdesk",
     "declan.murphy@brightwater.ie", "+353 1 555 0166", "chat", "weekly", 3, 4,
     "Takes over the laptops and the Intune runbook at closing."),
)

# stakeholder, project, days ago, channel, by (person handle), summary. Some weekly contacts
# are left past their cadence on purpose (Oliver, Sabine, Marco), so updates show as due.
COMMUNICATIONS: tuple[tuple[str, str, int, str, str, str], ...] = (
    ("karin", "FW-26", 26, "meeting", "ana", "Monthly steering: hardware delivered, on budget."),
    ("stefan", "FW-26", 9, "e-mail", "ana",
     "Weekly status: rule-base migration at 90 %, pen test booked."),
    ("stefan", "FW-26", 2, "e-mail", "ana",
     "Weekly status: pen test clean; HQ cut-over window confirmed."),
    ("jana", "FW-26", 5, "phone", "priya",
     "Agreed the HQ cut-over starts after the Friday late shift."),
    ("tobias", "FW-26", 12, "e-mail", "ana",
     "Booked the reseller engineer for the HQ cut-over night."),
    ("margaret", "VOIP-25", 8, "meeting", "niall",
     "Explained the porting delay; go-live moves by three weeks."),
    ("oliver", "VOIP-25", 10, "phone", "niall",
     "Handset labels checked floor by floor; training dates agreed."),
    ("chloe", "VOIP-25", 16, "chat", "sofia", "Shared the draft reception call flow."),
    ("raj", "VOIP-25", 3, "phone", "niall",
     "LOA rejected again (address mismatch); escalated to the losing carrier."),
    ("jens", "M365-26", 11, "meeting", "tom",
     "Steering: waves 1–2 done; licence price rise and PST change order flagged."),
    ("sabine", "M365-26", 13, "chat", "chen",
     "Wave 3 user list and known issues (Outlook profiles)."),
    ("uwe", "M365-26", 30, "e-mail", "tom", "Works council agreed MFA via app or hardware key."),
    ("claire", "MOVE-26", 6, "meeting", "ana",
     "Requirements workshop: 60 desks, 2 meeting rooms, move over one weekend."),
    ("marco", "MOVE-26", 9, "phone", "pedro",
     "Site visit; cabling can only start after the landlord's works."),
    ("lena", "MOVE-26", 3, "e-mail", "ana", "Fibre order placed; provider quotes 45 working days."),
    ("hannah", "NET-26", 2, "meeting", "tom",
     "Reviewed the core design; asked to add ward Wi-Fi to the scope."),
    ("felix", "NET-26", 6, "e-mail", "tom",
     "Requested the final quote for the Catalyst 9500/9300 order."),
    ("siobhan", "LAP-26", 8, "e-mail", "tom",
     "All 180 users on new laptops; closing review proposed."),
    ("declan", "LAP-26", 4, "chat", "jonas",
     "Handover of the Intune runbook and the spare-device pool."),
    ("karin", "SRV-25", 95, "e-mail", "ana", "Closing report and sign-off request sent."),
)

# Ledger rows: days ago, vendor, category, description, amount, kind, reference ("{y}": year).

FIREWALL = P(
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
        S("Initiation & design", (
            T("audit", "Audit ASA rule base & VPN users", 4, "priya", 28),
            T("design", "HA design & address plan", 5, "priya", 32, "audit"),
            T("order", "Order FortiGate hardware & licences", 2, "ana", 4, "design"),
            M("design-ok", "Design signed off", "design"),
        )),
        S("Build & test", (
            T("stage", "Rack & stage HA pair in the lab", 3, "lukas", 20, "order FS+8"),
            T("rules", "Migrate & clean up the rule base", 8, "priya", 56, "design-ok"),
            T("sdwan", "Configure SD-WAN over both internet lines", 4, "lukas", 28, "stage"),
            T("vpn", "Pilot remote-access VPN with IT staff", 4, "emma", 20, "stage SS+1"),
            T("pentest", "Penetration test of the new edge", 3, "emma", 20, "sdwan, rules"),
        )),
        S("Cut-over", (
            T("hq", "HQ cut-over night", 1, "priya", 12, "pentest, vpn",
              downtime="Internet, site-to-site VPN, warehouse scanners (HQ)"),
            M("hq-live", "HQ live on FortiGate", "hq"),
            T("depots", "Swap depot firewalls (Nord & Süd)", 1, "pedro", 14, "hq-live",
              downtime="Depot internet & VPN"),
            T("vpnusers", "Migrate 85 remote-access VPN users", 4, "emma", 20, "hq-live"),
        )),
        S("Handover", (
            T("asbuilt", "As-built documentation & runbook", 3, "priya", 18, "depots"),
            T("decom", "Decommission the ASA pair", 1, "lukas", 6, "vpnusers FS+3"),
            M("fw-done", "Handover to Nordwind IT", "asbuilt, decom"),
        )),
    ),
    budget=(
        (HW, "FortiGate 200F HA pair, 2× FortiGate 60F, 3-year FortiCare", "38500.00"),
        (SW, "FortiAnalyzer VM & FortiToken licences", "9200.00"),
        (VS, "Reseller services: design review, cut-over night support", "6000.00"),
        (CONT, "Contingency (≈ 8 %)", "5000.00"),
    ),
    ledger=(
        (38, "NetShield Systems (Fortinet partner)", HW,
         "FortiGate 200F HA pair, 3-year UTP bundle", "29840.00", ACTUAL, "INV-{y}-0142"),
        (38, "NetShield Systems (Fortinet partner)", HW,
         "2× FortiGate 60F, 3-year UTP bundle", "6120.00", ACTUAL, "INV-{y}-0143"),
        (31, "NetShield Systems (Fortinet partner)", SW,
         "FortiAnalyzer VM (3 years) & 40 FortiToken Mobile", "8650.00", ACTUAL, "INV-{y}-0157"),
        (24, "NetShield Systems (Fortinet partner)", VS,
         "Design review & HQ cut-over night support", "4800.00", COMMITTED, "PO-{y}-0311"),
        (17, "Reichelt Elektronik", HW,
         "SFP+ modules, rack rails & patch leads", "1180.50", ACTUAL, "RE-{y}-88412"),
    ),
    risks=(
        R("Scanner traffic breaks on the new NAT rules", "technical", 3, 3, "priya", "mitigate",
          "Replay a day of captured scanner traffic against the new rules in the lab.",
          "Fail back to the ASA pair (cables labelled, config kept) within 30 min.",
          "Scanner error rate above 1 % in the first hour after cut-over",
          "open", 28, 5, (1, 3)),
        R("Depot internet line flaps during the swap", "vendor", 2, 3, "lukas", "accept",
          "Provider informed of the window; LTE backup router on site.",
          "Run the depot on LTE until the line is stable.",
          "Line down for more than 10 minutes", "watching", 21, 10, (2, 2)),
        R("VPN users miss the migration e-mail", "people", 3, 2, "emma", "mitigate",
          "Two reminders and a helpdesk FAQ; old VPN kept for one week.",
          "Helpdesk walks users through the new client.",
          "More than 10 VPN tickets on the first day", "open", 14, 7, (2, 2)),
    ),
    changes=(
        C("Add SSL inspection for guest Wi-Fi", "Stefan Brandt", 20,
          "Inspect guest traffic for malware on the new cluster.", "3800.00", 4,
          "rejected", "Karin Vogel", 15),
        C("Extra FortiToken licences for 15 contractors", "Stefan Brandt", 25,
          "Contractors need remote access from day one.", "620.00", 0,
          "approved", "Karin Vogel", 22),
    ),
    deliverables=(
        D("HA design document", "Topology, addressing, failover behaviour.",
          "Reviewed by Nordwind IT; failover test plan included.", "design-ok",
          "Stefan Brandt", "Accepted with minor comments on naming."),
        D("HQ FortiGate cluster in production", "HA pair live with the migrated rules.",
          "Failover tested; scanners and VPN working; ASA kept cold for one week.", "hq-live"),
        D("As-built documentation & runbook", "Configuration, diagrams, operating runbook.",
          "Nordwind IT can fail over and restore the config without us.", "fw-done"),
    ),
    stakeholders=(
        ("karin", "Sponsor"),
        ("stefan", "Client IT lead, approves windows"),
        ("jana", "End-user representative (warehouse)"),
        ("tobias", "Fortinet reseller"),
    ),
)

VOIP = P(
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
        S("Discovery", (
            T("inventory", "Inventory extensions, DDIs & call flows", 4, "sofia", 24),
            T("readiness", "Network readiness check (QoS, PoE, VLAN)", 3, "sofia", 18,
              "inventory SS+1"),
            T("loa", "Submit porting request (LOA) to losing carrier", 1, "niall", 3,
              "inventory"),
        )),
        S("Build", (
            T("tenant", "Provision hosted tenant & call flows", 6, "sofia", 40, "inventory"),
            T("vlan", "Voice VLAN & QoS on access switches", 3, "dan", 20, "readiness"),
            T("handsets", "Deliver & label 140 Yealink handsets", 4, "dan", 28, "vlan"),
            T("pilot", "Pilot with reception & IT (10 users)", 5, "sofia", 24, "tenant, vlan"),
        )),
        S("Porting & cut-over", (
            T("port", "Port numbers to the new SIP carrier", 12, "niall", 16, "pilot, loa"),
            T("training", "Staff & reception drop-in training", 3, "sofia", 18, "port FF-1"),
            T("cutover", "Cut-over weekend: swap handsets & redirect numbers", 1, "dan", 16,
              "port, training, handsets", downtime="Telephony (all DDIs), reception console",
              window=(18, 14)),
            M("live", "Numbers live on the hosted platform", "cutover"),
        )),
        S("Closing", (
            T("hypercare", "Hypercare & call-quality monitoring", 5, "sofia", 20, "live"),
            T("pbx", "Decommission Mitel PBX & cancel ISDN lines", 2, "dan", 8,
              "hypercare SS+3"),
            M("signoff", "Client sign-off", "hypercare, pbx"),
        )),
    ),
    delays={"port": 15},
    blocked={"port": "Losing carrier rejected the LOA twice (address mismatch); "
                     "waiting for a confirmed port date"},
    holidays=((5, 1, "Early May bank holiday (UK)"), (5, -1, "Spring bank holiday (UK)")),
    budget=(
        (HW, "140 Yealink T54W handsets, 10 W70B DECT, PoE injectors", "16800.00"),
        (SW, "Hosted VoIP seats year one (140 users), call recording", "12600.00"),
        (VS, "Carrier porting, SIP trunk & SBC set-up, ISDN cancellation", "4500.00"),
        (CONT, "Contingency", "3000.00"),
    ),
    ledger=(
        (40, "Voxline Communications", SW,
         "Hosted seats: set-up & first quarter (140 users)", "3150.00", ACTUAL, "VX-{y}-10482"),
        (33, "ProVoice Distribution", HW,
         "140× Yealink T54W handsets", "14280.00", ACTUAL, "INV-{y}-7731"),
        (33, "ProVoice Distribution", HW,
         "10× Yealink W70B DECT & reception headsets", "1890.00", COMMITTED, "PO-{y}-0287"),
        (26, "Voxline Communications", VS,
         "Number porting fee, three DDI ranges", "450.00", ACTUAL, "VX-{y}-10533"),
        (19, "Voxline Communications", VS,
         "SIP trunk & SBC configuration", "1200.00", COMMITTED, "PO-{y}-0295"),
        (12, "BT Business", VS,
         "ISDN30 cancellation charges (notice given)", "980.00", COMMITTED, "PO-{y}-0301"),
        (5, "Voxline Communications", SW,
         "Hosted seats: second quarter", "3150.00", COMMITTED, "PO-{y}-0306"),
    ),
    risks=(
        R("Number porting delayed by the losing carrier", "vendor", 3, 3, "niall", "mitigate",
          "LOA checked against the carrier's billing address; weekly calls with the gaining "
          "carrier.",
          "Temporary call divert from the old numbers to the new platform.",
          "Port date not confirmed 10 working days ahead", "occurred", 30, 2, (2, 3),
          "The LOA was rejected twice because the billing address differs from the lease."),
        R("Reception call flow wrong on go-live day", "technical", 2, 4, "sofia", "mitigate",
          "Test every call flow with the reception team during the pilot.",
          "Keep the old hunt group routable for 48 h after the cut-over.",
          "Missed-call rate above 5 % on the first morning", "open", 25, 10, (1, 3)),
        R("Gaps in compliance call recording", "compliance", 2, 4, "sofia", "transfer",
          "The provider contract includes a recording SLA with penalties.",
          "Manual recording on the handsets of the conveyancing team.",
          "Any recording missing in the daily check", "watching", 22, 14, (1, 4)),
    ),
    changes=(
        C("Add 10 DECT handsets for the archive floor", "Oliver Grant", 30,
          "No desk phones on the archive floor; staff need to be reachable.", "1890.00", 0,
          "approved", "Margaret Hale", 27),
        C("Softphones for 20 trainees", "Oliver Grant", 15,
          "Trainees rotate desks and asked for softphones only.", "0.00", 0,
          "approved", "Margaret Hale", 13),
    ),
    deliverables=(
        D("Call-flow design", "Hunt groups, reception console, out-of-hours routing.",
          "Signed by the office manager after the pilot.", "live"),
        D("Ported numbers & working handsets", "All DDIs on the hosted platform.",
          "Test call to and from every DDI range; no lost calls for 5 days.", "signoff"),
    ),
    stakeholders=(
        ("margaret", "Sponsor"),
        ("oliver", "Client decision maker"),
        ("chloe", "End-user representative (reception)"),
        ("raj", "Hosted VoIP provider & gaining carrier"),
    ),
)

MAIL = P(
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
        S("Preparation", (
            T("tenant", "Tenant set-up & domain verification", 3, "chen", 16),
            T("hybrid", "Hybrid Exchange configuration", 5, "chen", 36, "tenant"),
            T("mfa", "MFA & conditional access policies", 4, "emma", 24, "tenant SS+2"),
            T("pst", "PST archive discovery on file servers", 4, "marta", 24, "tenant SS"),
            M("ready", "Hybrid ready", "hybrid"),
        )),
        S("Migration waves", (
            T("w1", "Wave 1: IT & pilot users (25 mailboxes)", 3, "chen", 18, "ready, mfa"),
            T("w2", "Wave 2: administration (70 mailboxes)", 4, "chen", 30, "w1"),
            T("w3", "Wave 3: field services & depots (85 mailboxes)", 5, "chen", 34, "w2"),
            T("w4", "Wave 4: management & shared mailboxes (40)", 3, "chen", 24, "w3"),
            T("import", "Import oversized PST archives (4.1 TB)", 10, "marta", 56, "w1 SS+3"),
            T("folders", "Public folders to shared mailboxes", 4, "marta", 24, "w3 SS+2"),
            T("teams", "Teams roll-out & user training", 8, "jonas", 44, "w2 SS"),
        )),
        S("Cut-over", (
            T("mx", "Switch MX records & mail flow to Exchange Online", 1, "chen", 8,
              "w4, import",
              downtime="Inbound mail (MX), SMTP relay for printers & SCADA alerts"),
            M("cloud", "All mail in the cloud", "mx"),
        )),
        S("Decommission & close", (
            T("remove", "Remove hybrid & uninstall Exchange 2016", 3, "marta", 18,
              "cloud FS+10"),
            T("report", "Handover & closing report", 2, "tom", 10, "remove"),
            M("retired", "Exchange retired", "report"),
        )),
    ),
    budget=(
        (SW, "Microsoft 365 E3, 220 seats, year one (CSP, 2025 price list)", "62000.00"),
        (VS, "Migration partner: hybrid, waves, PST & public folders (fixed price)", "24000.00"),
        (HW, "FIDO2 security keys for admins & shared devices", "2400.00"),
        (CONT, "Contingency", "6000.00"),
    ),
    ledger=(
        (34, "Cloudwerk GmbH (Microsoft CSP)", SW,
         "Microsoft 365 E3, 220 seats, annual (2026 price list)", "75900.00", ACTUAL,
         "CW-{y}-00918"),
        (30, "Cloudwerk GmbH (Microsoft CSP)", VS,
         "Migration partner: milestone 1, hybrid ready", "9120.00", ACTUAL, "CW-{y}-00977"),
        (30, "Cloudwerk GmbH (Microsoft CSP)", VS,
         "Migration partner: waves 1–4, balance of the fixed price", "13680.00", COMMITTED,
         "PO-{y}-0402"),
        (27, "Bechtle AG", HW, "60× YubiKey 5 NFC", "3294.00", ACTUAL, "BE-{y}-551230"),
        (9, "Cloudwerk GmbH (Microsoft CSP)", VS,
         "Change order: PST archives 3× larger than surveyed", "4900.00", COMMITTED,
         "PO-{y}-0419"),
        (6, "Cloudwerk GmbH (Microsoft CSP)", SW,
         "MigrationWiz archive bundles (extra 120 users)", "1440.00", ACTUAL, "CW-{y}-01032"),
    ),
    risks=(
        R("Outlook profiles break after a wave", "technical", 3, 3, "chen", "mitigate",
          "Autodiscover tested per wave; helpdesk script to recreate profiles.",
          "Floor walkers from the service desk on the morning after each wave.",
          "More than 15 tickets on the morning after a wave", "open", 22, 3, (2, 2)),
        R("PST import overruns the wave plan", "schedule", 3, 3, "marta", "mitigate",
          "Import in parallel streams overnight; largest archives first.",
          "Move the last archives to a fifth, evening-only batch.",
          "Import throughput below 400 GB a day", "open", 9, 4, (2, 3)),
        R("Works council objects to MFA on personal phones", "people", 2, 3, "tom", "avoid",
          "Offer hardware keys to anyone who does not want the app.",
          "Issue YubiKeys from the contingency stock.",
          "Formal objection from the works council", "closed", 35, -10, (1, 2)),
    ),
    changes=(
        C("Migrate PST archives 3× larger than surveyed", "Dr. Jens Albrecht", 12,
          "Discovery found 4.1 TB of PST files instead of the 1.3 TB in the tender; the "
          "migration partner charges the extra volume.", "4900.00", 3,
          "approved", "Dr. Jens Albrecht", 10),
        C("Keep Exchange 2016 for the SCADA alert relay", "Sabine Wolf", 8,
          "Control-room alerts relay through Exchange; asked to keep one server.", "0.00", 0,
          "rejected", "Dr. Jens Albrecht", 6),
    ),
    deliverables=(
        D("Hybrid configuration & security baseline", "Hybrid, MFA, conditional access.",
          "Security review passed; MFA enforced for all admins.", "ready",
          "Dr. Jens Albrecht", "Accepted after the security review."),
        D("All mailboxes & archives in Exchange Online", "220 mailboxes, archives, folders.",
          "Item counts match; spot checks by each department.", "cloud"),
        D("Exchange decommissioning record", "Servers removed from AD; licences released.",
          "Hybrid removed cleanly; no mail routed on-premises.", "retired"),
    ),
    stakeholders=(
        ("jens", "Sponsor"),
        ("sabine", "Service desk lead"),
        ("uwe", "End-user representative (works council)"),
    ),
)

RELOCATION = P(
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
        S("Identification", (
            T("survey", "Site survey of the new floor", 3, "pedro", 20),
            T("workshop", "Requirements workshop with the partners", 1, "ana", 6,
              "survey SS+1"),
            T("fibre", "Order 1 Gbit/s fibre line", 1, "ana", 3, "workshop"),
            M("scope", "Scope & rough budget agreed", "workshop, fibre FS+3"),
        )),
        S("Site preparation", (
            T("cabling", "Structured cabling & power (electrical contractor)", 15, "pedro", 24,
              "scope FS+30"),
            T("install", "Fibre line installation by the provider", 2, "lukas", 6,
              "fibre FS+45"),
            T("comms", "Build comms room: rack, UPS & cooling", 5, "lukas", 32, "cabling SS+8"),
            M("ready", "New site ready", "cabling, install, comms"),
        )),
        S("Move", (
            T("pack", "Pack & label IT equipment", 2, "pedro", 14, "ready FS+2"),
            T("move", "Move weekend: servers, switches & desk patching", 1, "pedro", 24, "pack",
              downtime="Whole office: network, phones, printers, file server",
              window=(18, 60)),
            M("monday", "First working day at Quai Saint-Pierre", "move"),
            T("strip", "Strip-out & hand back the old site", 5, "pedro", 16, "monday"),
        )),
    ),
    budget=(
        (HW, "Comms rack, UPS, 4 access switches, 8 Wi-Fi access points", "18000.00"),
        (VS, "Electrical contractor, fibre installation, removal company", "42000.00"),
        (SW, "Monitoring licence for the new site", "1200.00"),
        (CONT, "Contingency (≈ 12 %, identification estimate)", "8000.00"),
    ),
    ledger=(
        (5, "Bianchi Elektrotechnik", VS,
         "Site survey & cabling quotation", "850.00", ACTUAL, "BE-{y}-0217"),
        (3, "FibreNet Business", VS,
         "1 Gbit/s dedicated fibre: installation", "1500.00", COMMITTED, "PO-{y}-0451"),
    ),
    risks=(
        R("Electrical contractor cannot finish cabling & power before the move weekend",
          "vendor", 4, 4, "pedro", "mitigate",
          "Sign the cabling order now; weekly site meeting with Bianchi; split power and data "
          "between two crews.",
          "Temporary Wi-Fi and power strips for one week; move the partners' desks first.",
          "Less than 50 % of the points tested two weeks before the move",
          "open", 8, 3, (2, 4),
          "The landlord's works end late, leaving the contractor three weeks instead of six."),
        R("Fibre installation date not confirmed by the provider", "vendor", 3, 4, "ana",
          "mitigate", "Order on day one; escalate through the account manager.",
          "5G router with a static IP as a temporary line.",
          "No installation date 15 working days before the move", "open", 3, 10, (2, 3)),
        R("Old lease ends before the move weekend", "schedule", 2, 5, "ana", "avoid",
          "Ask the landlord for a two-week extension now.",
          "Store the equipment with the removal company for a week.",
          "Move date later than two weeks before the lease ends", "watching", 4, 14, (1, 5)),
    ),
    changes=(),
    deliverables=(
        D("Project charter & rough budget", "Objective, scope, stakeholders, rough timeline.",
          "Signed by the managing director.", "scope"),
        D("Working office on the first Monday", "Network, phones, printers at every desk.",
          "All 60 desks tested by 08:30; no open priority-1 ticket.", "monday"),
    ),
    stakeholders=(
        ("claire", "Sponsor & decision maker"),
        ("marco", "Electrical contractor"),
        ("lena", "Internet provider"),
        ("julien", "Removal company"),
    ),
)

NETWORK = P(
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
        S("Planning", (
            T("audit", "Port & VLAN audit of 38 access switches", 5, "lukas", 32),
            T("design", "Core design & routing plan", 6, "priya", 40, "audit SS+2"),
            T("windows", "Agree maintenance windows with clinical IT", 2, "tom", 6, "design"),
            M("kickoff", "Plan approved & kick-off", "windows"),
        )),
        S("Build", (
            T("order", "Order Catalyst 9500/9300 hardware", 1, "tom", 2, "kickoff"),
            T("stage", "Stage & configure the core pair in the lab", 4, "priya", 28,
              "order FS+15"),
            T("patch", "Patch [core] switches & test failover", 3, "lukas", 20, "stage"),
            T("prestage", "Pre-stage 38 access switches", 6, "pedro", 40, "order FS+15"),
        )),
        S("Cut-over", (
            T("core", "Core cut-over night", 1, "priya", 14, "patch",
              downtime="Core routing, all VLANs (clinic-wide)", window=(23, 5)),
            T("access", "Swap access switches, building by building", 8, "pedro", 48,
              "core, prestage"),
            T("nac", "Network access control for medical devices", 5, "emma", 30,
              "access SS+2"),
            M("refreshed", "Network refreshed", "access, nac"),
        )),
        S("Handover", (
            T("docs", "Update NetBox & as-built documents", 3, "lukas", 16, "access FF+2"),
            M("handover", "Handover to clinical IT", "docs, refreshed"),
        )),
    ),
    budget=(
        (HW, "2× Catalyst 9500, 38× Catalyst 9300-48P, optics, 5-year support", "148000.00"),
        (SW, "DNA Advantage (5 years), Cisco ISE for access control", "21000.00"),
        (VS, "Cisco partner: design review & cut-over night support", "12000.00"),
        (CONT, "Contingency", "15000.00"),
    ),
    ledger=(
        (6, "Alpine Netzwerk AG (Cisco Gold partner)", VS,
         "Core design review workshop", "2400.00", ACTUAL, "AN-{y}-3308"),
    ),
    risks=(
        R("Clinical device loses its static IP during a swap", "technical", 3, 3, "lukas",
          "mitigate", "The audit documents every medical-device port; DHCP reservations first.",
          "Rollback cable plan per closet; biomedical engineer on call.",
          "Any device offline after a swap", "open", 7, 12, (1, 3)),
        R("Switch delivery slips (component shortage)", "vendor", 2, 3, "tom", "mitigate",
          "Order on the day of approval; the partner confirms stock.",
          "Re-plan the cut-over windows with clinical IT.",
          "No delivery date 10 days after the order", "open", 5, -2, (2, 2)),
    ),
    changes=(
        C("Add Wi-Fi 6 access points in the wards", "Dr. Hannah Weiss", 2,
          "Replace 64 ward access points in the same windows to avoid a second project.",
          "46800.00", 15),
    ),
    deliverables=(
        D("Approved network design & cut-over plan", "Core design, VLANs, windows.",
          "Approved by clinical IT and the medical director.", "kickoff"),
        D("Refreshed clinic network", "New core and access layer in production.",
          "All clinical systems tested after each swap; NetBox up to date.", "handover"),
    ),
    stakeholders=(("hannah", "Client decision maker"), ("felix", "Cisco partner")),
)

LAPTOPS = P(
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
        S("Preparation", (
            T("profiles", "Autopilot & Intune profiles", 5, "jonas", 32),
            T("order", "Order 180 Dell Latitude 5450 & docks", 1, "tom", 3, "profiles SS"),
            T("pilot", "Pilot with 10 users", 5, "jonas", 24, "profiles, order FS+8"),
            M("pilot-ok", "Pilot approved", "pilot"),
        )),
        S("Roll-out", (
            T("w1", "Wave 1: claims (60 users)", 6, "jonas", 60, "pilot-ok"),
            T("w2", "Wave 2: underwriting (70 users)", 6, "pedro", 70, "w1"),
            T("w3", "Wave 3: management & finance (50 users)", 5, "jonas", 50, "w2"),
            T("recycle", "Collect, wipe & recycle old devices", 14, "pedro", 40,
              "w1 SS+3, w3 FF+3"),
            M("all", "All users on new laptops", "w3"),
        )),
        S("Closing", (
            T("compliance", "Compliance report (BitLocker, Intune)", 2, "jonas", 8, "all"),
            T("handover", "Runbook & spare pool handed to the helpdesk", 2, "jonas", 8,
              "compliance"),
            T("review", "Closing review with the COO", 1, "tom", 4, "handover FS+3, recycle"),
            M("signoff", "Client sign-off", "review"),
        )),
    ),
    budget=(
        (HW, "180× Dell Latitude 5450, WD19S docks, headsets", "214000.00"),
        (SW, "Data migration tool licences", "2600.00"),
        (VS, "Certified wipe, recycling & courier", "5400.00"),
        (CONT, "Contingency", "10000.00"),
    ),
    ledger=(
        (62, "Dell Technologies", HW,
         "180× Latitude 5450 (i5, 16 GB, 512 GB), 4-year ProSupport", "187200.00", ACTUAL,
         "DELL-{y}-4471902"),
        (62, "Dell Technologies", HW,
         "180× WD19S docking stations", "21960.00", ACTUAL, "DELL-{y}-4471903"),
        (58, "Bechtle AG", HW,
         "180× Jabra Evolve2 40 headsets", "4680.00", ACTUAL, "BE-{y}-548817"),
        (56, "Bechtle AG", SW,
         "Data migration tool licences (180 users)", "2340.00", ACTUAL, "BE-{y}-548901"),
        (12, "GreenCycle IT Recycling", VS,
         "Certified wipe & recycling, 180 devices", "3960.00", ACTUAL, "GC-{y}-0193"),
        (3, "GreenCycle IT Recycling", VS,
         "Courier & wipe certificates, final batch", "420.00", COMMITTED, "PO-{y}-0466"),
    ),
    risks=(
        R("Users keep data on local drives", "people", 3, 2, "jonas", "mitigate",
          "The migration tool copies profiles; users confirm before the wipe.",
          "Old drives kept for 30 days before wiping.", "A user reports missing files",
          "closed", 50, -20, (1, 2)),
        R("Dock firmware breaks dual screens", "technical", 2, 2, "jonas", "accept",
          "Firmware pinned in Intune.", "Spare docks from the pool.",
          "More than 5 display tickets a day", "closed", 40, -15, (1, 2)),
    ),
    changes=(
        C("Headsets for all users", "Siobhán Kelly", 60,
          "Hybrid work: every user gets a headset with the laptop.", "4680.00", 0,
          "approved", "Siobhán Kelly", 58),
    ),
    deliverables=(
        D("Autopilot & Intune build", "Profiles, apps, compliance policies.",
          "Pilot users productive within 30 min of unboxing.", "pilot-ok",
          "Declan Murphy", "Accepted after the pilot survey (4.6/5)."),
        D("180 laptops handed over", "Every user on a new laptop, data migrated.",
          "Signed handover sheet per user; old device collected.", "all",
          "Siobhán Kelly", "Accepted; three users needed a second visit."),
        D("Wipe certificates & compliance report", "Certificates for every old device.",
          "One certificate per serial number; 100 % compliant devices.", "handover",
          "Declan Murphy", "Accepted; certificates filed with the asset register."),
    ),
    stakeholders=(
        ("siobhan", "Sponsor, signs the closing report"),
        ("declan", "Helpdesk lead, takes over operations"),
    ),
)

SERVERS = P(
    code="SRV-25",
    name="Virtualisation host replacement",
    client="Nordwind Logistics GmbH",
    sponsor="Karin Vogel (CFO)",
    manager="ana",
    phase=Phase.CLOSING.value,
    status=ProjectStatus.CLOSED.value,
    start=-125,
    objective="Replace three out-of-warranty VMware hosts with a Hyper-V cluster on new Dell "
    "servers and move all 42 virtual machines without data loss.",
    scope="In: hosts, SAN expansion, Hyper-V cluster, VM migration, backup and DR test. Out: "
    "the ERP upgrade, desktop virtualisation.",
    kpis="All 42 VMs migrated; ERP downtime ≤ 4 h; restore test of every tier passed.",
    plan=(
        S("Design & order", (
            T("capacity", "Capacity assessment of 42 VMs", 3, "marta", 20),
            T("order", "Order 3 PowerEdge R760 hosts & SAN expansion", 1, "ana", 2,
              "capacity"),
        )),
        S("Build & migrate", (
            T("build", "Rack, cable & build the Hyper-V cluster", 4, "marta", 30,
              "order FS+12"),
            T("migrate", "Live-migrate VMs in three batches", 6, "marta", 40, "build"),
            T("erp", "Cut-over of the ERP database VM", 1, "marta", 10, "migrate",
              downtime="ERP & warehouse management"),
            M("live", "Cluster live", "erp"),
        )),
        S("Close", (
            T("dr", "Backup & DR test on the new cluster", 2, "lukas", 12, "live"),
            T("decom", "Decommission the old hosts", 2, "pedro", 8, "dr"),
            M("signoff", "Client sign-off", "decom"),
        )),
    ),
    budget=(
        (HW, "3× PowerEdge R760, ME5024 expansion", "58000.00"),
        (SW, "Windows Server Datacenter licences", "14500.00"),
        (VS, "Certified disposal of old hosts", "1000.00"),
        (CONT, "Contingency", "5000.00"),
    ),
    ledger=(
        (170, "Dell Technologies", HW,
         "3× PowerEdge R760 & ME5024 expansion", "54870.00", ACTUAL, "DELL-{y}-4318820"),
        (168, "Cloudwerk GmbH (Microsoft CSP)", SW,
         "Windows Server 2025 Datacenter (96 cores)", "13980.00", ACTUAL, "CW-{y}-00688"),
        (110, "DataSafe Entsorgung", VS,
         "Certified disposal of three hosts", "640.00", ACTUAL, "DS-{y}-1207"),
    ),
    risks=(
        R("ERP database VM too large for a live migration", "technical", 3, 4, "marta",
          "mitigate", "Offline copy in a weekend window.", "Restore from backup to the cluster.",
          "Migration estimate above 3 h", "closed", 175, -120, (1, 2)),
    ),
    changes=(),
    deliverables=(
        D("Hyper-V cluster in production", "Three hosts, SAN, 42 VMs.",
          "Failover tested; all VMs running on the new cluster.", "live",
          "Stefan Brandt", "Accepted."),
        D("DR test report", "Restore of every tier.", "Every tier restored within its RTO.",
          "signoff", "Karin Vogel", "Accepted with the closing report."),
    ),
    stakeholders=(("karin", "Sponsor"), ("stefan", "Client IT lead")),
    signed_off_by="Karin Vogel",
    lessons="Order hardware before the design review ends: delivery took 12 working days. The "
    "offline copy of the ERP database was faster than a live migration would have been.",
)

# fmt: on

PROJECTS: tuple[P, ...] = (FIREWALL, VOIP, MAIL, RELOCATION, NETWORK, LAPTOPS, SERVERS)


# --- building -------------------------------------------------------------------------------


def build_demo(ctx: Context, *, force: bool = False) -> DemoSummary:
    """Write the demo portfolio in one transaction, dated around ``ctx.today()``.

    Refuses a database that already holds data unless ``force``; with ``force`` the old rows
    are deleted in the same transaction, so a failure leaves them as they were.
    """
    today = ctx.today()
    with ctx.transaction() as tx:
        session = tx.session
        held = _held(session)
        if held and not force:
            raise ItpmError(
                f"the database already holds {held}; use --force to replace "
                f"{'them' if not held.startswith('1 ') else 'it'} with the demo"
            )
        previous_activity = session.scalar(select(func.max(Activity.id))) or 0
        if force:
            for model in reversed(ALL_TABLES):
                if model is not Activity:
                    session.execute(delete(model))
        builder = _Builder(today)
        builder.build()
        for rows in builder.rows():
            session.add_all(rows)
            session.flush()
        summary = builder.summary()
        tx.log("portfolio", None, "demo", summary=f"loaded the demo portfolio: {summary}")
        session.flush()
        if force and previous_activity:
            # The old history describes rows that are gone; dropping it after the new entry
            # is written keeps the change token growing, so open dashboards notice the swap.
            session.execute(delete(Activity).where(col(Activity.id) <= previous_activity))
    return summary


def _held(session: Any) -> str:
    """What the database holds already, as words ("3 projects"), or "" when it is empty.

    The activity log does not count: it is history, not a portfolio.
    """

    def rows(model: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    for model, singular, plural in ((Project, "project", "projects"), (Person, "person", "people")):
        if n := rows(model):
            return f"{n} {singular if n == 1 else plural}"
    others = sum(rows(m) for m in ALL_TABLES if m not in (Project, Person, Activity))
    return f"{others} row{'' if others == 1 else 's'} of other data" if others else ""


def _amount(text: str) -> Decimal:
    return Decimal(text).quantize(CENT)


_LINK_RE = re.compile(r"^\s*([\w-]+)(?:\s+(FS|SS|FF|SF)([+-]\d+)?)?\s*$")


def _links(spec: str) -> Iterator[tuple[str, str, int]]:
    """``"a, b SS+2"`` → ``("a", "FS", 0), ("b", "SS", 2)``."""
    for part in filter(str.strip, spec.split(",")):
        match = _LINK_RE.match(part)
        if not match:
            raise ValueError(f"bad predecessor '{part}'")
        key, kind, lag = match.groups()
        yield key, kind or "FS", int(lag or 0)


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _company_holidays(today: date) -> list[tuple[date, str]]:
    """Public holidays common to the clients' countries, from half a year back to a year on."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        easter = _easter(year)
        found += [
            (date(year, 1, 1), "New Year's Day"),
            (easter - timedelta(days=2), "Good Friday"),
            (easter + timedelta(days=1), "Easter Monday"),
            (date(year, 5, 1), "Labour Day"),
            (date(year, 12, 25), "Christmas Day"),
            (date(year, 12, 26), "St Stephen's Day"),
        ]
    low, high = today - timedelta(days=183), today + timedelta(days=365)
    return [(d, name) for d, name in found if low <= d <= high and d.weekday() < 5]


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` given weekday of a month (``nth`` -1 for the last)."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


@dataclass
class _Leaf:
    key: str
    spec: T
    start: date
    finish: date
    base_start: date | None
    base_finish: date | None


class _Builder:
    """Turns the declared tables into rows, with explicit ids (the tables start empty)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.monday = today - timedelta(days=today.weekday())
        self.holidays = _company_holidays(today)
        self.people: list[Person] = []
        self.projects: list[Project] = []
        self.tasks: list[Task] = []
        self.links: list[Dependency] = []
        self.windows: list[DowntimeWindow] = []
        self.holiday_rows: list[Holiday] = []
        self.deliverables: list[Deliverable] = []
        self.budget: list[BudgetLine] = []
        self.ledger: list[LedgerEntry] = []
        self.risks: list[Risk] = []
        self.changes: list[ChangeRequest] = []
        self.stakeholders: list[Stakeholder] = []
        self.project_stakeholders: list[ProjectStakeholder] = []
        self.communications: list[CommunicationEntry] = []
        self.snapshots: list[ProgressSnapshot] = []
        self.person_id: dict[str, int] = {}
        self.rate: dict[str, tuple[Decimal, str]] = {}
        self.stakeholder_id: dict[str, int] = {}
        self.project_id: dict[str, int] = {}

    # --- dates ---

    def ago(self, days: int, calendar: WorkCalendar) -> date:
        """``days`` calendar days before today, moved back to a working day."""
        return calendar.on_or_before(self.today - timedelta(days=days))

    def ahead(self, days: int, calendar: WorkCalendar) -> date:
        return calendar.on_or_after(self.today + timedelta(days=days))

    def progress(self, leaf: _Leaf, blocked: bool, day: date, cal: WorkCalendar) -> int:
        """Percent complete of a leaf as of the start of ``day``: by where its dates fall."""
        if leaf.finish < day:
            return 100
        if leaf.start >= day or leaf.spec.days == 0:
            return 0
        elapsed = cal.working_days_between(leaf.start, day)
        percent = min(95, 5 * round(20 * elapsed / leaf.spec.days))
        return min(percent, 30) if blocked else percent

    # --- rows ---

    def build(self) -> None:
        for n, (handle, name, role, phone, skills, hours, rate, cur) in enumerate(PEOPLE, 1):
            first, _, last = name.lower().replace("'", "").partition(" ")
            self.people.append(
                Person(
                    id=n,
                    name=name,
                    handle=handle,
                    role=role,
                    email=f"{first}.{last.replace(' ', '')}@{EMAIL_DOMAIN[cur]}",
                    phone=phone,
                    skills=skills,
                    weekly_capacity_hours=Decimal(hours),
                    cost_rate=_amount(rate),
                    cost_currency=cur,
                )
            )
            self.person_id[handle] = n
            self.rate[handle] = (_amount(rate), cur)
        for n, row in enumerate(STAKEHOLDERS, 1):
            key, name, org, title, kind, email, phone, channel, cadence, infl, inter, notes = row
            self.stakeholders.append(
                Stakeholder(
                    id=n,
                    name=name,
                    organisation=org,
                    title=title,
                    kind=kind,
                    email=email,
                    phone=phone,
                    channel=channel,
                    cadence=cadence,
                    influence=infl,
                    interest=inter,
                    notes=notes,
                )
            )
            self.stakeholder_id[key] = n
        self.holiday_rows = [
            Holiday(id=n, project_id=None, day=d, name=name)
            for n, (d, name) in enumerate(self.holidays, 1)
        ]
        for n, spec in enumerate(PROJECTS, 1):
            self.project_id[spec.code] = n
            self.add_project(n, spec)
        names = {handle: name for handle, name, *_ in PEOPLE}
        office = WorkCalendar(d for d, _ in self.holidays)
        for n, (who, code, days, channel, by, text) in enumerate(COMMUNICATIONS, 1):
            self.communications.append(
                CommunicationEntry(
                    id=n,
                    stakeholder_id=self.stakeholder_id[who],
                    project_id=self.project_id[code],
                    logged_on=self.ago(days, office),
                    channel=channel,
                    by=names[by],
                    summary=text,
                )
            )

    def calendar_for(self, spec: P) -> tuple[WorkCalendar, list[tuple[date, str]]]:
        own = []
        for month, nth, name in spec.holidays:
            for year in (self.today.year, self.today.year + 1):
                day = _nth_weekday(year, month, 0, nth)
                if abs((day - self.today).days) <= 365:
                    own.append((day, name))
        return WorkCalendar([d for d, _ in self.holidays] + [d for d, _ in own]), own

    def plan_dates(
        self, leaves: list[tuple[str, T]], start: date, cal: WorkCalendar, delays: dict[str, int]
    ) -> ScheduleResult:
        """Schedule the leaves, moving each cut-over to the eve of a weekend (usually Friday)."""
        index = {key: n for n, (key, _) in enumerate(leaves)}
        links = [
            Link(index[pred], index[key], kind, lag)
            for key, spec in leaves
            for pred, kind, lag in _links(spec.after)
        ]
        fixed: dict[int, date] = {}
        result = None
        for _ in range(12):
            tasks = [
                ScheduleTask(n, spec.days + delays.get(key, 0), fixed.get(n), spec.name)
                for n, (key, spec) in enumerate(leaves)
            ]
            result = schedule(tasks, links, start, cal)
            moved = False
            for n, (_, spec) in enumerate(leaves):
                begin = result[n].early_start
                # The last working day of its week: Friday, or Thursday before a holiday.
                last = cal.on_or_before(begin + timedelta(days=4 - begin.weekday()))
                if spec.downtime and begin != last:
                    fixed[n] = last
                    moved = True
            if not moved:
                break
        assert result is not None
        return result

    def add_project(self, pid: int, spec: P) -> None:
        cal, own_holidays = self.calendar_for(spec)
        start = (
            cal.on_or_after(self.monday)
            if spec.start == 0
            else cal.add_working_days(self.monday, spec.start)
        )
        leaves: list[tuple[str, T]] = []
        outline: list[tuple[T | S, int | None, str, int]] = []  # item, parent row, wbs, row

        def walk(items: tuple[T | S, ...], parent: int | None, prefix: str) -> None:
            for number, item in enumerate(items, 1):
                wbs = f"{prefix}.{number}" if prefix else str(number)
                outline.append((item, parent, wbs, len(outline)))
                if isinstance(item, S):
                    walk(item.children, len(outline) - 1, wbs)
                else:
                    leaves.append((item.key, item))

        walk(spec.plan, None, "")
        current = self.plan_dates(leaves, start, cal, spec.delays)
        baseline = self.plan_dates(leaves, start, cal, {}) if spec.baseline else None
        leaf_of: dict[str, _Leaf] = {}
        for n, (key, task) in enumerate(leaves):
            b = baseline[n] if baseline else None
            leaf_of[key] = _Leaf(
                key,
                task,
                current[n].early_start,
                current[n].early_finish,
                b.early_start if b else None,
                b.early_finish if b else None,
            )
        blocked = set(spec.blocked)

        # Tasks, parents before children, with explicit ids.
        first_id = len(self.tasks) + 1
        row_id = {row: first_id + row for row in range(len(outline))}
        task_rows: list[Task] = []
        spans: dict[int, list[_Leaf]] = {}
        for item, parent, _, _row in outline:
            if isinstance(item, T):
                up = parent
                while up is not None:
                    spans.setdefault(up, []).append(leaf_of[item.key])
                    up = outline[up][1]
        for item, parent, wbs, row in outline:
            common = {
                "id": row_id[row],
                "project_id": pid,
                "parent_id": row_id[parent] if parent is not None else None,
                "sort_order": row + 1,
                "wbs": wbs,
                "name": item.name,
            }
            if isinstance(item, T):
                task_rows.append(
                    self.leaf_row(leaf_of[item.key], item.key in blocked, spec, cal, common)
                )
            else:
                task_rows.append(self.summary_row(spans[row], blocked, cal, common))
        self.tasks += task_rows
        key_id = {item.key: row_id[row] for item, _, _, row in outline if isinstance(item, T)}
        for key, item in leaves:
            for pred, kind, lag in _links(item.after):
                self.links.append(
                    Dependency(
                        id=len(self.links) + 1,
                        predecessor_id=key_id[pred],
                        successor_id=key_id[key],
                        kind=kind,
                        lag_days=lag,
                    )
                )
            if item.downtime:
                leaf = leaf_of[key]
                begins = datetime.combine(leaf.start, time(item.window[0]))
                self.windows.append(
                    DowntimeWindow(
                        id=len(self.windows) + 1,
                        project_id=pid,
                        title=item.name,
                        starts_at=begins,
                        ends_at=begins + timedelta(hours=item.window[1]),
                        systems=item.downtime,
                        approved=spec.baseline and leaf.start <= self.today + timedelta(days=28),
                    )
                )
        for day, name in own_holidays:
            self.holiday_rows.append(
                Holiday(id=len(self.holiday_rows) + 1, project_id=pid, day=day, name=name)
            )

        finish = max(leaf.finish for leaf in leaf_of.values())
        last_milestone = max(
            (leaf.finish for leaf in leaf_of.values() if leaf.spec.days == 0), default=finish
        )
        closed = spec.status == ProjectStatus.CLOSED.value
        base_starts = [x.base_start for x in leaf_of.values() if x.base_start]
        base_finishes = [x.base_finish for x in leaf_of.values() if x.base_finish]
        self.projects.append(
            Project(
                id=pid,
                code=spec.code,
                name=spec.name,
                client=spec.client,
                sponsor=spec.sponsor,
                manager_id=self.person_id[spec.manager],
                phase=spec.phase,
                status=spec.status,
                start_date=start,
                end_date=finish,
                baseline_start=min(base_starts, default=None),
                baseline_end=max(base_finishes, default=None),
                baseline_set_on=cal.add_working_days(start, -2) if baseline else None,
                objective=spec.objective,
                scope=spec.scope,
                kpis=spec.kpis,
                currency=spec.currency,
                signed_off_by=spec.signed_off_by,
                signed_off_on=cal.add_working_days(last_milestone, 3) if closed else None,
                lessons=spec.lessons,
                created_at=datetime.combine(cal.add_working_days(start, -5), time(9), tzinfo=UTC),
            )
        )
        self.add_money(pid, spec, leaf_of, blocked, cal)
        self.add_registers(pid, spec, leaf_of, cal)
        if spec.status == ProjectStatus.ACTIVE.value:
            self.add_snapshots(pid, leaf_of, blocked, cal, start)

    def leaf_row(
        self, leaf: _Leaf, blocked: bool, spec: P, cal: WorkCalendar, common: dict[str, Any]
    ) -> Task:
        item = leaf.spec
        percent = self.progress(leaf, blocked, self.today, cal)
        hours = Decimal(item.hours)
        status = (
            TaskStatus.DONE
            if percent == 100
            else TaskStatus.BLOCKED
            if blocked
            else TaskStatus.IN_PROGRESS
            if percent or (leaf.start <= self.today and item.days)
            else TaskStatus.TODO
        )
        started = status != TaskStatus.TODO
        return Task(
            **common,
            description=f"Needs a downtime window: {item.downtime}." if item.downtime else "",
            is_milestone=item.days == 0,
            planned_start=leaf.start,
            planned_finish=leaf.finish,
            baseline_start=leaf.base_start,
            baseline_finish=leaf.base_finish,
            actual_start=leaf.start if started else None,
            actual_finish=leaf.finish if status == TaskStatus.DONE else None,
            estimate_hours=hours,
            remaining_hours=(hours * (100 - percent) / 100).quantize(CENT),
            percent_complete=percent,
            status=status.value,
            assignee_id=self.person_id[item.who] if item.who else None,
            needs_downtime=bool(item.downtime),
            blocked_reason=spec.blocked.get(leaf.key, ""),
        )

    def summary_row(
        self, kids: list[_Leaf], blocked: set[str], cal: WorkCalendar, common: dict[str, Any]
    ) -> Task:
        percents = [self.progress(k, k.key in blocked, self.today, cal) for k in kids]
        hours = [Decimal(k.spec.hours) for k in kids]
        total = sum(hours, Decimal(0))
        done = sum((h * p / 100 for h, p in zip(hours, percents, strict=True)), Decimal(0))
        percent = int(done * 100 / total) if total else 0
        status = (
            TaskStatus.DONE
            if all(p == 100 for p in percents)
            else TaskStatus.IN_PROGRESS
            if any(p for p in percents)
            else TaskStatus.TODO
        )
        base_starts = [k.base_start for k in kids if k.base_start]
        base_finishes = [k.base_finish for k in kids if k.base_finish]
        return Task(
            **common,
            planned_start=min(k.start for k in kids),
            planned_finish=max(k.finish for k in kids),
            baseline_start=min(base_starts, default=None),
            baseline_finish=max(base_finishes, default=None),
            actual_start=min(k.start for k in kids) if status != TaskStatus.TODO else None,
            actual_finish=max(k.finish for k in kids) if status == TaskStatus.DONE else None,
            estimate_hours=total,
            remaining_hours=(total - done).quantize(CENT),
            percent_complete=100 if status == TaskStatus.DONE else min(percent, 99),
            status=status.value,
        )

    def add_money(
        self,
        pid: int,
        spec: P,
        leaves: dict[str, _Leaf],
        blocked: set[str],
        cal: WorkCalendar,
    ) -> None:
        """Budget lines, the declared ledger, and weekly labour actuals from the hours burned."""
        labour_hours = Decimal(0)
        labour_cost = Decimal(0)
        for leaf in leaves.values():
            if leaf.spec.who:
                rate, currency = self.rate[leaf.spec.who]
                assert currency == spec.currency, f"{leaf.spec.who} is paid in {currency}"
                labour_hours += leaf.spec.hours
                labour_cost += leaf.spec.hours * rate
        lines = [(c, d, _amount(a)) for c, d, a in spec.budget]
        labour_line = (labour_cost / 500).to_integral_value(ROUND_CEILING) * 500
        lines.insert(
            -1, (LAB, f"Internal team: {labour_hours} h at cost rates", _amount(str(labour_line)))
        )
        for category, description, amount in lines:
            self.budget.append(
                BudgetLine(
                    id=len(self.budget) + 1,
                    project_id=pid,
                    category=category,
                    description=description,
                    amount=amount,
                )
            )
        entries: list[tuple[date, str, str, str, Decimal, str, str]] = []
        for days, vendor, category, description, text, kind, ref in spec.ledger:
            day = self.ago(days, cal)
            ref = ref.format(y=day.year)
            entries.append((day, vendor, category, description, _amount(text), kind, ref))
        # Labour: each finished week (Monday to Friday before this week) at cost rates.
        friday = self.monday - timedelta(days=3)
        weeks = []
        while friday >= min(leaf.start for leaf in leaves.values()) - timedelta(days=4):
            weeks.append(friday)
            friday -= timedelta(days=7)
        for friday in reversed(weeks):
            week_end, week_start = friday + timedelta(days=1), friday - timedelta(days=6)
            hours = Decimal(0)
            cost = Decimal(0)
            for leaf in leaves.values():
                if not leaf.spec.who or not leaf.spec.hours:
                    continue
                blocked_leaf = leaf.key in blocked
                burned = self.progress(leaf, blocked_leaf, week_end, cal) - self.progress(
                    leaf, blocked_leaf, week_start, cal
                )
                worked = Decimal(leaf.spec.hours * burned) / 100
                hours += worked
                cost += worked * self.rate[leaf.spec.who][0]
            if hours:
                iso = friday.isocalendar()
                entries.append(
                    (
                        cal.on_or_before(friday),
                        "Internal team",
                        LAB,
                        f"Timesheets week {iso.week}: {hours.quantize(Decimal('0.1'))} h",
                        cost.quantize(CENT),
                        ACTUAL,
                        f"TS-{iso.year}-W{iso.week:02d}",
                    )
                )
        entries.sort(key=lambda e: e[0])
        for day, vendor, category, description, amount, kind, ref in entries:
            self.ledger.append(
                LedgerEntry(
                    id=len(self.ledger) + 1,
                    project_id=pid,
                    entry_date=day,
                    vendor=vendor,
                    category=category,
                    description=description,
                    amount=amount,
                    kind=kind,
                    invoice_ref=ref,
                )
            )

    def add_registers(self, pid: int, spec: P, leaves: dict[str, _Leaf], cal: WorkCalendar) -> None:
        """Risks, change requests, deliverables and the project's stakeholders."""
        for r in spec.risks:
            rp, ri = r.residual if r.residual else (None, None)
            self.risks.append(
                Risk(
                    id=len(self.risks) + 1,
                    project_id=pid,
                    title=r.title,
                    description=r.description,
                    category=r.category,
                    probability=r.p,
                    impact=r.i,
                    owner_id=self.person_id[r.owner],
                    response=r.response,
                    mitigation=r.mitigation,
                    contingency=r.contingency,
                    trigger=r.trigger,
                    status=r.status,
                    raised_on=self.ago(r.raised, cal),
                    review_date=(
                        self.ahead(r.review, cal) if r.review >= 0 else self.ago(-r.review, cal)
                    ),
                    residual_probability=rp,
                    residual_impact=ri,
                )
            )
        for c in spec.changes:
            self.changes.append(
                ChangeRequest(
                    id=len(self.changes) + 1,
                    project_id=pid,
                    title=c.title,
                    requested_by=c.by,
                    requested_on=self.ago(c.requested, cal),
                    description=c.description,
                    cost_impact=_amount(c.cost),
                    schedule_impact_days=c.days,
                    status=c.status,
                    decided_by=c.decided_by,
                    decided_on=self.ago(c.decided, cal) if c.decided is not None else None,
                )
            )
        for d in spec.deliverables:
            due = leaves[d.due].finish
            accepted = bool(d.accepted_by) and due < self.today
            self.deliverables.append(
                Deliverable(
                    id=len(self.deliverables) + 1,
                    project_id=pid,
                    name=d.name,
                    description=d.description,
                    acceptance_criteria=d.criteria,
                    due_date=due,
                    accepted_by=d.accepted_by if accepted else "",
                    accepted_on=(
                        min(cal.add_working_days(due, 2), cal.on_or_before(self.today))
                        if accepted
                        else None
                    ),
                    acceptance_note=d.note if accepted else "",
                )
            )
        for key, role in spec.stakeholders:
            self.project_stakeholders.append(
                ProjectStakeholder(
                    project_id=pid, stakeholder_id=self.stakeholder_id[key], role=role
                )
            )

    def add_snapshots(
        self,
        pid: int,
        leaves: dict[str, _Leaf],
        blocked: set[str],
        cal: WorkCalendar,
        start: date,
    ) -> None:
        """One snapshot per weekday of the last weeks, replaying the progress rule each day."""
        day = max(start, self.today - timedelta(days=SNAPSHOT_DAYS))
        work = list(leaves.values())
        total = sum(Decimal(leaf.spec.hours) for leaf in work)
        while day <= self.today:
            if day.weekday() < 5:
                # Progress as of the morning, the rule the tasks' own values follow today.
                percents = [self.progress(x, x.key in blocked, day, cal) for x in work]
                done = sum(
                    (Decimal(x.spec.hours) * p / 100 for x, p in zip(work, percents, strict=True)),
                    Decimal(0),
                )
                self.snapshots.append(
                    ProgressSnapshot(
                        id=len(self.snapshots) + 1,
                        project_id=pid,
                        day=day,
                        remaining_hours=(total - done).quantize(CENT),
                        remaining_tasks=sum(1 for p in percents if p < 100),
                        percent_complete=int(done * 100 / total) if total else 0,
                    )
                )
            day += timedelta(days=1)

    def rows(self) -> list[list[Any]]:
        """Row groups in an order that satisfies every foreign key."""
        return [
            self.people,
            self.stakeholders,
            self.projects,
            self.tasks,
            self.links,
            self.windows,
            self.holiday_rows,
            self.deliverables,
            self.budget,
            self.ledger,
            self.risks,
            self.changes,
            self.project_stakeholders,
            self.communications,
            self.snapshots,
        ]

    def summary(self) -> DemoSummary:
        return DemoSummary(
            projects=len(self.projects),
            people=len(self.people),
            tasks=len(self.tasks),
            ledger_entries=len(self.ledger),
            risks=len(self.risks),
            stakeholders=len(self.stakeholders),
        )
