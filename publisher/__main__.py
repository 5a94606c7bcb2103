"""`python -m publisher` is the `publisher` command."""

from .cli import main

main()
