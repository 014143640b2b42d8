from deboil.cli import main

main()
