"""The functional core: split, canonicalise, diff, merge and re-anchor text. Pure, no I/O."""
