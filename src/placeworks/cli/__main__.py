from placeworks.cli import main

main()
