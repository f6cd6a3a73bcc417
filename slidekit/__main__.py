from __future__ import annotations

from slidekit.cli import main

raise SystemExit(main())
