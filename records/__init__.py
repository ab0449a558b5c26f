"""Records every layer shares: the batch carried from parse to load and the declaration of the
warehouse tables' columns. Imports no other project package, so that ``transforms/``,
``expectations/``, ``warehouse/`` and ``flows/`` may all import it (tests/test_layers.py)."""
