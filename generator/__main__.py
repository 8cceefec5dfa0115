"""`python -m generator` runs the cablesite command."""
from generator.cli import main

raise SystemExit(main())
