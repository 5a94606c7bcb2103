"""Channel adapters: one module per outlet type; each renders and delivers a release.

Nothing here imports from `publisher`; see `base.py` for the contract and
`registry.py` for the list of adapters.
"""
