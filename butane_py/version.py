"""The version this port reports: the reference's, for drop-in compatibility."""

REFERENCE_VERSION = "v0.29.0"
VERSION_TEXT = f"Butane {REFERENCE_VERSION}"
