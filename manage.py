#!/usr/bin/env python
"""Django's command-line utility for Polku (the installed wheel's is ``polku``)."""

from config.manage import main

if __name__ == "__main__":
    main()
