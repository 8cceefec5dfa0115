"""One reader per input format: bytes in, RawCable records (or messages) out. Readers never interpret cable syntax."""
