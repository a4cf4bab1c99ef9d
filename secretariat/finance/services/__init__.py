"""Every write of the finance app, split by sub-domain; import from the sub-modules."""
