"""What plugs into Rasa: NLU components, the tracker store, the Rasa and action-server
entry points, and the one shim of run-time patches (``tuning``)."""
