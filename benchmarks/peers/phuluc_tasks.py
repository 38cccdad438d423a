"""phuluc itself, run the same way as the peers (in the project's environment): one table of task rows.

Prints the contract dicts too, so the benchmark scores phuluc's real output with the `phuluc qa` scorer.
"""

import _common

import phuluc

FIELDS = ("stt", "task", "timeline", "lead", "partners")


def extract(path):
    doc = phuluc.convert(path).to_dict()
    return [[[t[f] for f in FIELDS] for t in doc["tasks"]]]


if __name__ == "__main__":
    _common.main("phuluc", phuluc.__version__, extract)
