"""`hoso serve`: the web app for counter staff and reviewers, and the HTTP API (OpenAPI at /docs).

`create_app(settings)` (app.py) builds it; nothing is created at import time. Routers per resource in
`routers/`, dependencies (who is asking, what they may do) in `deps.py`, pages rendered on the server from
`templates/` with a little plain JavaScript from `static/`.
"""
