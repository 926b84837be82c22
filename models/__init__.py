"""Qt-free core of BVTE: entities, migrations, domain rules and one service per user action."""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("bvte")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
