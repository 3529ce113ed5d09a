"""Stores: objects (local folder or S3), the record database."""
