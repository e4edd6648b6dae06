"""The delivery team: who works on the demo projects, at what capacity and cost rate."""

from __future__ import annotations

from itpm_tui.demo.shapes import Member

# fmt: off

# handle, name, role, phone, skills, weekly hours, cost rate, currency
PEOPLE: tuple[Member, ...] = (
    Member("ana", "Ana Ferreira", "IT project manager", "+49 30 5557 1201",
        "PRINCE2, vendor management, client reporting", "40", "95.00", "EUR"),
    Member("tom", "Tom Becker", "IT project manager", "+49 30 5557 1202",
        "Agile, budgeting, Microsoft 365 programmes", "40", "90.00", "EUR"),
    Member("niall", "Niall O'Brien", "Project manager (UK)", "+44 20 7946 0311",
        "Telephony projects, stakeholder management", "37.5", "78.00", "GBP"),
    Member("priya", "Priya Nair", "Senior network & security engineer", "+49 30 5557 1210",
        "Fortinet NSE7, Cisco CCNP, BGP, SD-WAN", "40", "98.00", "EUR"),
    Member("lukas", "Lukas Meyer", "Network engineer", "+49 30 5557 1211",
        "Cisco Catalyst, VLAN design, NetBox", "40", "82.00", "EUR"),
    Member("emma", "Emma Laurent", "Security engineer", "+49 30 5557 1212",
        "Conditional access, VPN, penetration testing, Cisco ISE", "32", "92.00", "EUR"),
    Member("chen", "Chen Wei", "Cloud engineer", "+49 30 5557 1220",
        "Exchange Online, Entra ID, hybrid migrations, PowerShell", "40", "90.00", "EUR"),
    Member("marta", "Marta Kowalska", "Systems engineer", "+49 30 5557 1221",
        "Windows Server, Hyper-V, backup, file services", "40", "85.00", "EUR"),
    Member("jonas", "Jonas Berg", "Desktop engineer", "+49 30 5557 1230",
        "Intune, Autopilot, imaging, end-user support", "40", "68.00", "EUR"),
    Member("pedro", "Pedro Alves", "Field technician", "+49 30 5557 1231",
        "Structured cabling, racking, site surveys, device swaps", "40", "58.00", "EUR"),
    Member("sofia", "Sofia Patel", "Telecom & VoIP engineer (UK)", "+44 20 7946 0312",
        "Hosted VoIP, SIP trunks, number porting, QoS", "37.5", "72.00", "GBP"),
    Member("dan", "Dan Hughes", "Field technician (UK)", "+44 20 7946 0313",
        "Handset roll-outs, patching, PoE switches", "37.5", "45.00", "GBP"),
)
EMAIL_DOMAIN: dict[str, str] = {"EUR": "northbridge-it.eu", "GBP": "northbridge-it.co.uk"}

# fmt: on
