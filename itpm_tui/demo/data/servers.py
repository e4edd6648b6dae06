"""SRV-25, Nordwind Logistics: closed and signed off months ago."""

from __future__ import annotations

from itpm_tui.demo.shapes import (
    ACTUAL,
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
from itpm_tui.domain.enums import Phase, ProjectStatus

# fmt: off

SERVERS = Project(
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
        Summary("Design & order", (
            Task("capacity", "Capacity assessment of 42 VMs", 3, "marta", 20),
            Task("order", "Order 3 PowerEdge R760 hosts & SAN expansion", 1, "ana", 2,
                 "capacity"),
        )),
        Summary("Build & migrate", (
            Task("build", "Rack, cable & build the Hyper-V cluster", 4, "marta", 30,
                 "order FS+12"),
            Task("migrate", "Live-migrate VMs in three batches", 6, "marta", 40, "build"),
            Task("erp", "Cut-over of the ERP database VM", 1, "marta", 10, "migrate",
                 downtime="ERP & warehouse management"),
            Milestone("live", "Cluster live", "erp"),
        )),
        Summary("Close", (
            Task("dr", "Backup & DR test on the new cluster", 2, "lukas", 12, "live"),
            Task("decom", "Decommission the old hosts", 2, "pedro", 8, "dr"),
            Milestone("signoff", "Client sign-off", "decom"),
        )),
    ),
    budget=(
        Budget(HW, "3× PowerEdge R760, ME5024 expansion", "58000.00"),
        Budget(SW, "Windows Server Datacenter licences", "14500.00"),
        Budget(VS, "Certified disposal of old hosts", "1000.00"),
        Budget(CONT, "Contingency", "5000.00"),
    ),
    ledger=(
        Spend(170, "Dell Technologies", HW,
         "3× PowerEdge R760 & ME5024 expansion", "54870.00", ACTUAL, "DELL-{y}-4318820"),
        Spend(168, "Cloudwerk GmbH (Microsoft CSP)", SW,
         "Windows Server 2025 Datacenter (96 cores)", "13980.00", ACTUAL, "CW-{y}-00688"),
        Spend(110, "DataSafe Entsorgung", VS,
         "Certified disposal of three hosts", "640.00", ACTUAL, "DS-{y}-1207"),
    ),
    risks=(
        Risk("ERP database VM too large for a live migration", "technical", 3, 4, "marta",
             "mitigate", "Offline copy in a weekend window.", "Restore from backup to the cluster.",
             "Migration estimate above 3 h", "closed", 175, -120, (1, 2)),
    ),
    changes=(),
    deliverables=(
        Deliverable("Hyper-V cluster in production", "Three hosts, SAN, 42 VMs.",
                    "Failover tested; all VMs running on the new cluster.", "live", "Stefan Brandt",
                    "Accepted."),
        Deliverable("DR test report", "Restore of every tier.",
                    "Every tier restored within its RTO.", "signoff", "Karin Vogel",
                    "Accepted with the closing report."),
    ),
    stakeholders=(("karin", "Sponsor"), ("stefan", "Client IT lead")),
    signed_off_by="Karin Vogel",
    lessons="Order hardware before the design review ends: delivery took 12 working days. The "
    "offline copy of the ERP database was faster than a live migration would have been.",
)

# fmt: on
