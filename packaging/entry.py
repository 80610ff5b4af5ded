"""Entry point of the packaged app (PyInstaller runs this file as a script)."""

import sys

from pos_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
