#!/bin/sh
# Branch office firewall replacement, planned and run from an empty database by one-shot
# commands: what a PM (or a script fed by another tool) can do without opening the dashboard.
#
#   ITPM_DB=/tmp/branch.db sh docs/examples/branch-firewall.sh
#
# ITPM names the command (default: itpm). ITPM_TODAY moves "today" so two weeks of progress
# replay in seconds; drop it to work in real time. Every command checks its input as the
# dashboard's forms do: a mistake prints one line and stops the script (set -e).
set -eu
itpm() { ${ITPM:-command itpm} "$@"; }

export ITPM_TODAY=2026-03-02   # the kick-off, a Monday
itpm project add BR-FW "Branch office firewall replacement" --start 2026-03-02 \
  --client "Northwind Branch Leeds" --sponsor "Dana Whitfield" \
  --objective "Replace the end-of-life firewall without a business-day outage."

itpm person add "Sam Patel" --handle s.patel --capacity 40 --rate 85
itpm person add "Ana Costa" --handle a.costa --capacity 32 --rate 78
itpm person add "Lee Moss" --handle l.moss --role pm --capacity 20 --rate 95

itpm task add BR-FW "Design"
itpm task add BR-FW "Site survey" --parent 1 --duration 2d --estimate 16h --assignee s.patel
itpm task add BR-FW "Rule-base review" --parent 1 --duration 3d --estimate 3d \
  --assignee a.costa --after 1.1
itpm task add BR-FW "Build"
itpm task add BR-FW "Order the firewall pair" --parent 2 --duration 1d --estimate 4h \
  --assignee l.moss
itpm task add BR-FW "Stage and configure" --parent 2 --duration 3d --estimate 24h \
  --assignee s.patel --after 1.2 --after 2.1
itpm task add BR-FW "Migrate the VPN to HQ" --parent 2 --duration 2d --estimate 16h \
  --assignee a.costa --after 2.2
itpm task add BR-FW "Cut-over"
itpm task add BR-FW "Cut-over night" --parent 3 --duration 1d --estimate 8h \
  --assignee s.patel --after 2.3FS+1d
itpm task add BR-FW "Go-live" --parent 3 --milestone --after 3.1

itpm budget set BR-FW hardware 14000
itpm budget set BR-FW labour 9600
itpm budget set BR-FW "vendor services" 1800
itpm budget set BR-FW cabling 600

itpm downtime add BR-FW "Branch internet and VPN down" "2026-03-17 19:00" "2026-03-17 23:00" \
  --systems "firewall, VPN to HQ, guest Wi-Fi" --task 3.1 --approved
itpm baseline set BR-FW

# Two weeks of work, a day at a time.
ITPM_TODAY=2026-03-02 itpm task set BR-FW 1.1 --percent 50
ITPM_TODAY=2026-03-03 itpm task set BR-FW 1.1 --percent 100
ITPM_TODAY=2026-03-04 itpm task set BR-FW 1.2 --percent 30
ITPM_TODAY=2026-03-05 itpm task set BR-FW 2.1 --percent 100
ITPM_TODAY=2026-03-06 itpm task set BR-FW 1.2 --percent 70
ITPM_TODAY=2026-03-09 itpm task set BR-FW 1.2 --percent 100
ITPM_TODAY=2026-03-10 itpm task set BR-FW 2.2 --percent 40
ITPM_TODAY=2026-03-11 itpm task set BR-FW 2.2 --percent 80

ITPM_TODAY=2026-03-11 itpm task list BR-FW
ITPM_TODAY=2026-03-11 itpm report BR-FW --audience technical
