"""The use cases: intake, a page, a dossier, artifacts, training, users."""
