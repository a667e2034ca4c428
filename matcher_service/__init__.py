"""The HTTP service's parts: settings, schemas, store, auth, audit, jobs and routes.

:mod:`service` assembles them into a FastAPI app; nothing here runs at import time.
"""
