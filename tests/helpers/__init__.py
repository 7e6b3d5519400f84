"""What the kit's tests share: fixtures' builders, the supervised runs, the schemas they check against."""
