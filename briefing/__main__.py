import sys

if getattr(sys, "frozen", False):  # a packaged application started as a reading process
    import multiprocessing

    multiprocessing.freeze_support()

from briefing.cli import main  # noqa: E402 - after the packaged application's own start

raise SystemExit(main())
