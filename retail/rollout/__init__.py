"""Safe model operations: routing a request to a version, judging a canary, and stepping it up or rolling it back.

Pure Python (no Ray): the Serve deployments and the operator CLI wire these in.

    assignment.py  which arm and version serve a request (stable hash, growing buckets)
    resident.py    the versions a replica keeps loaded, loaded in the background
    judge.py       canary vs control: pass, fail or inconclusive, with the numbers
    controller.py  progressive delivery: steps, promotion, automatic rollback
    drills.py      fault injection for rollback drills (a version that fails, is slow, ranks at random)
"""
