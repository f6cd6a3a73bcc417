"""One module per subcommand; each defines a click command named ``command``.

:func:`slidekit.cli.main` discovers them, so adding a subcommand is adding a module.
"""
