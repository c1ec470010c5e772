"""The pure core of ncpflow: lifecycle, clock and audit-chain rules. No I/O, no frameworks."""
