"""Stored geography definitions: a partnership's own places, localities and neighbourhoods."""
