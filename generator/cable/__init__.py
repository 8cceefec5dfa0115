"""The cable model and the rules that parse a cable's text into it."""
from generator.cable.model import Block, Cable, RawCable
from generator.cable.parse import parse

__all__ = ["Block", "Cable", "RawCable", "parse"]
