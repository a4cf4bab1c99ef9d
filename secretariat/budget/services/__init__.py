"""Every write of the budget, split by concern; import from the sub-modules.

Lock order (see docs/budget.md): appropriation, then allotments in primary-key order, then
commitments (audit events take no lock: they are sealed into the chain after commit). Every balance
change writes a ``BudgetMovement`` row in the same transaction as the balance it moves.
"""
