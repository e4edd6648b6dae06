from itpm_tui.cli import main

main()
