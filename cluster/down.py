"""Stop the Serve application and the local Ray cluster.

    python -m cluster.down
"""

from cluster import local

if __name__ == "__main__":
    local.stop()
    print("Ray stopped")
