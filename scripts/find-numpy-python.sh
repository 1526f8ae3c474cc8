#!/usr/bin/env bash
# Prints the first Python 3 that can import numpy: python3 on PATH, then the system's /usr/bin/python3
# (a version manager such as pyenv may put a Python without numpy first on PATH, while Debian's
# python3-numpy installs for /usr/bin/python3). Exits 1, printing nothing, when none can.
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import numpy' >/dev/null 2>&1; then
    command -v "$py"
    exit 0
  fi
done
exit 1
