"""Third-party files plangraph ships unchanged (`plangraph.vendor`), kept apart from its own code:

- `cytoscape.min.js`, `cytoscape.LICENSE`: Cytoscape.js 3.35.0 (MIT), the explorer's graph drawing, copied byte
  for byte from the npm package pinned in package.json by `tools/build_explorer.py` and served at
  `/explorer/vendor/` (no CDN).
"""
