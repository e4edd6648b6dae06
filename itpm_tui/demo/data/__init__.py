"""The demo's content, one module per project plus the team, the stakeholders and holidays.

Each project tells one health story (see :mod:`itpm_tui.demo.builder`); ``PROJECTS`` is in
the order the portfolio lists them, which also fixes their row ids.
"""

from __future__ import annotations

from itpm_tui.demo.data.firewall import FIREWALL
from itpm_tui.demo.data.laptops import LAPTOPS
from itpm_tui.demo.data.mail import MAIL
from itpm_tui.demo.data.network import NETWORK
from itpm_tui.demo.data.relocation import RELOCATION
from itpm_tui.demo.data.servers import SERVERS
from itpm_tui.demo.data.voip import VOIP
from itpm_tui.demo.shapes import Project

PROJECTS: tuple[Project, ...] = (FIREWALL, VOIP, MAIL, RELOCATION, NETWORK, LAPTOPS, SERVERS)
