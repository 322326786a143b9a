# TEST-ONLY launcher: SecantusDB 0.7.0b3 with findAndModify serialized per collection.
#
# Stock findAndModify looks for a matching document WITHOUT the collection lock, and when it finds
# none it runs the upsert, which takes the lock and re-evaluates the query. If a concurrent
# release makes the existing document match in between, the upsert updates that document (no
# insert), and the command answers "no match" (value null) for a write it applied: an acquisition
# nobody knows about. Holding the collection lock (a re-entrant lock the storage layer already
# takes for every write) around the whole command makes the look and the write one step, as on
# mongod. See docs/mongodb-test-server.md. Usage: same arguments as secantusd-py.
import sys

import secantus.commands as commands
from secantus.cli import main

stock = commands._find_and_modify


def serialized(doc, ctx):
    coll = doc.get("findAndModify")
    if not isinstance(coll, str):
        return stock(doc, ctx)
    with ctx.storage._coll_lock(ctx.db_name, coll):
        return stock(doc, ctx)


stock_build_info = commands._HANDLERS["buildInfo"]


def build_info(doc, ctx):
    # Marked, so a report made against this launcher says it ran on a patched stand-in.
    return {**stock_build_info(doc, ctx), "batonTestLauncher": "serialized findAndModify"}


for name in ("buildInfo", "buildinfo"):
    commands._HANDLERS[name] = build_info

names = [name for name, handler in commands._HANDLERS.items() if handler is stock]
if not names:
    sys.exit("secantus-serialized: findAndModify handler not found (not SecantusDB 0.7.0b3?)")
for name in names:
    commands._HANDLERS[name] = serialized

sys.exit(main())
