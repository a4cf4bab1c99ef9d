#!/usr/bin/env python
"""Developer entry point: Django's commands with the throwaway development/test settings.

Production and the demo use the ``secretariat`` command, which reads the real settings.
"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")
    from secretariat.cli import main

    sys.exit(main())
