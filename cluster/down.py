"""Stop the Serve application and the local Ray cluster.

    python -m cluster.down
"""

from cluster import local

if __name__ == "__main__":
    stopped = local.stop()
    print("Ray stopped" + (f"; Serve's HAProxy stopped (pid {', '.join(map(str, stopped))})" if stopped else ""))
