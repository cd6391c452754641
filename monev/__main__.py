from monev.console.main import main

main()
