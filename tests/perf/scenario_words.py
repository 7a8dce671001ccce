"""Words and zones of the border-clash scenario, for the benchmarks' generated records.

The scripts sit beside this file, so ``python tests/perf/bench_x.py`` finds it.
"""

WORDS = (
    "artillery border clash ceasefire village position ministry defence shelling drone "
    "casualties wounded captured peacekeepers treaty statement report Lachin Jermuk "
    "Sotk Kalbajar Syunik Goris Kubatly Հայաստան Азербайджан Ermənistan ağır döyüş"
).split()
ZONES = ("Asia/Baku", "Asia/Yerevan", "Europe/Moscow", "UTC")
