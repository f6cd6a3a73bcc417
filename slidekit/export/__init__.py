"""Export as a library: the deck as one self-contained, offline HTML file (optionally a PDF).

- :mod:`.page`   :func:`~.page.export_once`: read, pre-process, render and atomically write one export
- :mod:`.badges` per-slide verification statuses for the Dockerfile badges (fresh or from the verify cache)
- :mod:`.pdf`    :func:`~.pdf.write_pdf`: print an exported page to PDF with headless Chromium
- :mod:`.watch`  :func:`~.watch.watch_loop`: re-export whenever the deck or a file next to it changes

No click here: :mod:`slidekit.commands.export` is the command-line wrapper.
"""
