"""HTTP API (FastAPI) over the graph — see the API issue; the package is reserved here."""
