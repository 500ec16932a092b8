from codeaug.cli import main

main()
