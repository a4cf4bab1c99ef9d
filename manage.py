#!/usr/bin/env python
import sys

from secretariat.cli import main

if __name__ == "__main__":
    sys.exit(main())
