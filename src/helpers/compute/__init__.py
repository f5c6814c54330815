"""The indicators: the catalogue, sections A and B of a year, section C across years, targets."""
