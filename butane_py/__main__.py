from butane_py.cli.main import main

main()
