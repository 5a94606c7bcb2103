"""Social and messaging networks: `base.py` builds a post from the facts one module
per network declares (limit, counter, markup, hashtags, threads)."""
