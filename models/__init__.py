"""Qt-free core of BVTE: entities, migrations, domain rules and one service per user action."""


def __getattr__(name: str) -> str:
    # The version is looked up when first asked for (`from models import __version__` works the same):
    # importlib.metadata costs about 18 ms, which every command would otherwise wait for before it starts
    # (`bvte verify` derives the password's key only after the imports).
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("bvte")
    except PackageNotFoundError:  # running from a source tree that was not installed
        value = "0.0.0+source"
    globals()["__version__"] = value
    return value
