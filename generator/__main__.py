"""`python -m generator` runs the cablesite command."""
from generator.cli import main

if __name__ == "__main__":  # (not when a worker process started afresh imports the main module again)
    raise SystemExit(main())
