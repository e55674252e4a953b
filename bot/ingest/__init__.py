"""Corpus ingest: files (and feed documents) in, cleaned sources with dated sentences out.

The flow reads as the modules: ``files`` (find, stat, read, reject) → ``parse`` (header, front
matter, sidecar, HTML via ``html``) → ``clean`` (boilerplate dropped by position and shape) →
``sentences`` (offsets) and ``dates`` (publication and event dates) → ``similar`` (content ids,
near-duplicates) → ``pipeline`` (the ``Ingestor`` that dedupes and writes to the store).
"""
