"""Entry point of the frozen program (PyInstaller runs this file, not the `bvte` console script).

`--self-test` is handled here as well, so the bundle can be smoke-tested whether or not the command line
already knows the option; everything else goes to desktop.cli.main, exactly as the installed `bvte` does.
"""
import sys


def _main() -> int:
    from desktop.cli import use_utf8_output

    use_utf8_output()
    if sys.argv[1:] == ["--self-test"]:
        from desktop.selftest import run_self_test

        return run_self_test()
    from desktop.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
